/**
 * The institution (大学情報) and the setup checklist: what the service shows as "the university",
 * and what is still missing before students can use it. Types only.
 */
import type { Language } from './api.js';

export type LocalizedText = Record<Language, string>;

/** One line of 動作条件 (supported environments), e.g. パソコン — Chrome, Firefox, Safari, Edge. */
export interface EnvironmentRow {
  category: LocalizedText;
  detail: LocalizedText;
}

/** お問い合わせ先: the office students contact. */
export interface InstitutionContact {
  office: LocalizedText;
  phone: string;
  mail: string;
  /** 受付時間, e.g. 平日 9:00〜17:00 / Weekdays 9:00–17:00. */
  hours: LocalizedText;
  /** The office's web page (https), or null. */
  webUrl: string | null;
}

/** What every visitor sees of the institution (in GET /api/session and the manual). */
export interface InstitutionInfo {
  name: LocalizedText;
  /** Short form for headers, e.g. 〇〇大 / XX Univ. */
  shortName: LocalizedText;
  contact: InstitutionContact;
  environments: EnvironmentRow[];
  /** `/api/institution/logo?v=<hash>` when a logo was uploaded. */
  logoUrl: string | null;
}

/** The profile as an administrator edits it (PUT /api/admin/institution). */
export interface InstitutionProfileInput {
  name: LocalizedText;
  shortName: LocalizedText;
  /** The issuing officer printed on certificates, e.g. 学長 山田 太郎 / President Taro Yamada. */
  officer: { title: LocalizedText; name: LocalizedText };
  contact: InstitutionContact;
  environments: EnvironmentRow[];
}

export type InstitutionImageKind = 'seal' | 'logo';

export interface InstitutionImageInfo {
  /** Staff-only preview URL (the seal) or the public URL (the logo), versioned by content. */
  url: string;
  width: number;
  height: number;
  /** What was uploaded; both are stored as PNG. */
  uploadedType: 'image/png' | 'image/svg+xml';
  uploadedAt: string;
}

/** GET /api/admin/institution (any staff) and the answer of every change (administrators). */
export interface AdminInstitution {
  profile: InstitutionProfileInput | null;
  updatedAt: string | null;
  seal: InstitutionImageInfo | null;
  logo: InstitutionImageInfo | null;
  setup: SetupStatus;
}

/** The checklist items, in the order the console lists them. */
export type SetupItemCode = 'profile' | 'seal' | 'certificateType' | 'signingKey';

/**
 * Why an item is not done: `missing` for the first three; for the signing key `missing`
 * (CERT_SIGNING_KEY / CERT_SIGNING_CERT unset), `subjectMismatch` (the certificate names another
 * institution), `expired` or `notYetValid`.
 */
export type SetupProblem = 'missing' | 'subjectMismatch' | 'expired' | 'notYetValid';

export interface SetupItem {
  code: SetupItemCode;
  done: boolean;
  problem: SetupProblem | null;
}

export interface SigningCertificateInfo {
  /** How the key came: the configuration, or generated for demo mode. */
  source: 'configured' | 'generated';
  /** The subject as printed by the certificate (e.g. `CN=XX University, O=XX University`). */
  subject: string;
  notAfter: string;
}

/** GET /api/admin/setup, and part of AdminInstitution. */
export interface SetupStatus {
  /** True when every item is done: students can sign in and order. */
  open: boolean;
  items: SetupItem[];
  signingCertificate: SigningCertificateInfo | null;
}
