/**
 * Builds the renderer's `CertificateDocument` from registry data (pure): title and body texts in
 * ja/en per template, the holder, the issuer, the dates, the transcript rows with totals.
 */
import type { Language } from '../model.js';
import type { GradeRecord, LocalizedName, StudentRecord } from '../registry/model.js';
import type { CertificateDocument, TranscriptRow } from './document.js';
import type { CertificateTemplate, CertificateType } from './model.js';
import { formatVerificationCode } from './numbers.js';

/** Titles per template. */
export const CERTIFICATE_TITLES: Readonly<Record<CertificateTemplate, LocalizedName>> = {
  enrollment: { ja: '在学証明書', en: 'Certificate of Enrollment' },
  expectedGraduation: { ja: '卒業見込証明書', en: 'Certificate of Expected Graduation' },
  graduation: { ja: '卒業証明書', en: 'Certificate of Graduation' },
  transcript: { ja: '成績証明書', en: 'Academic Transcript' },
  studentDiscount: { ja: '学割証', en: 'Student Discount Certificate' },
};

/** Body paragraphs per template; `{validUntil}` is replaced by the formatted last day of validity. */
export const CERTIFICATE_BODIES: Readonly<Record<CertificateTemplate, Record<Language, readonly string[]>>> = {
  enrollment: {
    ja: ['上記の者は、本学に在学していることを証明する。'],
    en: ['This is to certify that the above-named person is enrolled at this university.'],
  },
  expectedGraduation: {
    ja: ['上記の者は、所定の課程を修了し、上記の日付に本学を卒業する見込みであることを証明する。'],
    en: [
      'This is to certify that the above-named person is expected to complete the prescribed course and graduate from this university on the date stated above.',
    ],
  },
  graduation: {
    ja: ['上記の者は、本学所定の課程を修了し、上記の日付に卒業したことを証明する。'],
    en: ['This is to certify that the above-named person completed the prescribed course and graduated from this university on the date stated above.'],
  },
  transcript: {
    ja: ['上記のとおり相違ないことを証明する。'],
    en: ['This is to certify that the above is a true and correct record of the academic work of the above-named person.'],
  },
  studentDiscount: {
    ja: ['上記の者は、本学の学生であることを証明する。', '本証は、{validUntil}まで有効とする。'],
    en: ['This is to certify that the above-named person is a student of this university.', 'This certificate is valid until {validUntil}.'],
  },
};

/** Grade points for the GPA; grades not listed (合, P, 認定…) count for credits but not for the GPA. */
export const GRADE_POINTS: Readonly<Record<string, number>> = { S: 4, A: 3, B: 2, C: 1, D: 0, F: 0 };

/** Who issues: the institution profile and its seal, as they are when the certificate is issued. */
export interface CertificateIssuer {
  name: LocalizedName;
  officer: { title: LocalizedName; name: LocalizedName };
  seal: { png: Uint8Array; width: number; height: number } | null;
}

export interface ComposeInput {
  student: StudentRecord;
  /** Only used for transcripts. */
  grades: readonly GradeRecord[];
  type: CertificateType;
  language: Language;
  /** YYYY-MM-DD (Japan time). */
  issueDate: string;
  /** YYYY-MM-DD or null (types without validity). */
  validUntil: string | null;
  certificateNumber: string;
  /** The 10 stored characters; printed as `XXXXX-XXXXX`. */
  verificationCode: string;
  /** Printed under the QR code, e.g. `${publicUrl}/verify`. */
  verifyUrl: string;
  /** The QR content (verify URL with the offline payload). */
  qrPayload: string;
  issuer: CertificateIssuer;
}

/** `2027-03-31` → `2027年3月31日` / `March 31, 2027`. */
export function formatDate(date: string, language: Language): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (language === 'ja') return `${y}年${m}月${d}日`;
  const month = new Date(Date.UTC(2000, m - 1, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  return `${month} ${d}, ${y}`;
}

/** Registry term `2023-1` / `2023-2` → `2023年度前期` / `Spring 2023`; anything else as is. */
export function formatTerm(term: string, language: Language): string {
  const m = /^(\d{4})-([12])$/.exec(term);
  if (!m) return term;
  if (language === 'ja') return `${m[1]}年度${m[2] === '1' ? '前期' : '後期'}`;
  return `${m[2] === '1' ? 'Spring' : 'Fall'} ${m[1]}`;
}

/** Transcript rows (by term, then course code) and totals: credits of every row, GPA over graded rows. */
export function transcriptOf(grades: readonly GradeRecord[], language: Language): { rows: TranscriptRow[]; totals: { credits: number; gpa: number | null } } {
  const sorted = [...grades].sort((a, b) => a.term.localeCompare(b.term) || a.courseCode.localeCompare(b.courseCode));
  const rows = sorted.map((g) => ({
    courseCode: g.courseCode,
    title: g.title[language],
    credits: g.credits,
    grade: g.grade,
    term: formatTerm(g.term, language),
  }));
  let points = 0;
  let graded = 0;
  for (const g of sorted) {
    const p = GRADE_POINTS[g.grade];
    if (p === undefined) continue;
    points += p * g.credits;
    graded += g.credits;
  }
  const credits = sorted.filter((g) => (GRADE_POINTS[g.grade] ?? 1) > 0).reduce((s, g) => s + g.credits, 0);
  return { rows, totals: { credits, gpa: graded > 0 ? Math.round((points / graded) * 100) / 100 : null } };
}

/** The complete document for the renderer. */
export function composeCertificate(input: ComposeInput): CertificateDocument {
  const { student, type, language } = input;
  const template = type.template;
  const { issuer } = input;
  const validUntil = template === 'studentDiscount' || input.validUntil ? input.validUntil : null;
  const body = CERTIFICATE_BODIES[template][language].map((p) => p.replace('{validUntil}', validUntil ? formatDate(validUntil, language) : ''));
  const withGraduation = template === 'graduation' || template === 'expectedGraduation' || template === 'transcript';
  // Said as the registry has it: a graduate's date is past, an enrolled student's still expected;
  // a student who left (withdrawn, removed) has no graduation date to print.
  const graduation =
    withGraduation && student.graduationDate && (student.status === 'graduated' || student.status === 'enrolled')
      ? { date: student.graduationDate, expected: student.status === 'enrolled' }
      : null;
  const doc: CertificateDocument = {
    kind: template,
    language,
    title: CERTIFICATE_TITLES[template][language],
    holder: { nameKanji: student.nameKanji, nameRoman: student.nameRoman, birthDate: student.birthDate },
    studentId: student.studentId,
    issuer: { name: issuer.name[language], officerTitle: issuer.officer.title[language], officerName: issuer.officer.name[language], seal: issuer.seal },
    faculty: student.facultyName[language],
    department: student.departmentName[language],
    ...(template === 'graduation' && student.degree ? { degree: student.degree[language] } : {}),
    dates: {
      enrollmentDate: student.enrollmentDate,
      ...(graduation ? { graduation } : {}),
      ...(validUntil ? { validUntil } : {}),
    },
    body,
    issueDate: input.issueDate,
    certificateNumber: input.certificateNumber,
    verificationCode: formatVerificationCode(input.verificationCode),
    verifyUrl: input.verifyUrl,
    qrPayload: input.qrPayload,
  };
  if (template === 'transcript') doc.transcript = transcriptOf(input.grades, language);
  return doc;
}
