/**
 * The certificate tables' rows as domain records and back, and how each record field is stored
 * (the statements built from that: certificate-statements.ts).
 */
import type { CampusJob, CertificateType, IssuedCertificate, MailOrder, Order, PdfDelivery, PrintClaim, Reservation } from '../../domain/certificates/model.js';
import { isoOf, isoOrNull, jsonParam } from './queryable.js';

/** How a record field is stored: one column (jsonb when `json`), or the four claim columns. */
export type FieldColumn = { column: string; json?: boolean } | 'claim';

export const CLAIM_COLUMNS = ['claim_id', 'claim_by', 'claim_at', 'claim_lease_until'] as const;
export const claimValues = (c: PrintClaim | null): unknown[] => (c === null ? [null, null, null, null] : [c.claimId, c.by, c.at, c.leaseUntil]);

interface ClaimRow {
  claim_id: string | null;
  claim_by: string | null;
  claim_at: Date | null;
  claim_lease_until: Date | null;
}
const claimOf = (r: ClaimRow): PrintClaim | null =>
  r.claim_id === null || r.claim_by === null || r.claim_at === null || r.claim_lease_until === null
    ? null
    : { claimId: r.claim_id, by: r.claim_by, at: isoOf(r.claim_at), leaseUntil: isoOf(r.claim_lease_until) };

/* ---- Rows ---- */

export interface TypeRow {
  code: string;
  name: CertificateType['name'];
  template: CertificateType['template'];
  languages: CertificateType['languages'];
  eligible_statuses: CertificateType['eligibleStatuses'];
  requires_graduation_date_within_months: number | null;
  destinations: CertificateType['destinations'];
  max_copies: number;
  validity_months: number | null;
  fee: number;
  active: boolean;
  sort_order: number;
}
export const toType = (r: TypeRow): CertificateType => ({
  code: r.code,
  name: r.name,
  template: r.template,
  languages: r.languages,
  eligibleStatuses: r.eligible_statuses,
  requiresGraduationDateWithinMonths: r.requires_graduation_date_within_months,
  destinations: r.destinations,
  maxCopies: r.max_copies,
  validityMonths: r.validity_months,
  fee: r.fee,
  active: r.active,
  sortOrder: r.sort_order,
});
export const typeValues = (t: CertificateType): unknown[] => [
  t.code,
  jsonParam(t.name),
  t.template,
  t.languages,
  t.eligibleStatuses,
  t.requiresGraduationDateWithinMonths,
  t.destinations,
  t.maxCopies,
  t.validityMonths,
  t.fee,
  t.active,
  t.sortOrder,
];
export const TYPE_COLUMNS =
  'code, name, template, languages, eligible_statuses, requires_graduation_date_within_months, destinations, max_copies, validity_months, fee, active, sort_order';

export interface OrderRow {
  id: string;
  account_id: string;
  student_id: string;
  destination: Order['destination'];
  items: Order['items'];
  total_fee: number;
  language: Order['language'];
  fulfilment_id: string;
  created_at: Date;
  certificate_ids: string[];
}
export const toOrder = (r: OrderRow): Order => ({
  id: r.id,
  accountId: r.account_id,
  studentId: r.student_id,
  destination: r.destination,
  items: r.items,
  totalFee: r.total_fee,
  language: r.language,
  certificateIds: r.certificate_ids,
  fulfilmentId: r.fulfilment_id,
  createdAt: isoOf(r.created_at),
});
/** An order with its certificates' ids in line order (`certificates.position`), from `FROM orders o`. */
export const ORDER_SELECT = `SELECT o.*, ARRAY(SELECT c.id FROM certificates c WHERE c.order_id = o.id ORDER BY c.position) AS certificate_ids FROM orders o`;

export interface CertificateRow {
  id: string;
  number: string;
  verification_code: string;
  order_id: string;
  account_id: string;
  student_id: string;
  type_code: string;
  language: IssuedCertificate['language'];
  copies: number;
  issue_date: string;
  valid_until: string | null;
  issued_at: Date;
  holder_name_kanji: string;
  holder_name_roman: string | null;
  holder_name_kana: string | null;
  offline_payload: string;
  offline_key_id: string;
  status: IssuedCertificate['status'];
  revoked_at: Date | null;
  revoked_by: string | null;
  revocation_reason: string | null;
}
export const toCertificate = (r: CertificateRow): IssuedCertificate => ({
  id: r.id,
  number: r.number,
  verificationCode: r.verification_code,
  orderId: r.order_id,
  accountId: r.account_id,
  studentId: r.student_id,
  typeCode: r.type_code,
  language: r.language,
  copies: r.copies,
  issueDate: r.issue_date,
  validUntil: r.valid_until,
  issuedAt: isoOf(r.issued_at),
  holderNameKanji: r.holder_name_kanji,
  // Absent on records issued before they were kept.
  ...(r.holder_name_roman !== null ? { holderNameRoman: r.holder_name_roman } : {}),
  ...(r.holder_name_kana !== null ? { holderNameKana: r.holder_name_kana } : {}),
  offlinePayload: r.offline_payload,
  offlineKeyId: r.offline_key_id,
  status: r.status,
  revokedAt: isoOrNull(r.revoked_at),
  revokedBy: r.revoked_by,
  revocationReason: r.revocation_reason,
});
export const CERTIFICATE_FIELDS: Record<keyof IssuedCertificate, FieldColumn> = {
  id: { column: 'id' },
  number: { column: 'number' },
  verificationCode: { column: 'verification_code' },
  orderId: { column: 'order_id' },
  accountId: { column: 'account_id' },
  studentId: { column: 'student_id' },
  typeCode: { column: 'type_code' },
  language: { column: 'language' },
  copies: { column: 'copies' },
  issueDate: { column: 'issue_date' },
  validUntil: { column: 'valid_until' },
  issuedAt: { column: 'issued_at' },
  holderNameKanji: { column: 'holder_name_kanji' },
  holderNameRoman: { column: 'holder_name_roman' },
  holderNameKana: { column: 'holder_name_kana' },
  offlinePayload: { column: 'offline_payload' },
  offlineKeyId: { column: 'offline_key_id' },
  status: { column: 'status' },
  revokedAt: { column: 'revoked_at' },
  revokedBy: { column: 'revoked_by' },
  revocationReason: { column: 'revocation_reason' },
};

export interface ReservationRow extends ClaimRow {
  id: string;
  number: string;
  order_id: string;
  account_id: string;
  status: Reservation['status'];
  created_at: Date;
  expires_at: Date;
  reminder_sent_at: Date | null;
  printed_at: Date | null;
  attempts: Reservation['attempts'];
  updated_at: Date;
}
export const toReservation = (r: ReservationRow): Reservation => ({
  id: r.id,
  number: r.number,
  orderId: r.order_id,
  accountId: r.account_id,
  status: r.status,
  createdAt: isoOf(r.created_at),
  expiresAt: isoOf(r.expires_at),
  reminderSentAt: isoOrNull(r.reminder_sent_at),
  claim: claimOf(r),
  printedAt: isoOrNull(r.printed_at),
  attempts: r.attempts,
  updatedAt: isoOf(r.updated_at),
});
export const RESERVATION_FIELDS: Record<keyof Reservation, FieldColumn> = {
  id: { column: 'id' },
  number: { column: 'number' },
  orderId: { column: 'order_id' },
  accountId: { column: 'account_id' },
  status: { column: 'status' },
  createdAt: { column: 'created_at' },
  expiresAt: { column: 'expires_at' },
  reminderSentAt: { column: 'reminder_sent_at' },
  claim: 'claim',
  printedAt: { column: 'printed_at' },
  attempts: { column: 'attempts', json: true },
  updatedAt: { column: 'updated_at' },
};

export interface CampusJobRow extends ClaimRow {
  id: string;
  order_id: string;
  account_id: string;
  status: CampusJob['status'];
  created_at: Date;
  printed_at: Date | null;
  attempts: CampusJob['attempts'];
  updated_at: Date;
}
export const toCampusJob = (r: CampusJobRow): CampusJob => ({
  id: r.id,
  orderId: r.order_id,
  accountId: r.account_id,
  status: r.status,
  createdAt: isoOf(r.created_at),
  claim: claimOf(r),
  printedAt: isoOrNull(r.printed_at),
  attempts: r.attempts,
  updatedAt: isoOf(r.updated_at),
});
export const CAMPUS_JOB_FIELDS: Record<keyof CampusJob, FieldColumn> = {
  id: { column: 'id' },
  orderId: { column: 'order_id' },
  accountId: { column: 'account_id' },
  status: { column: 'status' },
  createdAt: { column: 'created_at' },
  claim: 'claim',
  printedAt: { column: 'printed_at' },
  attempts: { column: 'attempts', json: true },
  updatedAt: { column: 'updated_at' },
};

export interface MailOrderRow {
  id: string;
  order_id: string;
  account_id: string;
  recipient_name: string;
  address: MailOrder['address'];
  status: MailOrder['status'];
  tracking_number: string | null;
  shipped_at: Date | null;
  shipped_by: string | null;
  created_at: Date;
  updated_at: Date;
}
export const toMailOrder = (r: MailOrderRow): MailOrder => ({
  id: r.id,
  orderId: r.order_id,
  accountId: r.account_id,
  recipientName: r.recipient_name,
  address: r.address,
  status: r.status,
  trackingNumber: r.tracking_number,
  shippedAt: isoOrNull(r.shipped_at),
  shippedBy: r.shipped_by,
  createdAt: isoOf(r.created_at),
  updatedAt: isoOf(r.updated_at),
});
export const MAIL_ORDER_FIELDS: Record<keyof MailOrder, FieldColumn> = {
  id: { column: 'id' },
  orderId: { column: 'order_id' },
  accountId: { column: 'account_id' },
  recipientName: { column: 'recipient_name' },
  address: { column: 'address', json: true },
  status: { column: 'status' },
  trackingNumber: { column: 'tracking_number' },
  shippedAt: { column: 'shipped_at' },
  shippedBy: { column: 'shipped_by' },
  createdAt: { column: 'created_at' },
  updatedAt: { column: 'updated_at' },
};

export interface PdfDeliveryRow {
  id: string;
  order_id: string;
  account_id: string;
  recipient: PdfDelivery['recipient'];
  token_hash: string;
  expires_at: Date;
  max_downloads: number;
  downloads: number;
  first_opened_at: Date | null;
  last_download_at: Date | null;
  created_at: Date;
}
export const toPdfDelivery = (r: PdfDeliveryRow): PdfDelivery => ({
  id: r.id,
  orderId: r.order_id,
  accountId: r.account_id,
  recipient: r.recipient,
  tokenHash: r.token_hash,
  expiresAt: isoOf(r.expires_at),
  maxDownloads: r.max_downloads,
  downloads: r.downloads,
  firstOpenedAt: isoOrNull(r.first_opened_at),
  lastDownloadAt: isoOrNull(r.last_download_at),
  createdAt: isoOf(r.created_at),
});
export const PDF_DELIVERY_FIELDS: Record<keyof PdfDelivery, FieldColumn> = {
  id: { column: 'id' },
  orderId: { column: 'order_id' },
  accountId: { column: 'account_id' },
  recipient: { column: 'recipient', json: true },
  tokenHash: { column: 'token_hash' },
  expiresAt: { column: 'expires_at' },
  maxDownloads: { column: 'max_downloads' },
  downloads: { column: 'downloads' },
  firstOpenedAt: { column: 'first_opened_at' },
  lastDownloadAt: { column: 'last_download_at' },
  createdAt: { column: 'created_at' },
};
