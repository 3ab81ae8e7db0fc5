/**
 * Certificates: the records. Their state machines are in state-machines.ts (pure
 * transition functions, applied atomically through the store's conditional updates by
 * transitions.ts); the store port is in store.ts.
 */
import type { Language } from '../model.js';
import type { PostalAddress } from '../../shared/postal-address.js';
import type { EnrollmentStatus, LocalizedName } from '../registry/model.js';

// The shared vocabulary (service/shared/), named here too for the domain's own modules.
export type { PostalAddress } from '../../shared/postal-address.js';

/** Where the certificates go: printed at コンビニ / 学内印刷 / 郵送, or sent as a signed PDF (PDF送付) to a recipient. */
export type Destination = 'convenience' | 'campus' | 'mail' | 'pdf';
export const DESTINATIONS: readonly Destination[] = ['convenience', 'campus', 'mail', 'pdf'];

/** Which PDF layout a type uses (the PDF module picks its template by this). */
export type CertificateTemplate = 'enrollment' | 'expectedGraduation' | 'graduation' | 'transcript' | 'studentDiscount';
export const CERTIFICATE_TEMPLATES: readonly CertificateTemplate[] = ['enrollment', 'expectedGraduation', 'graduation', 'transcript', 'studentDiscount'];

/** At most this many copies in one order, all lines together. */
export const MAX_COPIES_PER_ORDER = 20;

/** A kind of certificate students may request; configurable by staff (validated by `certificateTypeSchema`). */
export interface CertificateType {
  /** Stable key, `[a-z][a-z0-9-]{1,15}`; appears in the signed offline payload, so keep it short. */
  code: string;
  name: LocalizedName;
  template: CertificateTemplate;
  /** Languages the certificate can be issued in (non-empty). */
  languages: Language[];
  /** Registry statuses (StudentRecord.status) of students who may request it. */
  eligibleStatuses: EnrollmentStatus[];
  /**
   * When set, the student's `graduationDate` must be known, not in the past, and at most this
   * many months after today (卒業見込証明書: final-year students only).
   */
  requiresGraduationDateWithinMonths: number | null;
  destinations: Destination[];
  /** Copies of this type per order (1–20). */
  maxCopies: number;
  /** Months the certificate is valid after its issue date (学割証: 3); null = no stated validity. */
  validityMonths: number | null;
  /** Fee per copy in yen (payment is simulated). */
  fee: number;
  /** Inactive types are kept (issued certificates refer to them) but cannot be ordered. */
  active: boolean;
  /** Display order, ascending. */
  sortOrder: number;
}

/** One line of an order: a type, in a language, some copies. */
export interface OrderItem {
  typeCode: string;
  language: Language;
  copies: number;
}

/** An order placed from 証明書を発行. Its progress lives in the fulfilment record it points to. */
export interface Order {
  id: string;
  accountId: string;
  /** The student ID the certificates are about (an account may have several). */
  studentId: string;
  destination: Destination;
  items: OrderItem[];
  /** Sum of fee × copies, yen. */
  totalFee: number;
  /** Language of the mails about this order. */
  language: Language;
  /** IDs of the IssuedCertificate records (one per item). */
  certificateIds: string[];
  /** The Reservation, CampusJob, MailOrder or PdfDelivery that fulfils it (by `destination`). */
  fulfilmentId: string;
  createdAt: string;
}

export type CertificateStatus = 'valid' | 'revoked';

/** One issued document (one per order line; its copies are identical prints of the same PDF). */
export interface IssuedCertificate {
  id: string;
  /** `SHM-YYYY-XXXX-XXXX` (see numbers.ts). Unique. */
  number: string;
  /** 10 characters of the unambiguous alphabet (see numbers.ts); asked by /verify with the number. */
  verificationCode: string;
  orderId: string;
  accountId: string;
  studentId: string;
  typeCode: string;
  language: Language;
  copies: number;
  /** YYYY-MM-DD (Japan time). */
  issueDate: string;
  /** YYYY-MM-DD, last day of validity; null when the type has none. */
  validUntil: string | null;
  issuedAt: string;
  /** Snapshot for verification without the registry: the name in kanji as printed. */
  holderNameKanji: string;
  /**
   * The name in roman letters as printed on English certificates, and its katakana reading (which
   * tells /verify which roman part is the family name); absent on records issued before they were kept.
   */
  holderNameRoman?: string;
  holderNameKana?: string;
  /** The offline payload in the QR code (offline-payload.ts) and the key that signed it. */
  offlinePayload: string;
  offlineKeyId: string;
  status: CertificateStatus;
  revokedAt: string | null;
  revokedBy: string | null;
  revocationReason: string | null;
}

/* ---- Printing: reservations (コンビニ) and campus jobs (学内印刷) ---- */

/** One attempt to print, kept for the audit and for support. */
export interface PrintAttempt {
  claimId: string;
  /** Who printed: the store terminal / kiosk ID, or `store-simulator`. */
  by: string;
  startedAt: string;
  endedAt: string | null;
  outcome: 'printing' | 'printed' | 'failed' | 'abandoned';
  /** Why it failed (log text, not shown to users). */
  detail: string | null;
}

/** The claim held while a print is under way; another printer cannot claim until `leaseUntil`. */
export interface PrintClaim {
  claimId: string;
  by: string;
  at: string;
  leaseUntil: string;
}

/**
 * 予約番号 for a convenience-store print. States:
 *   reserved ──claim──▶ printing ──complete──▶ printed
 *      ▲                   │
 *      └──────fail─────────┘   (a failed print leaves it printable)
 *   reserved ──(now ≥ expiresAt)──▶ expired      reserved ──cancel──▶ cancelled
 * A `printing` claim whose lease has run out counts as `reserved` again (the printer died).
 */
export type ReservationStatus = 'reserved' | 'printing' | 'printed' | 'expired' | 'cancelled';

export interface Reservation {
  id: string;
  /** 8 digits, unique among active reservations (numbers.ts). */
  number: string;
  orderId: string;
  accountId: string;
  status: ReservationStatus;
  createdAt: string;
  expiresAt: string;
  /** When the reminder mail (24 h before expiry) went out; null before. */
  reminderSentAt: string | null;
  claim: PrintClaim | null;
  printedAt: string | null;
  attempts: PrintAttempt[];
  updatedAt: string;
}

/** 学内印刷: waits for a kiosk print after sign-in; same machine as Reservation but no number and no expiry. */
export type CampusJobStatus = 'waiting' | 'printing' | 'printed' | 'cancelled';

export interface CampusJob {
  id: string;
  orderId: string;
  accountId: string;
  status: CampusJobStatus;
  createdAt: string;
  claim: PrintClaim | null;
  printedAt: string | null;
  attempts: PrintAttempt[];
  updatedAt: string;
}

/* ---- Mail ---- */

export type MailOrderStatus = 'awaitingShipment' | 'shipped' | 'cancelled';

export interface MailOrder {
  id: string;
  orderId: string;
  accountId: string;
  recipientName: string;
  address: PostalAddress;
  status: MailOrderStatus;
  trackingNumber: string | null;
  shippedAt: string | null;
  shippedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/* ---- PDF送付: the signed PDF sent to a recipient (a company) by a mailed link ---- */

/** Who receives a PDF送付 order: one recipient per order (shared/pdf-recipient.ts checks it). */
export type { PdfRecipient } from '../../shared/pdf-recipient.js';
import type { PdfRecipient } from '../../shared/pdf-recipient.js';

/**
 * The link the recipient downloads the order's PDFs from, without an account. Only the hash of the
 * link's token is kept. Each download is counted atomically (`pdfDeliveries.countDownload`); past
 * `expiresAt` or `maxDownloads`, or once a certificate is revoked, the PDF is never served.
 */
export interface PdfDelivery {
  id: string;
  orderId: string;
  accountId: string;
  recipient: PdfRecipient;
  /** hashSecret of the link's token. Unique. */
  tokenHash: string;
  expiresAt: string;
  maxDownloads: number;
  downloads: number;
  /** When the recipient first opened the page (the status, not a download); null before. */
  firstOpenedAt: string | null;
  lastDownloadAt: string | null;
  createdAt: string;
}
