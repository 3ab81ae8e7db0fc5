import { describe, expect, it } from 'vitest';
import { parseDate, readGradesCsv, readStudentsCsv, STUDENT_COLUMNS } from '../../service/domain/registry/import.js';
import type { ImportError } from '../../service/domain/registry/model.js';
import { gradeRow, gradesCsv, studentRow, studentsCsv, toCsv } from '../support/registry-fixtures.js';

/** [line, column, code] of each error, for compact expectations. */
const brief = (errors: ImportError[]) => errors.map((e) => [e.line, e.column, e.code]);

describe('reading students.csv', () => {
  it('reads valid rows into normalised student records', () => {
    const row = studentRow({
      student_id: ' ２１０１００１ ',
      name_kanji: '山田　太郎',
      name_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ',
      name_roman: 'Ｔａｒｏ  Ｙａｍａｄａ',
      birth_date: '2000/5/4',
      faculty_code: 'eng',
      status: 'Graduated',
    });
    const { items, errors, rows } = readStudentsCsv(studentsCsv([row], { bom: true, eol: '\r\n' }));
    expect(errors).toEqual([]);
    expect(rows).toBe(1);
    expect(items[0]).toMatchObject({
      studentId: '2101001',
      nameKanji: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      nameRoman: 'Taro Yamada',
      birthDate: '2000-05-04',
      facultyCode: 'ENG',
      universityName: { ja: 'デモ大学', en: 'Demo University' },
      status: 'graduated',
      graduationDate: '2023-03-31',
      degree: { ja: '学士(工学)', en: 'Bachelor of Engineering' },
    });
  });

  it('accepts the columns in any order', () => {
    const columns = [...STUDENT_COLUMNS].reverse();
    expect(readStudentsCsv(toCsv([studentRow()], { columns })).errors).toEqual([]);
  });

  it('names unknown, missing and duplicate columns on the header line', () => {
    const columns = [...STUDENT_COLUMNS.filter((c) => c !== 'name_kana'), 'nickname', 'status'];
    const { errors } = readStudentsCsv(toCsv([{ ...studentRow(), nickname: 'x' }], { columns }));
    expect(brief(errors)).toEqual([
      [1, 'nickname', 'header.unknownColumn'],
      [1, 'status', 'header.duplicateColumn'],
      [1, 'name_kana', 'header.missingColumn'],
    ]);
  });

  it('refuses an empty file and a file with only the header', () => {
    expect(brief(readStudentsCsv('').errors)).toEqual([[1, null, 'file.empty']]);
    expect(brief(readStudentsCsv(STUDENT_COLUMNS.join(',') + '\n').errors)).toEqual([[1, null, 'file.noRows']]);
  });

  it('reports a row with too few or too many fields with its line', () => {
    const text = studentsCsv([studentRow(), studentRow()]) + '9999999,山田 太郎\n';
    expect(brief(readStudentsCsv(text).errors)).toEqual([[4, null, 'row.fieldCount']]);
  });

  it('reports each empty required field with its line and column, and accepts empty optional ones', () => {
    const rows = [
      studentRow(),
      studentRow({ name_kanji: ' ', university_en: '' }),
      studentRow({ status: 'enrolled', graduation_date: '', degree_ja: '', degree_en: '' }),
    ];
    expect(brief(readStudentsCsv(studentsCsv(rows)).errors)).toEqual([
      [3, 'name_kanji', 'field.required'],
      [3, 'university_en', 'field.required'],
    ]);
  });

  it('refuses dates that are not real calendar dates', () => {
    const rows = [studentRow({ birth_date: '2001-02-29' }), studentRow({ enrollment_date: '2019-13-01' }), studentRow({ graduation_date: '31.03.2023' })];
    expect(brief(readStudentsCsv(studentsCsv(rows)).errors)).toEqual([
      [2, 'birth_date', 'date.invalid'],
      [3, 'enrollment_date', 'date.invalid'],
      [4, 'graduation_date', 'date.invalid'],
    ]);
    expect(parseDate('2000-02-29')).toBe('2000-02-29');
    expect(parseDate('1900-02-29')).toBeNull();
  });

  it('refuses graduation before enrollment and enrollment before birth', () => {
    const rows = [studentRow({ graduation_date: '2019-03-31' }), studentRow({ birth_date: '2020-01-01' })];
    expect(brief(readStudentsCsv(studentsCsv(rows)).errors)).toEqual([
      [2, 'graduation_date', 'date.order'],
      [3, 'enrollment_date', 'date.order'],
    ]);
  });

  it('refuses a status other than enrolled, graduated, withdrawn or removed', () => {
    const { errors } = readStudentsCsv(studentsCsv([studentRow({ status: '卒業' })]));
    expect(errors).toEqual([{ line: 2, column: 'status', code: 'status.invalid', params: { value: '卒業' } }]);
  });

  it('requires the graduation date of a graduate', () => {
    const { errors } = readStudentsCsv(studentsCsv([studentRow({ graduation_date: '' })]));
    expect(brief(errors)).toEqual([[2, 'graduation_date', 'graduationDate.required']]);
  });

  it('refuses kana that is not katakana and roman names that are not roman letters', () => {
    const rows = [studentRow({ name_kana: 'やまだ たろう' }), studentRow({ name_roman: '山田 太郎' }), studentRow({ name_roman: 'Tarō Yamada' })];
    expect(brief(readStudentsCsv(studentsCsv(rows)).errors)).toEqual([
      [2, 'name_kana', 'name.notKatakana'],
      [3, 'name_roman', 'name.notRoman'],
      [4, 'name_roman', 'name.notRoman'],
    ]);
  });

  it('requires a space between family and given name', () => {
    const { errors } = readStudentsCsv(studentsCsv([studentRow({ name_kanji: '山田太郎' })]));
    expect(brief(errors)).toEqual([[2, 'name_kanji', 'name.noSpace']]);
  });

  it('refuses a student ID twice in one file, naming the first line', () => {
    const rows = [studentRow({ student_id: '2101001' }), studentRow(), studentRow({ student_id: '２１０１００１' })];
    const { errors } = readStudentsCsv(studentsCsv(rows));
    expect(errors).toEqual([{ line: 4, column: 'student_id', code: 'studentId.duplicate', params: { value: '2101001', first: 2 } }]);
  });

  it('refuses malformed student IDs and codes', () => {
    const rows = [studentRow({ student_id: '21 01/001' }), studentRow({ department_code: '情報' })];
    expect(brief(readStudentsCsv(studentsCsv(rows)).errors)).toEqual([
      [2, 'student_id', 'studentId.invalid'],
      [3, 'department_code', 'code.invalid'],
    ]);
  });

  it('refuses one university, faculty or department code with different names in one file', () => {
    const rows = [
      studentRow(),
      studentRow({ university_en: 'The Demo University' }),
      studentRow({ faculty_ja: '理工学部' }),
      studentRow({ department_code: 'MEC', department_ja: '機械工学科', department_en: 'Department of Mechanical Engineering' }),
      studentRow({ department_code: 'MEC', department_ja: '機械工学科', department_en: 'Mechanical Engineering' }),
    ];
    const { errors } = readStudentsCsv(studentsCsv(rows));
    expect(brief(errors)).toEqual([
      [3, 'university_code', 'code.inconsistentName'],
      [4, 'faculty_code', 'code.inconsistentName'],
      [6, 'department_code', 'code.inconsistentName'],
    ]);
    expect(errors[0]!.params).toMatchObject({ code: 'DEMO', first: 2 });
  });

  it('counts a department code per faculty, so two faculties may use the same code', () => {
    const rows = [
      studentRow(),
      studentRow({
        faculty_code: 'LIT',
        faculty_ja: '文学部',
        faculty_en: 'Faculty of Letters',
        department_ja: '情報文化学科',
        department_en: 'Department of Information Culture',
      }),
    ];
    expect(readStudentsCsv(studentsCsv(rows)).errors).toEqual([]);
  });

  it('requires the degree in both languages or neither', () => {
    const { errors } = readStudentsCsv(studentsCsv([studentRow({ degree_en: '' })]));
    expect(brief(errors)).toEqual([[2, 'degree_en', 'degree.partial']]);
  });

  it('gives the first line of a record that spans lines inside quotes', () => {
    const rows = [studentRow({ department_en: 'Department of\nInformation Engineering' }), studentRow({ status: 'x' })];
    const { errors } = readStudentsCsv(studentsCsv(rows));
    expect(brief(errors)).toEqual([[4, 'status', 'status.invalid']]);
  });

  it('reports CSV syntax errors with their line and reads nothing else', () => {
    const text = studentsCsv([studentRow()]) + '9999999,"山田 太郎\n';
    const result = readStudentsCsv(text);
    expect(result.items).toEqual([]);
    expect(brief(result.errors)).toEqual([[3, null, 'csv.unterminatedQuote']]);
  });
});

describe('reading grades.csv', () => {
  const known = (id: string) => id === '2101001';

  it('reads grades with numeric credits', () => {
    const rows = [gradeRow('2101001'), gradeRow('2101001', { course_code: 'GE104', title_en: 'Reading, Writing', credits: '１.５', term: '2019-2' })];
    const { items, errors } = readGradesCsv(gradesCsv(rows), known);
    expect(errors).toEqual([]);
    expect(items[1]).toEqual({
      studentId: '2101001',
      courseCode: 'GE104',
      title: { ja: 'プログラミング入門', en: 'Reading, Writing' },
      credits: 1.5,
      grade: 'A',
      term: '2019-2',
    });
  });

  it('refuses grades of students who are not in the registry', () => {
    const { errors } = readGradesCsv(gradesCsv([gradeRow('2101001'), gradeRow('9999999')]), known);
    expect(errors).toEqual([{ line: 3, column: 'student_id', code: 'grade.unknownStudent', params: { value: '9999999' } }]);
  });

  it('refuses credits that are not a number', () => {
    const rows = [gradeRow('2101001', { credits: 'two' }), gradeRow('2101001', { course_code: 'X1', credits: '-1' })];
    expect(brief(readGradesCsv(gradesCsv(rows), known).errors)).toEqual([
      [2, 'credits', 'credits.invalid'],
      [3, 'credits', 'credits.invalid'],
    ]);
  });

  it('refuses the same course and term twice for one student, but accepts a retake in another term', () => {
    const rows = [gradeRow('2101001'), gradeRow('2101001', { term: '2020-1' }), gradeRow('2101001', { grade: 'B' })];
    expect(brief(readGradesCsv(gradesCsv(rows), known).errors)).toEqual([[4, 'course_code', 'grade.duplicateCourse']]);
  });
});
