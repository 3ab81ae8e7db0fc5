import { pageWindow } from '../../domain/paging.js';
import type { CatalogueUnitRecord, GradeRecord, LocalizedName, RegistryStore, StudentRecord } from '../../domain/registry/model.js';
import type { SearchableStudent } from '../../domain/registry/search.js';
import { atomically, isoOf, jsonParam, type Queryable } from './queryable.js';

interface StudentRow {
  student_id: string;
  name_kanji: string;
  name_kana: string;
  name_roman: string;
  birth_date: string;
  university_code: string;
  university_name: LocalizedName;
  faculty_code: string;
  faculty_name: LocalizedName;
  department_code: string;
  department_name: LocalizedName;
  enrollment_date: string;
  status: StudentRecord['status'];
  graduation_date: string | null;
  degree: LocalizedName | null;
  updated_at: Date;
}

const toStudent = (r: StudentRow): StudentRecord => ({
  studentId: r.student_id,
  nameKanji: r.name_kanji,
  nameKana: r.name_kana,
  nameRoman: r.name_roman,
  birthDate: r.birth_date,
  universityCode: r.university_code,
  universityName: r.university_name,
  facultyCode: r.faculty_code,
  facultyName: r.faculty_name,
  departmentCode: r.department_code,
  departmentName: r.department_name,
  enrollmentDate: r.enrollment_date,
  status: r.status,
  graduationDate: r.graduation_date,
  degree: r.degree,
  updatedAt: isoOf(r.updated_at),
});

interface GradeRow {
  student_id: string;
  course_code: string;
  term: string;
  title: LocalizedName;
  credits: string;
  grade: string;
}

const toGrade = (r: GradeRow): GradeRecord => ({
  studentId: r.student_id,
  courseCode: r.course_code,
  // numeric comes back as text, exactly as stored.
  credits: Number(r.credits),
  title: r.title,
  grade: r.grade,
  term: r.term,
});

/** Every column of registry_students but student_id, as jsonb_to_recordset reads an import. */
const STUDENT_COLUMNS = `name_kanji text, name_kana text, name_roman text, birth_date date, university_code text, university_name jsonb,
  faculty_code text, faculty_name jsonb, department_code text, department_name jsonb, enrollment_date date, status text,
  graduation_date date, degree jsonb, updated_at timestamptz, search_key text`;
const STUDENT_NAMES = STUDENT_COLUMNS.split(',').map((c) => c.trim().split(' ')[0]!);

const studentParam = (s: SearchableStudent) => ({
  student_id: s.studentId,
  name_kanji: s.nameKanji,
  name_kana: s.nameKana,
  name_roman: s.nameRoman,
  birth_date: s.birthDate,
  university_code: s.universityCode,
  university_name: s.universityName,
  faculty_code: s.facultyCode,
  faculty_name: s.facultyName,
  department_code: s.departmentCode,
  department_name: s.departmentName,
  enrollment_date: s.enrollmentDate,
  status: s.status,
  graduation_date: s.graduationDate,
  degree: s.degree,
  updated_at: s.updatedAt,
  search_key: s.searchKey,
});

/** Rows per INSERT of an import: a statement's parameter stays a few MB however big the file. */
const CHUNK = 2000;
const chunks = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** Ordered as the lowdb adapter orders them (by UTF-16 code units, not the database's collation). */
const byTermThenCourse = (a: GradeRecord, b: GradeRecord) => a.term.localeCompare(b.term) || a.courseCode.localeCompare(b.courseCode);

/**
 * The registry in `registry_students` (with the domain's search key) and `registry_grades`. An
 * import is one transaction: every student (or grade) of it is written, or none.
 */
export function openPostgresRegistryStore(db: Queryable): RegistryStore {
  return {
    async getStudent(studentId) {
      const { rows } = await db.query<StudentRow>('SELECT * FROM registry_students WHERE student_id = $1', [studentId]);
      return rows[0] ? toStudent(rows[0]) : null;
    },

    async getStudents(studentIds) {
      if (studentIds.length === 0) return [];
      const { rows } = await db.query<StudentRow>('SELECT * FROM registry_students WHERE student_id = ANY($1::text[])', [[...new Set(studentIds)]]);
      return rows.map(toStudent);
    },

    async searchStudents({ searchKeyContains = '', ...page }) {
      const { offset, limit } = pageWindow(page);
      const filter = searchKeyContains === '' ? '' : 'WHERE strpos(search_key, $3) > 0';
      const values: unknown[] = [offset, limit, ...(searchKeyContains === '' ? [] : [searchKeyContains])];
      const { rows } = await db.query<StudentRow & { total: number }>(
        `SELECT *, count(*) OVER ()::int AS total FROM registry_students ${filter} ORDER BY student_id COLLATE "C" OFFSET $1 LIMIT $2`,
        values,
      );
      // Past the last page no row carries the count.
      const total =
        rows[0]?.total ??
        (offset === 0
          ? 0
          : (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry_students ${filter.replace('$3', '$1')}`, values.slice(2))).rows[0]!.n);
      return { total, items: rows.map(toStudent) };
    },

    async catalogueUnits() {
      const { rows } = await db.query<StudentRow>(
        `SELECT DISTINCT ON (university_code, faculty_code, department_code) *
         FROM registry_students
         ORDER BY university_code, faculty_code, department_code, updated_at DESC, enrollment_date DESC, student_id COLLATE "C" DESC`,
      );
      return rows.map((r): CatalogueUnitRecord => {
        const s = toStudent(r);
        return {
          studentId: s.studentId,
          updatedAt: s.updatedAt,
          enrollmentDate: s.enrollmentDate,
          universityCode: s.universityCode,
          universityName: s.universityName,
          facultyCode: s.facultyCode,
          facultyName: s.facultyName,
          departmentCode: s.departmentCode,
          departmentName: s.departmentName,
        };
      });
    },

    async gradesOf(studentId) {
      const { rows } = await db.query<GradeRow>('SELECT * FROM registry_grades WHERE student_id = $1', [studentId]);
      return rows.map(toGrade).sort(byTermThenCourse);
    },

    async gradesOfStudents(studentIds) {
      if (studentIds.length === 0) return [];
      const { rows } = await db.query<GradeRow>('SELECT * FROM registry_grades WHERE student_id = ANY($1::text[])', [[...new Set(studentIds)]]);
      return rows.map(toGrade);
    },

    async upsertStudents(records) {
      if (records.length === 0) return;
      await atomically(db, async (tx) => {
        for (const chunk of chunks(records)) {
          await tx.query(
            `INSERT INTO registry_students (student_id, ${STUDENT_NAMES.join(', ')})
             SELECT student_id, ${STUDENT_NAMES.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(student_id text, ${STUDENT_COLUMNS})
             ON CONFLICT (student_id) DO UPDATE SET ${STUDENT_NAMES.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
            [jsonParam(chunk.map(studentParam))],
          );
        }
      });
    },

    async replaceGrades(studentIds, next) {
      if (studentIds.length === 0) return;
      const replaced = new Set(studentIds);
      for (const g of next) {
        if (!replaced.has(g.studentId)) throw new Error(`grade for ${g.studentId}, which is not among the replaced students`);
      }
      await atomically(db, async (tx) => {
        await tx.query('DELETE FROM registry_grades WHERE student_id = ANY($1::text[])', [[...replaced]]);
        for (const chunk of chunks(next)) {
          await tx.query(
            `INSERT INTO registry_grades (student_id, course_code, term, title, credits, grade)
             SELECT student_id, course_code, term, title, credits, grade
             FROM jsonb_to_recordset($1::jsonb) AS g(student_id text, course_code text, term text, title jsonb, credits numeric, grade text)`,
            [
              jsonParam(
                chunk.map((g) => ({ student_id: g.studentId, course_code: g.courseCode, term: g.term, title: g.title, credits: g.credits, grade: g.grade })),
              ),
            ],
          );
        }
      });
    },
  };
}
