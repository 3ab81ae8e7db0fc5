/**
 * The plain-data input of the certificate PDF renderer (service/adapters/pdf/render-certificate.ts).
 * Everything the page shows is already decided here — texts composed, dates as ISO strings — so the
 * renderer is a pure layout step and templates stay data. No pdf-lib types on purpose.
 */
import type { Language } from '../model.js';
import type { CertificateTemplate } from './model.js';

/** Which layout to use; the same union as `CertificateType.template`. */
export type CertificateKind = CertificateTemplate;

/** One course line of a transcript. */
export interface TranscriptRow {
  courseCode: string;
  /** Course title in the certificate's language; wrapped when long. */
  title: string;
  credits: number;
  /** As printed, e.g. 'S', 'A', 'B', 'C', '合', 'P'. */
  grade: string;
  /** As printed, e.g. '2025前期' / 'Spring 2025'. */
  term: string;
}

export interface TranscriptTotals {
  /** Total credits earned (printed on the last page). */
  credits: number;
  /** Grade point average, printed with two decimals; null = not shown. */
  gpa: number | null;
}

export interface CertificateDocument {
  kind: CertificateKind;
  language: Language;
  /** Large centred title, e.g. '在学証明書' / 'Certificate of Enrollment'. */
  title: string;
  holder: {
    nameKanji: string;
    nameRoman: string;
    /** ISO date, YYYY-MM-DD. */
    birthDate: string;
  };
  studentId: string;
  /** The issuing institution and officer (大学情報), in the certificate's language. */
  issuer: {
    name: string;
    /** e.g. '学長' / 'President'. */
    officerTitle: string;
    officerName: string;
    /** The official seal (公印) as PNG, printed over the officer's name; null: none uploaded. */
    seal: { png: Uint8Array; width: number; height: number } | null;
  };
  faculty: string;
  department: string;
  /** Degree name (graduation certificates), e.g. '学士（工学）' / 'Bachelor of Engineering'. */
  degree?: string;
  /** Delivered as a file rather than printed: the organisation it is submitted to (提出先). Absent on printed certificates. */
  digitalDelivery?: { submittedTo: string };
  /** ISO dates (YYYY-MM-DD); only those the kind needs are printed. */
  dates: {
    enrollmentDate?: string;
    /**
     * The graduation date and whether it is still expected (卒業見込年月日 while enrolled) or past
     * (卒業年月日 once graduated); absent when the kind prints none or the student left without one.
     */
    graduation?: { date: string; expected: boolean };
    /** Last day the certificate may be used (学割証). */
    validUntil?: string;
  };
  /** Body paragraphs, already composed in the certificate's language. */
  body: string[];
  /** Only for kind 'transcript'. */
  transcript?: {
    rows: TranscriptRow[];
    totals: TranscriptTotals;
  };
  /** ISO date or date-time; printed as the issue date and used as the PDF creation date. */
  issueDate: string;
  certificateNumber: string;
  /** As printed, `XXXXX-XXXXX` (the form /verify shows in its example). */
  verificationCode: string;
  /** Printed under the QR code, e.g. 'https://shomei.example.ac.jp/verify'. */
  verifyUrl: string;
  /** Encoded in the QR code as given (verify URL with the offline payload in its fragment). */
  qrPayload: string;
}
