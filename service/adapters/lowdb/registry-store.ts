import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pageWindow } from '../../domain/paging.js';
import type { CatalogueUnitRecord, GradeRecord, RegistryStore, StudentRecord } from '../../domain/registry/model.js';
import { studentSearchKey, type SearchableStudent } from '../../domain/registry/search.js';
import { copy } from './records.js';
import { Collection } from './collection.js';

export const REGISTRY_FILES = { students: 'registry-students.json', grades: 'registry-grades.json' } as const;

export interface LowdbRegistryStore extends RegistryStore {
  /** Resolves once every write requested so far is durable. */
  flush(): Promise<void>;
}

const record = ({ searchKey: _key, ...student }: SearchableStudent): StudentRecord => copy(student);
const gradeKey = (g: GradeRecord): string => JSON.stringify([g.studentId, g.courseCode, g.term]);
const byStudentId = (a: StudentRecord, b: StudentRecord) => (a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0);
/** The order `catalogueUnits` picks the newest record of a department by. */
const catalogueRank = (s: StudentRecord) => `${s.updatedAt}|${s.enrollmentDate}|${s.studentId}`;

/**
 * The registry over lowdb: students and grades, each one collection file in `dataDir`. Every
 * import is one durable write per collection (memory changed in one synchronous section, then
 * committed), so a crash leaves each file either before or after the import.
 */
export async function openRegistryStore(dataDir: string): Promise<LowdbRegistryStore> {
  await mkdir(dataDir, { recursive: true });
  const [students, grades] = await Promise.all([
    Collection.open<SearchableStudent>(path.join(dataDir, REGISTRY_FILES.students), (s) => s.studentId),
    Collection.open<GradeRecord>(path.join(dataDir, REGISTRY_FILES.grades), gradeKey),
  ]);
  /** studentId → keys of that student's grades. */
  const gradeKeys = new Map<string, Set<string>>();
  const indexGrade = (g: GradeRecord) => {
    const set = gradeKeys.get(g.studentId) ?? new Set<string>();
    set.add(gradeKey(g));
    gradeKeys.set(g.studentId, set);
  };
  const indexGrades = () => {
    gradeKeys.clear();
    for (const g of grades.records.values()) indexGrade(g);
  };
  // Records imported before the search key was stored get it now (written with the next import).
  const addSearchKeys = () => {
    for (const s of students.records.values()) s.searchKey ??= studentSearchKey(s);
  };
  indexGrades();
  addSearchKeys();
  grades.onReload(indexGrades);
  students.onReload(addSearchKeys);

  return {
    async getStudent(studentId) {
      const s = students.records.get(studentId);
      return s ? record(s) : null;
    },

    async getStudents(studentIds) {
      const out: StudentRecord[] = [];
      for (const id of new Set(studentIds)) {
        const s = students.records.get(id);
        if (s) out.push(record(s));
      }
      return out;
    },

    async searchStudents({ searchKeyContains = '', ...page }) {
      let hits = [...students.records.values()];
      if (searchKeyContains !== '') hits = hits.filter((s) => s.searchKey.includes(searchKeyContains));
      hits.sort(byStudentId);
      const { offset, limit } = pageWindow(page);
      return { total: hits.length, items: hits.slice(offset, offset + limit).map(record) };
    },

    async catalogueUnits() {
      const newest = new Map<string, SearchableStudent>();
      for (const s of students.records.values()) {
        const key = JSON.stringify([s.universityCode, s.facultyCode, s.departmentCode]);
        const current = newest.get(key);
        if (!current || catalogueRank(s) > catalogueRank(current)) newest.set(key, s);
      }
      return [...newest.values()].map((s): CatalogueUnitRecord =>
        copy({
          studentId: s.studentId,
          updatedAt: s.updatedAt,
          enrollmentDate: s.enrollmentDate,
          universityCode: s.universityCode,
          universityName: s.universityName,
          facultyCode: s.facultyCode,
          facultyName: s.facultyName,
          departmentCode: s.departmentCode,
          departmentName: s.departmentName,
        }),
      );
    },

    async gradesOf(studentId) {
      const keys = gradeKeys.get(studentId);
      if (!keys) return [];
      return [...keys]
        .map((k) => grades.records.get(k)!)
        .sort((a, b) => a.term.localeCompare(b.term) || a.courseCode.localeCompare(b.courseCode))
        .map(copy);
    },

    async gradesOfStudents(studentIds) {
      const out: GradeRecord[] = [];
      for (const id of new Set(studentIds)) for (const key of gradeKeys.get(id) ?? []) out.push(copy(grades.records.get(key)!));
      return out;
    },

    async upsertStudents(records) {
      if (records.length === 0) return students.flush();
      for (const r of records) students.records.set(r.studentId, copy(r));
      await students.commit();
    },

    async replaceGrades(studentIds, next) {
      if (studentIds.length === 0) return grades.flush();
      const replaced = new Set(studentIds);
      for (const g of next) {
        if (!replaced.has(g.studentId)) throw new Error(`grade for ${g.studentId}, which is not among the replaced students`);
      }
      for (const id of replaced) {
        for (const key of gradeKeys.get(id) ?? []) grades.records.delete(key);
        gradeKeys.delete(id);
      }
      for (const g of next) {
        grades.records.set(gradeKey(g), copy(g));
        indexGrade(g);
      }
      await grades.commit();
    },

    async flush() {
      await Promise.all([students.flush(), grades.flush()]);
    },
  };
}
