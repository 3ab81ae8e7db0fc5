/** What a registry import would change (field-level before → after), and the hash that ties a commit to its preview. */
import { createHash } from 'node:crypto';
import type { GradeChange, GradeImportDiff, GradeRecord, ImportKind, StudentField, StudentFieldChange, StudentImportDiff, StudentRecord } from './model.js';
import type { StudentData } from './import.js';

const STUDENT_FIELDS: readonly StudentField[] = [
  'studentId',
  'nameKanji',
  'nameKana',
  'nameRoman',
  'birthDate',
  'universityCode',
  'universityName',
  'facultyCode',
  'facultyName',
  'departmentCode',
  'departmentName',
  'enrollmentDate',
  'status',
  'graduationDate',
  'degree',
];

/** A field's value as text for the preview and the audit log ("ja / en" for localised names). */
function flat(value: StudentRecord[StudentField]): string | null {
  if (value === null) return null;
  if (typeof value === 'object') return `${value.ja} / ${value.en}`;
  return value;
}

export interface StudentsDiff {
  added: StudentImportDiff[];
  updated: StudentImportDiff[];
  unchanged: number;
  /** Students to write (added and updated), without `updatedAt`. */
  changed: StudentData[];
}

export function diffStudents(incoming: StudentData[], existing: (studentId: string) => StudentRecord | null): StudentsDiff {
  const diff: StudentsDiff = { added: [], updated: [], unchanged: 0, changed: [] };
  for (const next of incoming) {
    const current = existing(next.studentId);
    const changes: StudentFieldChange[] = [];
    for (const field of STUDENT_FIELDS) {
      const before = current ? flat(current[field]) : null;
      const after = flat(next[field]);
      if (before !== after) changes.push({ field, before, after });
    }
    if (!current) diff.added.push({ studentId: next.studentId, nameKanji: next.nameKanji, changes });
    else if (changes.length > 0) diff.updated.push({ studentId: next.studentId, nameKanji: next.nameKanji, changes });
    else diff.unchanged++;
    if (!current || changes.length > 0) diff.changed.push(next);
  }
  return diff;
}

export interface GradesDiff {
  added: GradeImportDiff[];
  updated: GradeImportDiff[];
  unchanged: number;
  /** Students whose grades are replaced, and all their grades after the import. */
  changedStudents: string[];
  changedGrades: GradeRecord[];
}

const gradeKey = (g: GradeRecord) => JSON.stringify([g.courseCode, g.term]);
const gradeValues = (g: GradeRecord) => ({ title: g.title, credits: g.credits, grade: g.grade });

/**
 * Per student named in the file: "added" when the student had no grades, "updated" when any
 * course differs (new, changed or — the file replaces all of a student's grades — removed).
 */
export function diffGrades(incoming: GradeRecord[], gradesOf: (studentId: string) => GradeRecord[], nameOf: (studentId: string) => string): GradesDiff {
  const diff: GradesDiff = { added: [], updated: [], unchanged: 0, changedStudents: [], changedGrades: [] };
  const perStudent = new Map<string, GradeRecord[]>();
  for (const g of incoming) {
    const list = perStudent.get(g.studentId) ?? [];
    list.push(g);
    perStudent.set(g.studentId, list);
  }
  for (const [studentId, next] of perStudent) {
    const current = new Map(gradesOf(studentId).map((g) => [gradeKey(g), g]));
    const nextByKey = new Map(next.map((g) => [gradeKey(g), g]));
    const changes: GradeChange[] = [];
    for (const [key, g] of nextByKey) {
      const before = current.get(key);
      if (!before || JSON.stringify(gradeValues(before)) !== JSON.stringify(gradeValues(g))) {
        changes.push({ courseCode: g.courseCode, term: g.term, before: before ? gradeValues(before) : null, after: gradeValues(g) });
      }
    }
    for (const [key, g] of current) {
      if (!nextByKey.has(key)) changes.push({ courseCode: g.courseCode, term: g.term, before: gradeValues(g), after: null });
    }
    changes.sort((a, b) => a.term.localeCompare(b.term) || a.courseCode.localeCompare(b.courseCode));
    const entry = { studentId, nameKanji: nameOf(studentId), changes };
    if (current.size === 0) diff.added.push(entry);
    else if (changes.length > 0) diff.updated.push(entry);
    else diff.unchanged++;
    if (changes.length > 0) {
      diff.changedStudents.push(studentId);
      diff.changedGrades.push(...next);
    }
  }
  return diff;
}

/**
 * Names one import's outcome: the file, and every change it makes to the registry as it is now.
 * Equal hashes at preview and commit mean the commit does exactly what the preview showed.
 */
export function importHash(kind: ImportKind, text: string, diff: { added: unknown[]; updated: unknown[]; unchanged: number }): string {
  return createHash('sha256')
    .update(JSON.stringify({ kind, text, added: diff.added, updated: diff.updated, unchanged: diff.unchanged }), 'utf8')
    .digest('base64url');
}
