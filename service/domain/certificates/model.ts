/**
 * Certificates (issue #4): the records and their state machines. Pure data and pure transition
 * functions; stores apply a transition atomically with `transition(id, change)` where `change`
 * returns the new record or `null` ("no change": the record had moved on), like
 * `ApplicationStore.transition`.
 */
import type { Language } from '../model.js';
import type { EnrollmentStatus, LocalizedName } from '../registry/model.js';

/** Where the printed certificates come out: コンビニ / 学内印刷 / 郵送. */
export type Destination = 'convenience' | 'campus' | 'mail';
export const DESTINATIONS: readonly Destination[] = ['convenience', 'campus', 'mail'];

/** Which PDF layout a type uses (the PDF module picks its template by this). */
export type CertificateTemplate = 'enrollment' | 'expectedGraduation' | 'graduation' | 'transcript' | 'studentDiscount';
export const CERTIFICATE_TEMPLATES: readonly CertificateTemplate[] = [
  'enrollment',
  'expectedGraduation',
  'graduation',
  'transcript',
  'studentDiscount',
];

/** At most this many copies in one order, all lines together (issue #4 §2). */
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
  /** The Reservation, CampusJob or MailOrder that fulfils it (by `destination`). */
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

export type PostalAddress =
  | {
      kind: 'domestic';
      /** NNN-NNNN */
      postalCode: string;
      prefecture: string;
      /** City, ward, town, block. */
      line1: string;
      /** Building, room; may be empty. */
      line2: string;
    }
  | {
      kind: 'overseas';
      /** Free lines as they appear on the envelope, excluding the country. */
      lines: string[];
      country: string;
    };

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

/* ---- State machines ---- */

export const RESERVATION_TRANSITIONS: Readonly<Record<ReservationStatus, readonly ReservationStatus[]>> = {
  reserved: ['printing', 'expired', 'cancelled'],
  printing: ['printed', 'reserved'],
  printed: [],
  expired: [],
  cancelled: [],
};

export const CAMPUS_JOB_TRANSITIONS: Readonly<Record<CampusJobStatus, readonly CampusJobStatus[]>> = {
  waiting: ['printing', 'cancelled'],
  printing: ['printed', 'waiting'],
  printed: [],
  cancelled: [],
};

export const MAIL_ORDER_TRANSITIONS: Readonly<Record<MailOrderStatus, readonly MailOrderStatus[]>> = {
  awaitingShipment: ['shipped', 'cancelled'],
  shipped: [],
  cancelled: [],
};

export const canTransition = <S extends string>(machine: Readonly<Record<S, readonly S[]>>, from: S, to: S): boolean =>
  machine[from].includes(to);

/** Why a print cannot start now. `busy`: another printer holds an unexpired claim. */
export type PrintRefusal = 'printed' | 'expired' | 'cancelled' | 'busy';

/** Status as seen at `now`: a `reserved` reservation past `expiresAt` is `expired`. */
export function reservationStatusAt(r: Reservation, now: string): ReservationStatus {
  if (r.status === 'reserved' && now >= r.expiresAt) return 'expired';
  if (r.status === 'printing' && r.claim && now >= r.claim.leaseUntil) return now >= r.expiresAt ? 'expired' : 'reserved';
  return r.status;
}

/** True while the number is taken: reserved or printing and not expired (for number uniqueness). */
export const isReservationActive = (r: Reservation, now: string): boolean => {
  const status = reservationStatusAt(r, now);
  return status === 'reserved' || status === 'printing';
};

/** Whether a print could start at `now`, and if not, why. */
export function reservationPrintability(r: Reservation, now: string): { ok: true } | { ok: false; reason: PrintRefusal } {
  const status = reservationStatusAt(r, now);
  if (status === 'reserved') return { ok: true };
  if (status === 'printing') return { ok: false, reason: 'busy' };
  return { ok: false, reason: status };
}

type Printable = { status: string; claim: PrintClaim | null; attempts: PrintAttempt[]; printedAt: string | null; updatedAt: string };

function abandonStale<T extends Printable>(record: T, now: string): T {
  if (record.status !== 'printing' || !record.claim) return record;
  const claimId = record.claim.claimId;
  return {
    ...record,
    claim: null,
    attempts: record.attempts.map((a) => (a.claimId === claimId && a.outcome === 'printing' ? { ...a, outcome: 'abandoned', endedAt: now } : a)),
  };
}

function claimed<T extends Printable>(record: T, claim: PrintClaim, printing: T['status']): T {
  return {
    ...record,
    status: printing,
    claim,
    attempts: [...record.attempts, { claimId: claim.claimId, by: claim.by, startedAt: claim.at, endedAt: null, outcome: 'printing', detail: null }],
    updatedAt: claim.at,
  };
}

function ended<T extends Printable>(record: T, claimId: string, at: string, outcome: 'printed' | 'failed', detail: string | null, status: T['status']): T {
  return {
    ...record,
    status,
    claim: null,
    printedAt: outcome === 'printed' ? at : record.printedAt,
    attempts: record.attempts.map((a) => (a.claimId === claimId ? { ...a, outcome, endedAt: at, detail } : a)),
    updatedAt: at,
  };
}

/**
 * reserved → printing, only if printable at `claim.at` (also takes over a claim whose lease ran
 * out). Returns the new record or the refusal; use inside the store's atomic `transition`.
 */
export function claimReservation(r: Reservation, claim: PrintClaim): Reservation | { refused: PrintRefusal } {
  const check = reservationPrintability(r, claim.at);
  if (!check.ok) return { refused: check.reason };
  return claimed(abandonStale(r, claim.at), claim, 'printing');
}

/** printing → printed, only for the claim that is printing; null when that claim is not current. */
export function completeReservationPrint(r: Reservation, claimId: string, at: string): Reservation | null {
  if (r.status !== 'printing' || r.claim?.claimId !== claimId) return null;
  return ended(r, claimId, at, 'printed', null, 'printed');
}

/** printing → reserved (printable again), only for the current claim; null otherwise. */
export function failReservationPrint(r: Reservation, claimId: string, at: string, detail: string): Reservation | null {
  if (r.status !== 'printing' || r.claim?.claimId !== claimId) return null;
  return ended(r, claimId, at, 'failed', detail, 'reserved');
}

/** reserved → expired once `expiresAt` has passed (for the sweeper); null when not applicable. */
export function expireReservation(r: Reservation, now: string): Reservation | null {
  if (reservationStatusAt(r, now) !== 'expired' || r.status === 'expired') return null;
  return { ...abandonStale(r, now), status: 'expired', updatedAt: now };
}

/** reserved → cancelled; null unless it is reserved (and unexpired) at `now`. */
export function cancelReservation(r: Reservation, now: string): Reservation | null {
  if (reservationStatusAt(r, now) !== 'reserved') return null;
  return { ...abandonStale(r, now), status: 'cancelled', updatedAt: now };
}

export function campusJobStatusAt(job: CampusJob, now: string): CampusJobStatus {
  if (job.status === 'printing' && job.claim && now >= job.claim.leaseUntil) return 'waiting';
  return job.status;
}

/** waiting → printing at a kiosk (after sign-in); same rules as `claimReservation`. */
export function claimCampusJob(job: CampusJob, claim: PrintClaim): CampusJob | { refused: PrintRefusal } {
  const status = campusJobStatusAt(job, claim.at);
  if (status === 'printing') return { refused: 'busy' };
  if (status !== 'waiting') return { refused: status };
  return claimed(abandonStale(job, claim.at), claim, 'printing');
}

export function completeCampusJob(job: CampusJob, claimId: string, at: string): CampusJob | null {
  if (job.status !== 'printing' || job.claim?.claimId !== claimId) return null;
  return ended(job, claimId, at, 'printed', null, 'printed');
}

export function failCampusJob(job: CampusJob, claimId: string, at: string, detail: string): CampusJob | null {
  if (job.status !== 'printing' || job.claim?.claimId !== claimId) return null;
  return ended(job, claimId, at, 'failed', detail, 'waiting');
}

/** awaitingShipment → shipped with a tracking number; null when already shipped or cancelled. */
export function shipMailOrder(m: MailOrder, change: { trackingNumber: string; by: string; at: string }): MailOrder | null {
  if (m.status !== 'awaitingShipment') return null;
  return { ...m, status: 'shipped', trackingNumber: change.trackingNumber, shippedBy: change.by, shippedAt: change.at, updatedAt: change.at };
}

/** valid → revoked with a reason; null when already revoked. */
export function revokeCertificate(c: IssuedCertificate, change: { reason: string; by: string; at: string }): IssuedCertificate | null {
  if (c.status !== 'valid') return null;
  return { ...c, status: 'revoked', revokedAt: change.at, revokedBy: change.by, revocationReason: change.reason };
}

/**
 * Sketch of the persistence the wiring round implements (lowdb adapter with `Collection`):
 * `insert` of a reservation must refuse a number that is active at `now` (atomic with the
 * check, so two orders can never hold the same active number).
 */
export interface CertificateStore {
  types: {
    list(): Promise<CertificateType[]>;
    get(code: string): Promise<CertificateType | null>;
    put(type: CertificateType): Promise<void>;
  };
  orders: {
    insert(order: Order): Promise<void>;
    get(id: string): Promise<Order | null>;
    listForAccount(accountId: string): Promise<Order[]>;
    /** Only to undo a half-placed order (placeOrder's rollback); no-op when absent. */
    remove(id: string): Promise<void>;
  };
  certificates: {
    insertMany(certificates: IssuedCertificate[]): Promise<void>;
    get(id: string): Promise<IssuedCertificate | null>;
    findByNumber(number: string): Promise<IssuedCertificate | null>;
    transition(id: string, change: (current: IssuedCertificate) => IssuedCertificate | null): Promise<IssuedCertificate | null>;
    /** The account's certificates, newest first. */
    listForAccount(accountId: string): Promise<IssuedCertificate[]>;
    /** Staff search: exact number (any case), student ID, status; newest first, paged. */
    search(filter: CertificateSearch): Promise<{ total: number; items: IssuedCertificate[] }>;
    /** Only to undo a half-placed order (placeOrder's rollback); absent ids are ignored. */
    removeMany(ids: string[]): Promise<void>;
  };
  reservations: {
    /** False when `number` is active at `now` already. */
    insert(reservation: Reservation, now: string): Promise<boolean>;
    get(id: string): Promise<Reservation | null>;
    /** The reservation with this number that is active at `now`, or the latest one with it. */
    findByNumber(number: string, now: string): Promise<Reservation | null>;
    isNumberActive(number: string, now: string): Promise<boolean>;
    transition(id: string, change: (current: Reservation) => Reservation | null): Promise<Reservation | null>;
    /** The account's reservations, newest first. */
    listForAccount(accountId: string): Promise<Reservation[]>;
    /**
     * Reservations still `reserved` at `now`, no reminder sent yet, expiring within `withinHours`
     * (oldest expiry first). Mark each with `transition` before/after mailing it.
     */
    dueForReminder(now: string, withinHours: number): Promise<Reservation[]>;
    /** Applies `expireReservation` to every reservation past its expiry; one write; returns the expired ones. */
    expire(now: string): Promise<Reservation[]>;
    /** Only to undo a half-placed order (placeOrder's rollback); no-op when absent. */
    remove(id: string): Promise<void>;
  };
  campusJobs: {
    insert(job: CampusJob): Promise<void>;
    get(id: string): Promise<CampusJob | null>;
    transition(id: string, change: (current: CampusJob) => CampusJob | null): Promise<CampusJob | null>;
    /** The account's campus print jobs, newest first. */
    listForAccount(accountId: string): Promise<CampusJob[]>;
    /** Only to undo a half-placed order (placeOrder's rollback); no-op when absent. */
    remove(id: string): Promise<void>;
  };
  mailOrders: {
    insert(order: MailOrder): Promise<void>;
    get(id: string): Promise<MailOrder | null>;
    transition(id: string, change: (current: MailOrder) => MailOrder | null): Promise<MailOrder | null>;
    /** Staff list (発送待ち first-come first-served): oldest first, paged. */
    list(filter: MailOrderFilter): Promise<{ total: number; items: MailOrder[] }>;
    /** Only to undo a half-placed order (placeOrder's rollback); no-op when absent. */
    remove(id: string): Promise<void>;
  };
}

/** Filter of `CertificateStore.certificates.search`; offset defaults to 0, limit to 50 (max 200). */
export interface CertificateSearch {
  number?: string;
  studentId?: string;
  status?: CertificateStatus;
  offset?: number;
  limit?: number;
}

/** Filter of `CertificateStore.mailOrders.list`; offset defaults to 0, limit to 50 (max 200). */
export interface MailOrderFilter {
  status?: MailOrderStatus;
  offset?: number;
  limit?: number;
}
