/**
 * The column names of the registry's CSV files (the first row). Plain constants without imports,
 * so the console can show them too.
 */
export const STUDENT_COLUMNS = [
  'student_id',
  'name_kanji',
  'name_kana',
  'name_roman',
  'birth_date',
  'university_code',
  'university_ja',
  'university_en',
  'faculty_code',
  'faculty_ja',
  'faculty_en',
  'department_code',
  'department_ja',
  'department_en',
  'enrollment_date',
  'status',
  'graduation_date',
  'degree_ja',
  'degree_en',
] as const;

export const GRADE_COLUMNS = ['student_id', 'course_code', 'title_ja', 'title_en', 'credits', 'grade', 'term'] as const;
