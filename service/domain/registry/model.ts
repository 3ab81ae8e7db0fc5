/** The student registry imported by staff (CSV), and the catalogue derived from it. */
import type { GradeRecord, StudentRecord } from '../../shared/registry.js';
import type { SearchableStudent } from './search.js';

// The shared vocabulary (service/shared/), named here too for the domain's own modules.
export type { CatalogueDepartment, CatalogueFaculty, CatalogueUniversity, LocalizedName } from '../../shared/catalogue.js';
export type * from '../../shared/registry.js';

/** What the catalogue needs of a student record (see `RegistryStore.catalogueUnits`). */
export type CatalogueUnitRecord = Pick<
  StudentRecord,
  'studentId' | 'updatedAt' | 'enrollmentDate' | 'universityCode' | 'universityName' | 'facultyCode' | 'facultyName' | 'departmentCode' | 'departmentName'
>;

/**
 * Persistence of the registry. Imports are all-or-nothing: one durable write each. Records are
 * stored with the `searchKey` the domain computed (search.ts) and read without it.
 */
export interface RegistryStore {
  getStudent(studentId: string): Promise<StudentRecord | null>;
  /** The students with these IDs, in no particular order; unknown IDs are left out. */
  getStudents(studentIds: string[]): Promise<StudentRecord[]>;
  /** Students whose stored `searchKey` contains `searchKeyContains` (all when empty or absent), by student ID, paged (paging.ts). */
  searchStudents(query: { searchKeyContains?: string; offset?: number; limit?: number }): Promise<{ total: number; items: StudentRecord[] }>;
  /**
   * One record per (university, faculty, department) code triple: of the students in it, the one
   * greatest by (updatedAt, enrollmentDate, studentId), i.e. the most recently imported.
   */
  catalogueUnits(): Promise<CatalogueUnitRecord[]>;
  gradesOf(studentId: string): Promise<GradeRecord[]>;
  /** The grades of all these students, in no particular order (one read for an import's preview). */
  gradesOfStudents(studentIds: string[]): Promise<GradeRecord[]>;
  /** Inserts or updates these students (by studentId) in one durable write. */
  upsertStudents(records: SearchableStudent[]): Promise<void>;
  /** Replaces all grades of the given students by `grades`, in one durable write. */
  replaceGrades(studentIds: string[], grades: GradeRecord[]): Promise<void>;
}
