/** The certificate store port (the lowdb adapter implements it; PostgreSQL later). */
import type { CampusJob, CertificateStatus, CertificateType, IssuedCertificate, MailOrder, MailOrderStatus, Order, PdfDelivery, Reservation } from './model.js';

/**
 * Every method takes and returns data. State changes are conditional updates: `update(id,
 * expected, changes)` writes `changes` only while the stored record still has `expected`'s values
 * and resolves to the record after, or null (absent, or it moved on). The transition rules are
 * the domain's (state-machines.ts, applied through `transition` in domain/conditional-update.ts).
 * Fields that identify a record (id, number, account, order) never change.
 */
export interface CertificateStore {
  types: {
    list(): Promise<CertificateType[]>;
    get(code: string): Promise<CertificateType | null>;
    /** Creates or replaces. */
    put(type: CertificateType): Promise<void>;
    /** Creates only: false (and nothing written) when the code exists already. */
    insert(type: CertificateType): Promise<boolean>;
    /**
     * Deletes a type no certificate was ever issued of, checked and deleted atomically:
     * `inUse` when one was (it can only be retired), `absent` when there is no such code.
     */
    remove(code: string): Promise<'removed' | 'inUse' | 'absent'>;
    /** How many certificates were ever issued of each type (revoked ones too); unused codes are absent. */
    issuedCounts(): Promise<Record<string, number>>;
  };
  orders: {
    insert(order: Order): Promise<void>;
    get(id: string): Promise<Order | null>;
    /** By id, in no particular order; absent ids are left out. */
    getMany(ids: string[]): Promise<Order[]>;
    listForAccount(accountId: string): Promise<Order[]>;
  };
  certificates: {
    insertMany(certificates: IssuedCertificate[]): Promise<void>;
    get(id: string): Promise<IssuedCertificate | null>;
    findByNumber(number: string): Promise<IssuedCertificate | null>;
    /** Certificates by id, in no particular order; absent ids are left out. */
    getMany(ids: string[]): Promise<IssuedCertificate[]>;
    update(id: string, expected: { status: CertificateStatus }, changes: CertificateChanges): Promise<IssuedCertificate | null>;
    /** The account's certificates, newest first. */
    listForAccount(accountId: string): Promise<IssuedCertificate[]>;
    /** Staff search: exact number (any case), student ID, status; newest first, paged. */
    search(filter: CertificateSearch): Promise<{ total: number; items: IssuedCertificate[] }>;
  };
  /**
   * Each certificate's index in the credentials' status lists (domain/credentials/status-list.ts):
   * given when first needed, one per certificate, never reused.
   */
  credentialStatus: {
    /**
     * The certificate's index: the one it has, else the first of `candidates` that no certificate
     * has, given atomically (two callers get the same); throws when every candidate is taken.
     */
    indexOf(certificateId: string, candidates: readonly number[]): Promise<number>;
    /** How many certificates have an index. */
    given(): Promise<number>;
    /** The indexes of the revoked certificates that have one. */
    revokedIndexes(): Promise<number[]>;
  };
  reservations: {
    /**
     * Inserts unless another reservation holds `reservation.number` at `now`, checked and inserted
     * atomically (two orders never hold one number); false then. A reservation holds its number
     * while stored as reserved with `expiresAt` after `now`, or as printing with `expiresAt` or its
     * claim's `leaseUntil` after `now` (`isReservationActive` on stored fields).
     */
    insert(reservation: Reservation, now: string): Promise<boolean>;
    get(id: string): Promise<Reservation | null>;
    /** By id, in no particular order; absent ids are left out. */
    getMany(ids: string[]): Promise<Reservation[]>;
    /** Every reservation ever given this number (the number as stored: 8 digits), in insertion order. */
    listByNumber(number: string): Promise<Reservation[]>;
    update(id: string, expected: ReservationGuard, changes: ReservationChanges): Promise<Reservation | null>;
    /** The account's reservations, newest first. */
    listForAccount(accountId: string): Promise<Reservation[]>;
    /**
     * Reservations stored as reserved or printing, no reminder sent yet, with `expiresAfter` <
     * `expiresAt` <= `expiresBy` (oldest expiry first): the candidates for the reminder mail.
     */
    unremindedExpiring(window: { expiresAfter: string; expiresBy: string }): Promise<Reservation[]>;
    /** Reservations stored as reserved or printing whose `expiresAt` <= `cutoff`: the candidates for expiry. */
    openExpiredBy(cutoff: string): Promise<Reservation[]>;
  };
  campusJobs: {
    insert(job: CampusJob): Promise<void>;
    get(id: string): Promise<CampusJob | null>;
    /** By id, in no particular order; absent ids are left out. */
    getMany(ids: string[]): Promise<CampusJob[]>;
    update(id: string, expected: CampusJobGuard, changes: CampusJobChanges): Promise<CampusJob | null>;
    /** The account's campus print jobs, newest first. */
    listForAccount(accountId: string): Promise<CampusJob[]>;
  };
  mailOrders: {
    insert(order: MailOrder): Promise<void>;
    get(id: string): Promise<MailOrder | null>;
    /** By id, in no particular order; absent ids are left out. */
    getMany(ids: string[]): Promise<MailOrder[]>;
    update(id: string, expected: { status: MailOrderStatus; updatedAt: string }, changes: MailOrderChanges): Promise<MailOrder | null>;
    /** Staff list (発送待ち first-come first-served): oldest first, paged. */
    list(filter: MailOrderFilter): Promise<{ total: number; items: MailOrder[] }>;
  };
  pdfDeliveries: {
    /** Throws "… exists already" for a taken id, order or token hash. */
    insert(delivery: PdfDelivery): Promise<void>;
    get(id: string): Promise<PdfDelivery | null>;
    /** By id, in no particular order; absent ids are left out. */
    getMany(ids: string[]): Promise<PdfDelivery[]>;
    findByTokenHash(tokenHash: string): Promise<PdfDelivery | null>;
    /** Sets `firstOpenedAt` to `at` unless it is set already; the record after, or null when absent. */
    markOpened(id: string, at: string): Promise<PdfDelivery | null>;
    /**
     * Counts one download at `at`, checked and counted atomically: only while `downloads` <
     * `maxDownloads` and `at` < `expiresAt` (of two concurrent downloads of the last one, exactly one
     * is counted). Sets `lastDownloadAt` (and `firstOpenedAt` when unset). The record after, or null
     * when refused or absent.
     */
    countDownload(id: string, at: string): Promise<PdfDelivery | null>;
  };
}

/**
 * What a reservation's transitions decide on (state-machines.ts): an update applies only while
 * the stored reservation still has these values (a claim compared whole).
 */
export type ReservationGuard = Pick<Reservation, 'status' | 'updatedAt' | 'reminderSentAt' | 'claim'>;
export type CampusJobGuard = Pick<CampusJob, 'status' | 'updatedAt' | 'claim'>;

export type CertificateChanges = Partial<Omit<IssuedCertificate, 'id' | 'number' | 'accountId' | 'studentId' | 'orderId'>>;
export type ReservationChanges = Partial<Omit<Reservation, 'id' | 'number' | 'accountId' | 'orderId'>>;
export type CampusJobChanges = Partial<Omit<CampusJob, 'id' | 'accountId' | 'orderId'>>;
export type MailOrderChanges = Partial<Omit<MailOrder, 'id' | 'accountId' | 'orderId'>>;

/** Filter of `CertificateStore.certificates.search`; a page as in domain/paging.ts. */
export interface CertificateSearch {
  number?: string;
  studentId?: string;
  status?: CertificateStatus;
  offset?: number;
  limit?: number;
}

/** Filter of `CertificateStore.mailOrders.list`; a page as in domain/paging.ts. */
export interface MailOrderFilter {
  status?: MailOrderStatus;
  offset?: number;
  limit?: number;
}
