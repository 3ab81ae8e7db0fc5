/**
 * The student registry's vocabulary, as the service keeps it and the console shows it: records,
 * grades, what an import would change, how an application matches. Types only.
 */
import type { LocalizedName } from './catalogue.js';

export type EnrollmentStatus = 'enrolled' | 'graduated' | 'withdrawn' | 'removed';

export interface StudentRecord {
  /** Unique key of the registry. */
  studentId: string;
  /** Family and given name separated by one half-width space (normalised at import). */
  nameKanji: string;
  nameKana: string;
  nameRoman: string;
  /** YYYY-MM-DD */
  birthDate: string;
  universityCode: string;
  universityName: LocalizedName;
  facultyCode: string;
  facultyName: LocalizedName;
  departmentCode: string;
  departmentName: LocalizedName;
  /** YYYY-MM-DD */
  enrollmentDate: string;
  status: EnrollmentStatus;
  /** YYYY-MM-DD: graduation, or expected graduation while enrolled; null when unknown. */
  graduationDate: string | null;
  degree: LocalizedName | null;
  updatedAt: string;
}

export interface GradeRecord {
  studentId: string;
  courseCode: string;
  title: LocalizedName;
  credits: number;
  grade: string;
  term: string;
}

/* ---- CSV import ---- */

export type ImportKind = 'students' | 'grades';

/** Why a line of an import file was refused; also the i18n key `registry.importErrors.<code>`. */
export type ImportErrorCode =
  | 'csv.strayQuote'
  | 'csv.unterminatedQuote'
  | 'csv.encoding'
  | 'file.empty'
  | 'file.noRows'
  | 'file.tooManyRows'
  | 'header.unknownColumn'
  | 'header.missingColumn'
  | 'header.duplicateColumn'
  | 'row.fieldCount'
  | 'field.required'
  | 'field.tooLong'
  | 'studentId.invalid'
  | 'studentId.duplicate'
  | 'name.noSpace'
  | 'name.notKatakana'
  | 'name.notRoman'
  | 'date.invalid'
  | 'date.order'
  | 'status.invalid'
  | 'graduationDate.required'
  | 'degree.partial'
  | 'code.invalid'
  | 'code.inconsistentName'
  | 'grade.unknownStudent'
  | 'grade.duplicateCourse'
  | 'credits.invalid';

export interface ImportError {
  /** Line of the file (1 = header); a record with line breaks inside quotes counts from its first line. */
  line: number;
  /** The CSV column concerned, when there is one. */
  column: string | null;
  code: ImportErrorCode;
  /** Values for the translated message, e.g. `{ value: 'graduate', first: 12 }`. */
  params: Record<string, string | number>;
}

/** The fields of a student record an import compares and may change (everything but `updatedAt`). */
export type StudentField = Exclude<keyof StudentRecord, 'updatedAt'>;

/** One changed field of a student, as flat text for the preview and the audit log. */
export interface StudentFieldChange {
  field: StudentField;
  before: string | null;
  after: string | null;
}

/** One course of a student whose grade record is new, changed or removed by a grades import. */
export interface GradeChange {
  courseCode: string;
  term: string;
  before: Omit<GradeRecord, 'studentId' | 'courseCode' | 'term'> | null;
  after: Omit<GradeRecord, 'studentId' | 'courseCode' | 'term'> | null;
}

export interface StudentImportDiff {
  studentId: string;
  /** The name in kanji, to recognise the student in the preview. */
  nameKanji: string;
  changes: StudentFieldChange[];
}

export interface GradeImportDiff {
  studentId: string;
  nameKanji: string;
  changes: GradeChange[];
}

/**
 * What an import would do, shown before it is committed. `hash` names this exact outcome (the
 * file and the registry's state it would change); the commit is refused when it differs.
 */
export interface ImportPreview {
  kind: ImportKind;
  /** Data rows read (header and blank lines excluded). */
  rows: number;
  /** Students added / changed / left as they were (for grades: students whose grades are). */
  counts: { added: number; updated: number; unchanged: number };
  /** The first `PREVIEW_LIMIT` added and updated students, with every change. */
  added: (StudentImportDiff | GradeImportDiff)[];
  updated: (StudentImportDiff | GradeImportDiff)[];
  /** True when more students were added or updated than the lists show. */
  truncated: boolean;
  /** The first errors (line order); empty when the file can be imported. */
  errors: ImportError[];
  errorCount: number;
  /** Null when there are errors: such a file cannot be committed. */
  hash: string | null;
}

export interface ImportResult {
  kind: ImportKind;
  counts: { added: number; updated: number; unchanged: number };
  auditId: string;
}

/* ---- Matching aid ---- */

export type MatchOutcome = 'match' | 'mismatch' | 'noRecord';

export type MatchField =
  'studentId' | 'nameKanji' | 'nameKana' | 'nameRoman' | 'universityCode' | 'facultyCode' | 'departmentCode' | 'graduationYearMonth' | 'leaveType';

export interface FieldMatch {
  field: MatchField;
  result: MatchOutcome;
  /** What the application says (normalised). */
  applied: string;
  /** What the registry says, to show staff; null without a record (or when the registry has no value). */
  registry: string | null;
}

export interface MatchReport {
  /** True when every field matches. Staff still decide. */
  allMatch: boolean;
  /** The registry record compared with, or null when the student ID is unknown. */
  record: StudentRecord | null;
  fields: FieldMatch[];
}
