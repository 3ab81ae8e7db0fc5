/**
 * Certificates: the student's issue flow, the home lists, campus printing, the /store
 * simulator and the staff console pages. Types only (the renderer imports them). Errors have the
 * `ApiError` shape of contract/api.ts.
 */
import type { LocalizedName } from './admin.js';
import type { Language } from './api.js';
import type { EnrollmentStatus } from './registry.js';

export type { LocalizedName };

/** Where the certificates go: コンビニ / 学内印刷 / 郵送, or PDF送付 (a signed PDF to a recipient's mail). */
export type Destination = 'convenience' | 'campus' | 'mail' | 'pdf';

/** Which PDF layout a type uses. */
export type CertificateTemplate = 'enrollment' | 'expectedGraduation' | 'graduation' | 'transcript' | 'studentDiscount';

export type CertificateStatus = 'valid' | 'revoked';

/** A kind of certificate students may request, as staff edit it. */
export interface CertificateType {
  /** Stable key, `[a-z][a-z0-9-]{1,15}`. */
  code: string;
  name: LocalizedName;
  template: CertificateTemplate;
  /** Languages the certificate can be issued in (non-empty). */
  languages: Language[];
  /** Registry statuses of students who may request it. */
  eligibleStatuses: EnrollmentStatus[];
  /** When set, the student's graduation date must be known, not past, and at most this many months away. */
  requiresGraduationDateWithinMonths: number | null;
  destinations: Destination[];
  /** Copies of this type per order (1–20). */
  maxCopies: number;
  /** Months the certificate is valid after its issue date; null = no stated validity. */
  validityMonths: number | null;
  /** Fee per copy in yen. */
  fee: number;
  /** Inactive types cannot be ordered. */
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

/** A 郵送 address: domestic (the prefecture's `ja` name) or overseas (free lines and the country). */
export type { PostalAddress } from '../shared/postal-address.js';
import type { PostalAddress } from '../shared/postal-address.js';
/** The recipient of a PDF送付 order (提出先, name, mail address, language of their mail). */
export type { PdfRecipient } from '../shared/pdf-recipient.js';
import type { PdfRecipient } from '../shared/pdf-recipient.js';

/* ------------------------------------------------------------------ */
/* Student: /api/certificates (signed in with a verified mail address) */
/* ------------------------------------------------------------------ */

/** One type as offered to one student ID. `unavailable` says why it cannot be ordered (an ErrorCode), null when it can. */
export interface CertificateTypeOption {
  code: string;
  name: LocalizedName;
  template: CertificateTemplate;
  languages: Language[];
  destinations: Destination[];
  maxCopies: number;
  fee: number;
  validityMonths: number | null;
  unavailable: string | null;
}

/** One of the account's student IDs with what it may order. */
export interface StudentOption {
  studentId: string;
  status: EnrollmentStatus;
  university: LocalizedName;
  faculty: LocalizedName;
  department: LocalizedName;
  types: CertificateTypeOption[];
}

/** GET /api/certificates/options */
export interface CertificateOptionsResponse {
  students: StudentOption[];
  /** All lines of one order together (20). */
  maxCopiesPerOrder: number;
  /** Days a convenience-store reservation stays printable. */
  reservationValidDays: number;
  /** PDF送付: days the recipient's link works and downloads it allows. */
  pdfDelivery: { validDays: number; maxDownloads: number };
  /** The 47 prefectures for the domestic address form; the address carries the `ja` name. */
  prefectures: LocalizedName[];
}

/** POST /api/certificates/orders → 201 OrderView. Bad input: 400 `validation.failed` with `fields`; rule breaks: `order.*`. */
export interface PlaceOrderRequest {
  studentId: string;
  destination: Destination;
  items: OrderItem[];
  /** Required when destination is `mail`. */
  postalAddress?: PostalAddress;
  /** Required when destination is `pdf`. */
  pdfRecipient?: PdfRecipient;
}

/**
 * What the student sees of an order, one status for the whole order:
 * reserved / printing / printed / expired / cancelled (コンビニ), awaitingCampusPrint / printing /
 * printed (学内印刷), awaitingShipment / shipped / cancelled (郵送).
 */
export type OrderStatus = 'reserved' | 'printing' | 'printed' | 'expired' | 'cancelled' | 'awaitingCampusPrint' | 'awaitingShipment' | 'shipped' | 'sent';

/** PDF送付: who it went to and what the recipient did with the link (student and staff see the same). */
export interface PdfDeliveryView {
  recipient: PdfRecipient;
  expiresAt: string;
  maxDownloads: number;
  downloads: number;
  /** When the recipient first opened the download page; null: not yet. */
  firstOpenedAt: string | null;
  lastDownloadAt: string | null;
}

export interface OrderLineView {
  certificateNumber: string;
  typeCode: string;
  typeName: LocalizedName;
  language: Language;
  copies: number;
  validUntil: string | null;
  /** Revoked certificates say so in the history. */
  certificateStatus: CertificateStatus;
}

export interface OrderView {
  id: string;
  createdAt: string;
  destination: Destination;
  studentId: string;
  status: OrderStatus;
  /** True while it belongs in 現在の申請一覧 (reserved/printing reservations, waiting campus jobs, mail awaiting shipment). */
  current: boolean;
  lines: OrderLineView[];
  totalFee: number;
  /** コンビニ: 予約番号 and its expiry. */
  reservation: { number: string; expiresAt: string; printedAt: string | null } | null;
  /** 学内印刷: the job to print at a kiosk. */
  campusJob: { id: string; printedAt: string | null } | null;
  /** 郵送: where it goes and its shipping. */
  mail: { address: PostalAddress; trackingNumber: string | null; shippedAt: string | null } | null;
  /** PDF送付: the recipient and the link's use. */
  pdf: PdfDeliveryView | null;
}

/** GET /api/certificates/orders: 現在の申請一覧 (current) and 申請一覧 (history, all orders), newest first. */
export interface OrderListResponse {
  current: OrderView[];
  history: OrderView[];
}

/* ---- Campus printing (kiosk sessions only; `kiosk.print(jobId)` uses these) ---- */

/** POST /api/certificates/campus-jobs/:id/claim → the documents to print, valid while the claim holds. */
export interface CampusClaimResponse {
  jobId: string;
  claimId: string;
  documents: Array<{ certificateNumber: string; typeCode: string; language: Language; copies: number; /** GET, same session */ url: string }>;
}
/** POST /api/certificates/campus-jobs/:id/complete */
export interface CampusCompleteRequest {
  claimId: string;
}
/** Answer of POST /api/certificates/campus-jobs/:id/complete */
export interface CampusCompleteResponse {
  jobId: string;
  printedAt: string;
}
/** POST /api/certificates/campus-jobs/:id/fail (the job stays printable) */
export interface CampusFailRequest {
  claimId: string;
  /** Printer error text for the log (not shown to students). */
  detail: string;
}

/** Answer of POST /api/certificates/campus-jobs/:id/fail: the job is `waiting` (printable) again. */
export interface CampusFailResponse {
  jobId: string;
  status: 'waiting';
}

/* ---- /api/store: the simulated convenience-store printer ---- */

/** POST /api/store/lookup { number } */
export interface StoreLookupRequest {
  number: string;
}
export interface StoreLookupResponse {
  number: string;
  expiresAt: string;
  documents: Array<{ certificateNumber: string; typeName: LocalizedName; language: Language; copies: number; pages: number }>;
  totalCopies: number;
  totalFee: number;
}
/**
 * POST /api/store/claim { number } → the number is held for this terminal until `leaseUntil`.
 * GET every `url`, then confirm; a print is finished only when the terminal has the documents.
 */
export interface StoreClaimResponse {
  number: string;
  claimId: string;
  leaseUntil: string;
  documents: Array<{ certificateNumber: string; copies: number; /** GET while the claim holds */ url: string }>;
}
/** POST /api/store/confirm: the terminal has every document. */
export interface StoreConfirmRequest {
  number: string;
  claimId: string;
}
/** Answer of POST /api/store/confirm (also to a repeated confirmation of the same claim). */
export interface StoreConfirmResponse {
  number: string;
  printedAt: string;
}
/** POST /api/store/fail: the terminal could not print; the number is printable again at once. */
export interface StoreFailRequest {
  number: string;
  claimId: string;
  /** Printer error text for the log (not shown). */
  detail: string;
}
/** Answer of POST /api/store/fail. */
export interface StoreFailResponse {
  number: string;
  status: 'reserved';
}

/* ---- Staff: /api/admin/certificates, /api/admin/mail-orders, /api/admin/certificate-types ---- */

export interface AdminCertificateView {
  number: string;
  typeCode: string;
  typeName: LocalizedName;
  language: Language;
  copies: number;
  studentId: string;
  holderNameKanji: string;
  issueDate: string;
  validUntil: string | null;
  destination: Destination;
  status: CertificateStatus;
  revokedAt: string | null;
  revokedBy: string | null;
  revocationReason: string | null;
  /** PDF送付: the recipient and the link's use; null for printed certificates. */
  pdfDelivery: PdfDeliveryView | null;
}
export interface AdminCertificateList {
  total: number;
  items: AdminCertificateView[];
}
/** POST /api/admin/certificates/:number/revoke */
export interface RevokeRequest {
  reason: string;
}

export interface AdminMailOrderView {
  id: string;
  orderId: string;
  createdAt: string;
  studentId: string;
  recipientName: string;
  address: PostalAddress;
  lines: Array<{ certificateNumber: string; typeName: LocalizedName; language: Language; copies: number }>;
  status: 'awaitingShipment' | 'shipped' | 'cancelled';
  trackingNumber: string | null;
  shippedAt: string | null;
  shippedBy: string | null;
}
export interface AdminMailOrderList {
  total: number;
  items: AdminMailOrderView[];
}
/** POST /api/admin/mail-orders/:id/ship */
export interface ShipRequest {
  trackingNumber: string;
}
/** Answer of the ship: the order as shipped; `studentNotified` false when the mail could not be sent (the shipment stands). */
export interface ShipResponse {
  mailOrder: AdminMailOrderView;
  studentNotified: boolean;
}

/** A type in the console's catalogue: `issued` certificates of it exist (then it can be retired, never deleted). */
export interface AdminCertificateTypeItem extends CertificateType {
  issued: number;
}

/**
 * The certificate catalogue (administrators change it; every staff user reads it):
 *   GET    /api/admin/certificate-types           → AdminCertificateTypeList (display order, inactive ones too)
 *   POST   /api/admin/certificate-types           CertificateType → 201 CertificateType (a new code only)
 *   PUT    /api/admin/certificate-types/:code     CertificateType → CertificateType (creates or replaces)
 *   DELETE /api/admin/certificate-types/:code     → AdminCertificateTypeList (only a type never issued)
 *   POST   /api/admin/certificate-types/template  → LoadTemplateResponse (adds the usual set's missing codes)
 */
export type AdminCertificateTypeList = AdminCertificateTypeItem[];

export interface LoadTemplateResponse {
  /** Codes of the types added, in display order; empty when every code existed. */
  added: string[];
  types: AdminCertificateTypeList;
}
