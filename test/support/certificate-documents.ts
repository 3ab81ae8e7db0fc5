/** Sample CertificateDocument inputs for the PDF renderer's tests and bench (every kind, ja and en). */
import type { CertificateDocument, CertificateKind, TranscriptRow } from '../../service/domain/certificates/document.js';
import type { Language } from '../../service/domain/model.js';
import { CERTIFICATE_BODIES, formatDate } from '../../service/domain/certificates/compose.js';
import { encodeRgbaPng } from '../../service/adapters/images/png.js';

export const CERTIFICATE_KINDS: readonly CertificateKind[] = ['enrollment', 'expectedGraduation', 'graduation', 'transcript', 'studentDiscount'];

const TITLES: Record<CertificateKind, Record<Language, string>> = {
  enrollment: { ja: '在学証明書', en: 'Certificate of Enrollment' },
  expectedGraduation: { ja: '卒業見込証明書', en: 'Certificate of Expected Graduation' },
  graduation: { ja: '卒業証明書', en: 'Certificate of Graduation' },
  transcript: { ja: '成績証明書', en: 'Academic Transcript' },
  studentDiscount: { ja: '学校学生生徒旅客運賃割引証', en: 'Student Discount Certificate' },
};

/** The composer's own body texts, with the 学割証's last valid day filled in. */
const bodyOf = (kind: CertificateKind, language: Language, validUntil: string): string[] =>
  CERTIFICATE_BODIES[kind][language].map((p) => p.replace('{validUntil}', formatDate(validUntil, language)));

const JA_COURSES = [
  '情報科学概論',
  '線形代数学Ⅰ',
  '微分積分学Ⅱ',
  'プログラミング演習',
  '英語コミュニケーションA',
  '確率・統計',
  'データベースシステム論',
  '計算機アーキテクチャと並列分散処理システムの基礎および応用演習',
];
const EN_COURSES = [
  'Introduction to Computer Science',
  'Linear Algebra I',
  'Calculus II',
  'Programming Laboratory',
  'English Communication A',
  'Probability and Statistics',
  'Database Systems',
  'Foundations and Applied Exercises in Computer Architecture and Parallel Distributed Processing Systems',
];
const GRADES = ['S', 'A', 'B', 'C', 'A', 'S'];

/** `count` transcript rows with some long titles (to exercise wrapping). */
export function sampleTranscriptRows(count: number, language: Language): TranscriptRow[] {
  const titles = language === 'ja' ? JA_COURSES : EN_COURSES;
  return Array.from({ length: count }, (_, i) => ({
    courseCode: `CS${String(1001 + i)}`,
    title: titles[i % titles.length]!,
    credits: i % 4 === 0 ? 1 : 2,
    grade: GRADES[i % GRADES.length]!,
    term:
      language === 'ja'
        ? `${2023 + Math.floor(i / 20)}年度${i % 2 === 0 ? '前期' : '後期'}`
        : `${i % 2 === 0 ? 'Spring' : 'Fall'} ${2023 + Math.floor(i / 20)}`,
  }));
}

/** The seal's red (ink) in the sample seal. */
export const SEAL_INK = [200, 22, 30] as const;

/**
 * A seal as uploads are stored (8-bit RGBA PNG, transparent around the ink): a red double frame with
 * a filled centre, `width` × `height` pixels.
 */
export function sampleSeal(width = 240, height = 240): { png: Uint8Array; width: number; height: number } {
  const pixels = new Uint8Array(width * height * 4);
  const t = Math.round(Math.min(width, height) / 16);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const edge = Math.min(x, y, width - 1 - x, height - 1 - y);
      const ink = edge < t || (edge >= 2 * t && edge < 2.5 * t) || (edge >= 4 * t && (x + y) % 7 < 4);
      if (!ink) continue;
      pixels.set([...SEAL_INK, 255], (y * width + x) * 4);
    }
  }
  return { png: encodeRgbaPng(pixels, width, height), width, height };
}

/** A complete document of `kind` in `language`; `courses` rows for transcripts. */
export function sampleCertificateDocument(kind: CertificateKind, language: Language, courses = 60): CertificateDocument {
  const ja = language === 'ja';
  const rows = kind === 'transcript' ? sampleTranscriptRows(courses, language) : [];
  return {
    kind,
    language,
    title: TITLES[kind][language],
    holder: { nameKanji: '山田 花子', nameRoman: 'Hanako YAMADA', birthDate: '2004-04-02' },
    studentId: '24T1234A',
    issuer: {
      name: ja ? '東都国際大学' : 'Tohto International University',
      officerTitle: ja ? '学長' : 'President',
      officerName: ja ? '佐藤 健一' : 'Kenichi SATO',
      seal: sampleSeal(),
    },
    faculty: ja ? '理工学部' : 'Faculty of Science and Engineering',
    department: ja ? '情報工学科' : 'Department of Computer Science and Engineering',
    ...(kind === 'graduation' ? { degree: ja ? '学士（工学）' : 'Bachelor of Engineering' } : {}),
    dates: {
      enrollmentDate: '2024-04-01',
      ...(kind === 'graduation' || kind === 'expectedGraduation' || kind === 'transcript'
        ? { graduation: { date: '2028-03-25', expected: kind !== 'graduation' } }
        : {}),
      ...(kind === 'studentDiscount' ? { validUntil: '2027-02-23' } : {}),
    },
    body: bodyOf(kind, language, '2027-02-23'),
    ...(kind === 'transcript' ? { transcript: { rows, totals: { credits: rows.reduce((s, r) => s + r.credits, 0), gpa: 3.21 } } } : {}),
    issueDate: '2026-11-24',
    certificateNumber: 'C2026-000123',
    verificationCode: 'K7QF3-MZP8X',
    verifyUrl: 'https://shomei.example.ac.jp/verify',
    // About as long as a real one: URL + fragment with number, type, name hash, date and an Ed25519 signature.
    qrPayload:
      'https://shomei.example.ac.jp/verify#v1.C2026-000123.enrollment.20261124.q3Jx9dT0bW2sYkLmNpQrStUvWxYz0123456789ab.' +
      'MEUCIQDkq3Zx8vYtP2nS1rW5uJ7hL0aB9cD4eF6gH8iJ2kL3mQIgN5oP7qR9sT1uV3wX5yZ7aB9cD1eF3gH5iJ7kL9mN1oP',
  };
}
