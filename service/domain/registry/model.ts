/** The student registry imported by staff (CSV), and the catalogue derived from it. */

export interface LocalizedName {
  ja: string;
  en: string;
}

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

/** University → faculty → department, with ja/en names; derived from the student records. */
export interface CatalogueDepartment {
  code: string;
  name: LocalizedName;
}
export interface CatalogueFaculty {
  code: string;
  name: LocalizedName;
  departments: CatalogueDepartment[];
}
export interface CatalogueUniversity {
  code: string;
  name: LocalizedName;
  faculties: CatalogueFaculty[];
}

/** Persistence of the registry. Imports are all-or-nothing: one durable write each. */
export interface RegistryStore {
  getStudent(studentId: string): Promise<StudentRecord | null>;
  /** Students whose ID or any name contains `search` (after width/space normalisation), paged. */
  searchStudents(query: { search?: string; offset?: number; limit?: number }): Promise<{ total: number; items: StudentRecord[] }>;
  allStudents(): Promise<StudentRecord[]>;
  gradesOf(studentId: string): Promise<GradeRecord[]>;
  /** Inserts or updates these students (by studentId) in one durable write. */
  upsertStudents(records: StudentRecord[]): Promise<void>;
  /** Replaces all grades of the given students by `grades`, in one durable write. */
  replaceGrades(studentIds: string[], grades: GradeRecord[]): Promise<void>;
}
