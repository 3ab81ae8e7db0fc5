/** The certificate store port (the lowdb adapter implements it; PostgreSQL later). */
import type { CampusJob, CertificateStatus, CertificateType, IssuedCertificate, MailOrder, MailOrderStatus, Order, Reservation } from './model.js';

/**
 * Sketch of the persistence the wiring round implements (lowdb adapter with `Collection`):
 * `insert` of a reservation must refuse a number that is active at `now` (atomic with the
 * check, so two orders can never hold the same active number).
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
