import { describe, expect, it } from 'vitest';
import { composeCertificate, formatDate, formatTerm, transcriptOf } from '../../service/domain/certificates/compose.js';
import type { CertificateTemplate, CertificateType } from '../../service/domain/certificates/model.js';
import type { GradeRecord, StudentRecord } from '../../service/domain/registry/model.js';
import { studentRecord } from '../support/factories.js';

const student: StudentRecord = studentRecord({
  studentId: '2101001',
  nameKanji: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  nameRoman: 'Taro Yamada',
  degree: { ja: '学士(工学)', en: 'Bachelor of Engineering' },
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const grades: GradeRecord[] = [
  { studentId: '2101001', courseCode: 'MA102', title: { ja: '線形代数学I', en: 'Linear Algebra I' }, credits: 2, grade: 'B', term: '2023-2' },
  { studentId: '2101001', courseCode: 'GE101', title: { ja: '日本語表現法', en: 'Japanese Composition' }, credits: 2, grade: 'A', term: '2023-1' },
  { studentId: '2101001', courseCode: 'PE101', title: { ja: '健康・スポーツ科学', en: 'Health and Sports Science' }, credits: 1, grade: 'S', term: '2023-1' },
  { studentId: '2101001', courseCode: 'GE900', title: { ja: '単位認定', en: 'Transferred credits' }, credits: 4, grade: '認定', term: '2023-1' },
];

const typeOf = (template: CertificateTemplate, validityMonths: number | null = null): CertificateType => ({
  code: template === 'studentDiscount' ? 'discount' : 'enrollment',
  name: { ja: '証明書', en: 'Certificate' },
  template,
  languages: ['ja', 'en'],
  eligibleStatuses: ['enrolled', 'graduated'],
  requiresGraduationDateWithinMonths: null,
  destinations: ['convenience'],
  maxCopies: 10,
  validityMonths,
  fee: 200,
  active: true,
  sortOrder: 1,
});

const issuer = {
  name: { ja: '北星学院大学', en: 'Hokusei Gakuin University' },
  officer: { title: { ja: '学長', en: 'President' }, name: { ja: '北村 一郎', en: 'Ichiro Kitamura' } },
  seal: null,
};

const composeFor = (who: StudentRecord, template: CertificateTemplate, language: 'ja' | 'en', validUntil: string | null = null) =>
  composeCertificate({
    student: who,
    grades,
    type: typeOf(template, validUntil ? 3 : null),
    language,
    issueDate: '2026-11-24',
    validUntil,
    certificateNumber: 'SHM-2026-ABCD-EFGH',
    verificationCode: 'ABCDE12345',
    issuer,
    verifyUrl: 'https://shomei.example/verify',
    qrPayload: 'https://shomei.example/verify#c=x',
  });
const compose = (template: CertificateTemplate, language: 'ja' | 'en', validUntil: string | null = null) => composeFor(student, template, language, validUntil);

describe('composeCertificate', () => {
  it('writes the enrollment certificate in Japanese with the registry names and the fixed sentence', () => {
    const doc = compose('enrollment', 'ja');
    expect(doc.title).toBe('在学証明書');
    expect(doc.body).toEqual(['上記の者は、本学に在学していることを証明する。']);
    expect(doc.holder).toEqual({ nameKanji: '山田 太郎', nameRoman: 'Taro Yamada', birthDate: '2004-05-14' });
    // The issuer is the configured institution, not the registry's university name.
    expect(doc.issuer).toEqual({ name: '北星学院大学', officerTitle: '学長', officerName: '北村 一郎', seal: null });
    expect(doc.faculty).toBe('工学部');
    expect(doc.department).toBe('情報工学科');
    expect(doc.dates).toEqual({ enrollmentDate: '2023-04-01' });
    expect(doc.transcript).toBeUndefined();
    expect(doc.certificateNumber).toBe('SHM-2026-ABCD-EFGH');
  });

  it('writes every template in English with English registry names', () => {
    const titles = {
      enrollment: 'Certificate of Enrollment',
      expectedGraduation: 'Certificate of Expected Graduation',
      graduation: 'Certificate of Graduation',
      transcript: 'Academic Transcript',
      studentDiscount: 'Student Discount Certificate',
    } as const;
    for (const [template, title] of Object.entries(titles) as [CertificateTemplate, string][]) {
      const doc = compose(template, 'en', template === 'studentDiscount' ? '2027-02-23' : null);
      expect(doc.title).toBe(title);
      expect(doc.language).toBe('en');
      expect(doc.faculty).toBe('Faculty of Engineering');
      expect(doc.body.join(' ')).toMatch(/^This is to certify/);
    }
  });

  it('prints the graduation date on graduation and expected-graduation certificates, and the degree on the graduation one', () => {
    const expected = compose('expectedGraduation', 'ja');
    expect(expected.title).toBe('卒業見込証明書');
    expect(expected.dates.graduation).toEqual({ date: '2027-03-31', expected: true });
    expect(expected.degree).toBeUndefined();
    const graduation = composeFor({ ...student, status: 'graduated', graduationDate: '2026-03-25' }, 'graduation', 'ja');
    expect(graduation.title).toBe('卒業証明書');
    expect(graduation.degree).toBe('学士(工学)');
    expect(graduation.dates.graduation).toEqual({ date: '2026-03-25', expected: false });
  });

  it("says on a transcript whether graduation is still expected or has happened, as the registry has the student's status", () => {
    expect(composeFor(student, 'transcript', 'ja').dates.graduation).toEqual({ date: '2027-03-31', expected: true });
    const graduate = { ...student, status: 'graduated' as const, graduationDate: '2026-03-25' };
    expect(composeFor(graduate, 'transcript', 'en').dates.graduation).toEqual({ date: '2026-03-25', expected: false });
    // A student who left has no graduation date to print, expected or not.
    expect(composeFor({ ...student, status: 'withdrawn' }, 'transcript', 'ja').dates.graduation).toBeUndefined();
    expect(composeFor({ ...student, graduationDate: null }, 'transcript', 'ja').dates.graduation).toBeUndefined();
  });

  it('prints no graduation date on the enrollment certificate and the student discount', () => {
    expect(compose('enrollment', 'ja').dates.graduation).toBeUndefined();
    expect(compose('studentDiscount', 'ja', '2027-02-23').dates.graduation).toBeUndefined();
  });

  it('prints the verification code in the XXXXX-XXXXX form that /verify shows', () => {
    expect(compose('enrollment', 'en').verificationCode).toBe('ABCDE-12345');
  });

  it('puts the grades on the transcript by term with total credits and GPA', () => {
    const doc = compose('transcript', 'ja');
    expect(doc.title).toBe('成績証明書');
    expect(doc.transcript!.rows.map((r) => r.courseCode)).toEqual(['GE101', 'GE900', 'PE101', 'MA102']);
    expect(doc.transcript!.rows[0]).toEqual({ courseCode: 'GE101', title: '日本語表現法', credits: 2, grade: 'A', term: '2023年度前期' });
    expect(doc.transcript!.totals.credits).toBe(9);
    // (3×2 + 4×1 + 2×2) / 5 = 2.8; 認定 counts for credits only.
    expect(doc.transcript!.totals.gpa).toBe(2.8);
    expect(compose('transcript', 'en').transcript!.rows[3]!.term).toBe('Fall 2023');
  });

  it('states the validity of the student discount certificate in its body and dates', () => {
    const doc = compose('studentDiscount', 'ja', '2027-02-23');
    expect(doc.title).toBe('学割証');
    expect(doc.dates.validUntil).toBe('2027-02-23');
    expect(doc.body).toContain('本証は、2027年2月23日まで有効とする。');
    expect(compose('studentDiscount', 'en', '2027-02-23').body).toContain('This certificate is valid until February 23, 2027.');
  });

  it('formats dates and terms for each language', () => {
    expect(formatDate('2027-03-31', 'ja')).toBe('2027年3月31日');
    expect(formatDate('2027-03-31', 'en')).toBe('March 31, 2027');
    expect(formatTerm('2024-1', 'en')).toBe('Spring 2024');
    expect(formatTerm('special', 'ja')).toBe('special');
    expect(transcriptOf([], 'ja').totals).toEqual({ credits: 0, gpa: null });
  });
});
