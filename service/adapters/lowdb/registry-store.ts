import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { GradeRecord, RegistryStore, StudentRecord } from '../../domain/registry/model.js';
import { normalizeName, normalizeStudentId } from '../../domain/registry/normalize.js';
import { Collection } from './collection.js';

export const REGISTRY_FILES = { students: 'registry-students.json', grades: 'registry-grades.json' } as const;

export interface LowdbRegistryStore extends RegistryStore {
  /** Resolves once every write requested so far is durable. */
  flush(): Promise<void>;
}

const copy = <T>(value: T): T => structuredClone(value);
const gradeKey = (g: GradeRecord): string => JSON.stringify([g.studentId, g.courseCode, g.term]);
const byStudentId = (a: StudentRecord, b: StudentRecord) => (a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0);
/** Hiragana → katakana, so that a search typed in hiragana finds the katakana name. */
const toKatakana = (s: string) => s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

export const SEARCH_LIMIT_MAX = 200;

/**
 * The registry over lowdb: students and grades, each one collection file in `dataDir`. Every
 * import is one durable write per collection (memory changed in one synchronous section, then
 * committed), so a crash leaves each file either before or after the import.
 */
export async function openRegistryStore(dataDir: string): Promise<LowdbRegistryStore> {
  await mkdir(dataDir, { recursive: true });
  const [students, grades] = await Promise.all([
    Collection.open<StudentRecord>(path.join(dataDir, REGISTRY_FILES.students), (s) => s.studentId),
    Collection.open<GradeRecord>(path.join(dataDir, REGISTRY_FILES.grades), gradeKey),
  ]);
  /** studentId → keys of that student's grades. */
  const gradeKeys = new Map<string, Set<string>>();
  const indexGrade = (g: GradeRecord) => {
    const set = gradeKeys.get(g.studentId) ?? new Set<string>();
    set.add(gradeKey(g));
    gradeKeys.set(g.studentId, set);
  };
  for (const g of grades.records.values()) indexGrade(g);

  return {
    async getStudent(studentId) {
      const s = students.records.get(studentId);
      return s ? copy(s) : null;
    },

    async searchStudents({ search, offset = 0, limit = 50 }) {
      const text = normalizeName(search ?? '');
      let hits = [...students.records.values()];
      if (text !== '') {
        const id = normalizeStudentId(text);
        const upper = text.toUpperCase();
        const kana = toKatakana(text);
        hits = hits.filter(
          (s) =>
            s.studentId.includes(id) ||
            s.nameKanji.includes(text) ||
            s.nameKana.includes(kana) ||
            s.nameRoman.toUpperCase().includes(upper) ||
            // Also without the space between family and given name.
            s.nameKanji.replace(' ', '').includes(text) ||
            s.nameKana.replace(' ', '').includes(kana),
        );
      }
      hits.sort(byStudentId);
      const start = Math.max(0, Math.floor(offset));
      const size = Math.min(SEARCH_LIMIT_MAX, Math.max(1, Math.floor(limit)));
      return { total: hits.length, items: hits.slice(start, start + size).map(copy) };
    },

    async allStudents() {
      return [...students.records.values()].map(copy);
    },

    async gradesOf(studentId) {
      const keys = gradeKeys.get(studentId);
      if (!keys) return [];
      return [...keys]
        .map((k) => grades.records.get(k)!)
        .sort((a, b) => a.term.localeCompare(b.term) || a.courseCode.localeCompare(b.courseCode))
        .map(copy);
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
