/**
 * Reading and checking the registry's CSV files (what an import would change: import-diff.ts). Pure: the
 * service (features/registry.ts) feeds in the registry's current records and writes the result.
 *
 * students.csv — one row per student ID, columns in any order, named exactly as STUDENT_COLUMNS.
 * grades.csv   — one row per student, course and term; an import replaces *all* grades of every
 *                student it names (a course missing from the file is removed for that student).
 * Grades refer to students already in the registry: import students first, then grades.
 */
import { GRADE_COLUMNS, STUDENT_COLUMNS } from '../../shared/registry-columns.js';
import { parseCsv, type CsvRecord } from './csv.js';
import type { EnrollmentStatus, GradeRecord, ImportError, ImportErrorCode, LocalizedName, StudentRecord } from './model.js';
import {
  foldWidth,
  hasFamilyAndGivenName,
  isKatakanaName,
  isRomanName,
  isStudentId,
  normalizeCode,
  normalizeName,
  normalizeStudentId,
} from '../../shared/normalize.js';

export { GRADE_COLUMNS, STUDENT_COLUMNS };

/** Every import error code (the renderer has a message for each: `registry.importErrors.<code>`). */
export const IMPORT_ERROR_CODES = [
  'csv.strayQuote',
  'csv.unterminatedQuote',
  'csv.encoding',
  'file.empty',
  'file.noRows',
  'file.tooManyRows',
  'header.unknownColumn',
  'header.missingColumn',
  'header.duplicateColumn',
  'row.fieldCount',
  'field.required',
  'field.tooLong',
  'studentId.invalid',
  'studentId.duplicate',
  'name.noSpace',
  'name.notKatakana',
  'name.notRoman',
  'date.invalid',
  'date.order',
  'status.invalid',
  'graduationDate.required',
  'degree.partial',
  'code.invalid',
  'code.inconsistentName',
  'grade.unknownStudent',
  'grade.duplicateCourse',
  'credits.invalid',
] as const satisfies readonly ImportErrorCode[];
// Compile-time check that the list is complete.
type MissingCode = Exclude<ImportErrorCode, (typeof IMPORT_ERROR_CODES)[number]>;
const _complete: MissingCode extends never ? true : never = true;
void _complete;

/** Columns that may be left empty. */
const OPTIONAL = new Set<string>(['graduation_date', 'degree_ja', 'degree_en']);

export const STATUSES: readonly EnrollmentStatus[] = ['enrolled', 'graduated', 'withdrawn', 'removed'];

/** Longest value accepted in any field. */
export const MAX_FIELD_LENGTH = 200;
/** Data rows per file; bigger registries are imported in parts. */
export const MAX_ROWS = 100_000;

export type StudentData = Omit<StudentRecord, 'updatedAt'>;

export interface ReadResult<T> {
  /** Data rows read (header and blank lines excluded). */
  rows: number;
  items: T[];
  /** Every problem found, in line order. Empty means `items` may be imported. */
  errors: ImportError[];
}

const err = (line: number, column: string | null, code: ImportErrorCode, params: Record<string, string | number> = {}): ImportError => ({
  line,
  column,
  code,
  params,
});

const byLine = (a: ImportError, b: ImportError) => a.line - b.line;

/** A table of named columns: header checked, each row a column → raw value map. */
function readTable(
  text: string,
  columns: readonly string[],
): { count: number; rows: { line: number; get: (column: string) => string }[]; errors: ImportError[] } {
  const parsed = parseCsv(text);
  const errors: ImportError[] = parsed.errors.map((e) => err(e.line, null, e.code));
  if (errors.length > 0) return { count: 0, rows: [], errors };
  const [header, ...data] = parsed.records;
  if (!header) return { count: 0, rows: [], errors: [err(1, null, 'file.empty')] };

  const names = header.fields.map((f) => f.trim());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!columns.includes(name)) errors.push(err(header.line, name, 'header.unknownColumn', { column: name }));
    else if (index.has(name)) errors.push(err(header.line, name, 'header.duplicateColumn', { column: name }));
    else index.set(name, i);
  });
  for (const column of columns) {
    if (!index.has(column)) errors.push(err(header.line, column, 'header.missingColumn', { column }));
  }
  if (errors.length > 0) return { count: 0, rows: [], errors };
  if (data.length === 0) return { count: 0, rows: [], errors: [err(header.line, null, 'file.noRows')] };
  if (data.length > MAX_ROWS) {
    return { count: data.length, rows: [], errors: [err(data[MAX_ROWS]!.line, null, 'file.tooManyRows', { max: MAX_ROWS })] };
  }

  const rows: { line: number; get: (column: string) => string }[] = [];
  for (const record of data as CsvRecord[]) {
    if (record.fields.length !== names.length) {
      errors.push(err(record.line, null, 'row.fieldCount', { expected: names.length, actual: record.fields.length }));
      continue;
    }
    rows.push({ line: record.line, get: (column) => record.fields[index.get(column)!]! });
  }
  return { count: data.length, rows, errors };
}

/** YYYY-MM-DD or YYYY/M/D (as spreadsheets write it), full-width digits allowed → YYYY-MM-DD if a real date. */
export function parseDate(raw: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(foldWidth(raw).trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2199) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Reads the row's fields one by one, collecting errors; `text` etc. return the normalised value or null. */
class RowReader {
  readonly errors: ImportError[] = [];
  constructor(
    private readonly line: number,
    private readonly get: (column: string) => string,
  ) {}

  private raw(column: string): string | null {
    const value = this.get(column);
    if (value.length > MAX_FIELD_LENGTH) {
      this.errors.push(err(this.line, column, 'field.tooLong', { max: MAX_FIELD_LENGTH }));
      return null;
    }
    if (value.trim() === '') {
      if (!OPTIONAL.has(column)) this.errors.push(err(this.line, column, 'field.required'));
      return null;
    }
    return value;
  }

  fail(column: string, code: ImportErrorCode, params: Record<string, string | number> = {}): void {
    this.errors.push(err(this.line, column, code, params));
  }

  /** Free text (titles, names of units): widths folded, spaces collapsed. */
  text(column: string): string | null {
    const v = this.raw(column);
    return v === null ? null : normalizeName(v);
  }

  studentId(column: string): string | null {
    const v = this.raw(column);
    if (v === null) return null;
    const id = normalizeStudentId(v);
    if (!isStudentId(id)) {
      this.fail(column, 'studentId.invalid', { value: v.trim() });
      return null;
    }
    return id;
  }

  code(column: string): string | null {
    const v = this.raw(column);
    if (v === null) return null;
    const code = normalizeCode(v);
    if (!/^[A-Z0-9][A-Z0-9_-]{0,19}$/.test(code)) {
      this.fail(column, 'code.invalid', { value: v.trim() });
      return null;
    }
    return code;
  }

  name(column: string, check: ((s: string) => boolean) | null, code: ImportErrorCode): string | null {
    const v = this.text(column);
    if (v === null) return null;
    if (check && !check(v)) {
      this.fail(column, code, { value: v });
      return null;
    }
    if (!hasFamilyAndGivenName(v)) {
      this.fail(column, 'name.noSpace', { value: v });
      return null;
    }
    return v;
  }

  date(column: string): string | null {
    const v = this.raw(column);
    if (v === null) return null;
    const date = parseDate(v);
    if (date === null) this.fail(column, 'date.invalid', { value: v.trim() });
    return date;
  }
}

/** Checks that one code always comes with the same ja/en names within the file. */
class NameConsistency {
  private readonly seen = new Map<string, { name: LocalizedName; line: number }>();
  check(reader: RowReader, line: number, key: string, code: string, name: LocalizedName, columns: { code: string }): void {
    const first = this.seen.get(key);
    if (!first) this.seen.set(key, { name, line });
    else if (first.name.ja !== name.ja || first.name.en !== name.en) {
      reader.fail(columns.code, 'code.inconsistentName', { code, first: first.line, ja: first.name.ja, en: first.name.en });
    }
  }
}

/** Reads students.csv; `items` holds valid students only when `errors` is empty. */
export function readStudentsCsv(text: string): ReadResult<StudentData> {
  const table = readTable(text, STUDENT_COLUMNS);
  const errors = [...table.errors];
  const items: StudentData[] = [];
  const firstLineOf = new Map<string, number>();
  const universities = new NameConsistency();
  const faculties = new NameConsistency();
  const departments = new NameConsistency();

  for (const { line, get } of table.rows) {
    const r = new RowReader(line, get);
    const studentId = r.studentId('student_id');
    const nameKanji = r.name('name_kanji', null, 'name.noSpace');
    const nameKana = r.name('name_kana', isKatakanaName, 'name.notKatakana');
    const nameRoman = r.name('name_roman', isRomanName, 'name.notRoman');
    const birthDate = r.date('birth_date');
    const universityCode = r.code('university_code');
    const universityJa = r.text('university_ja');
    const universityEn = r.text('university_en');
    const facultyCode = r.code('faculty_code');
    const facultyJa = r.text('faculty_ja');
    const facultyEn = r.text('faculty_en');
    const departmentCode = r.code('department_code');
    const departmentJa = r.text('department_ja');
    const departmentEn = r.text('department_en');
    const enrollmentDate = r.date('enrollment_date');
    const statusRaw = r.text('status');
    const graduationDate = get('graduation_date').trim() === '' ? null : r.date('graduation_date');
    const degreeJa = r.text('degree_ja');
    const degreeEn = r.text('degree_en');

    let status: EnrollmentStatus | null = null;
    if (statusRaw !== null) {
      const s = statusRaw.toLowerCase();
      if ((STATUSES as readonly string[]).includes(s)) status = s as EnrollmentStatus;
      else r.fail('status', 'status.invalid', { value: statusRaw });
    }
    if (status === 'graduated' && get('graduation_date').trim() === '') r.fail('graduation_date', 'graduationDate.required');
    const [hasDegreeJa, hasDegreeEn] = [get('degree_ja').trim() !== '', get('degree_en').trim() !== ''];
    if (hasDegreeJa !== hasDegreeEn) r.fail(hasDegreeJa ? 'degree_en' : 'degree_ja', 'degree.partial');
    if (birthDate && enrollmentDate && birthDate >= enrollmentDate) r.fail('enrollment_date', 'date.order', { before: 'birth_date' });
    if (enrollmentDate && graduationDate && enrollmentDate >= graduationDate) {
      r.fail('graduation_date', 'date.order', { before: 'enrollment_date' });
    }
    if (studentId) {
      const first = firstLineOf.get(studentId);
      if (first !== undefined) r.fail('student_id', 'studentId.duplicate', { value: studentId, first });
      else firstLineOf.set(studentId, line);
    }
    if (universityCode && universityJa && universityEn) {
      universities.check(r, line, universityCode, universityCode, { ja: universityJa, en: universityEn }, { code: 'university_code' });
    }
    if (universityCode && facultyCode && facultyJa && facultyEn) {
      faculties.check(r, line, `${universityCode}/${facultyCode}`, facultyCode, { ja: facultyJa, en: facultyEn }, { code: 'faculty_code' });
    }
    if (universityCode && facultyCode && departmentCode && departmentJa && departmentEn) {
      departments.check(
        r,
        line,
        `${universityCode}/${facultyCode}/${departmentCode}`,
        departmentCode,
        { ja: departmentJa, en: departmentEn },
        { code: 'department_code' },
      );
    }

    if (r.errors.length > 0) {
      errors.push(...r.errors);
      continue;
    }
    items.push({
      studentId: studentId!,
      nameKanji: nameKanji!,
      nameKana: nameKana!,
      nameRoman: nameRoman!,
      birthDate: birthDate!,
      universityCode: universityCode!,
      universityName: { ja: universityJa!, en: universityEn! },
      facultyCode: facultyCode!,
      facultyName: { ja: facultyJa!, en: facultyEn! },
      departmentCode: departmentCode!,
      departmentName: { ja: departmentJa!, en: departmentEn! },
      enrollmentDate: enrollmentDate!,
      status: status!,
      graduationDate,
      degree: degreeJa && degreeEn ? { ja: degreeJa, en: degreeEn } : null,
    });
  }
  errors.sort(byLine);
  return { rows: table.count, items, errors };
}

/** Reads grades.csv; every student ID must be known (`isKnownStudent`: in the registry). */
export function readGradesCsv(text: string, isKnownStudent: (studentId: string) => boolean): ReadResult<GradeRecord> {
  const table = readTable(text, GRADE_COLUMNS);
  const errors = [...table.errors];
  const items: GradeRecord[] = [];
  const firstLineOf = new Map<string, number>();

  for (const { line, get } of table.rows) {
    const r = new RowReader(line, get);
    const studentId = r.studentId('student_id');
    const courseCode = r.code('course_code');
    const titleJa = r.text('title_ja');
    const titleEn = r.text('title_en');
    const creditsRaw = r.text('credits');
    const grade = r.text('grade');
    const term = r.text('term');

    let credits: number | null = null;
    if (creditsRaw !== null) {
      if (/^\d{1,2}(\.\d{1,2})?$/.test(creditsRaw)) credits = Number(creditsRaw);
      else r.fail('credits', 'credits.invalid', { value: creditsRaw });
    }
    if (studentId && !isKnownStudent(studentId)) r.fail('student_id', 'grade.unknownStudent', { value: studentId });
    if (studentId && courseCode && term) {
      const key = JSON.stringify([studentId, courseCode, term]);
      const first = firstLineOf.get(key);
      if (first !== undefined) r.fail('course_code', 'grade.duplicateCourse', { value: courseCode, term, first });
      else firstLineOf.set(key, line);
    }

    if (r.errors.length > 0) {
      errors.push(...r.errors);
      continue;
    }
    items.push({
      studentId: studentId!,
      courseCode: courseCode!,
      title: { ja: titleJa!, en: titleEn! },
      credits: credits!,
      grade: grade!,
      term: term!,
    });
  }
  errors.sort(byLine);
  return { rows: table.count, items, errors };
}

/* ---- What an import changes ---- */

export { diffGrades, diffStudents, importHash, type GradesDiff, type StudentsDiff } from './import-diff.js';
