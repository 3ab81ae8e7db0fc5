import type { ApplicationStore } from './applications/model.js';
import type { AuditLog } from './audit.js';
import type { CertificatePdfArchive } from './certificates/orders.js';
import type { CertificateStore } from './certificates/store.js';
import type { GraduateCredentialStore } from './graduates/model.js';
import type { InstitutionStore } from './institution/ports.js';
import type { MailOutboxStore } from './mail/outbox.js';
import type { Store } from './ports.js';
import type { RateLimitStore } from './rate-limits.js';
import type { RegistryStore } from './registry/model.js';
import type { ShareLinkStore } from './share-links/model.js';
import type { StaffSessionStore, StaffStore } from './staff/model.js';
import type { LoginThrottleStore } from './staff/throttle.js';
import type { TerminalStore } from './terminals/model.js';

/**
 * Every persistence port the service uses, opened together by one adapter family (lowdb in
 * DATA_DIR today) at the composition root (service/stores.ts) and handed to the features.
 */
export interface Stores extends UnitOfWork {
  /** Accounts, sessions, one-time tokens and the SAML replay cache. */
  store: Store;
  certificates: CertificateStore;
  /** The signed certificate PDFs, by certificate number. */
  certificatePdfs: CertificatePdfArchive;
  /** Holders' share links of their certificates and the links' access logs. */
  shareLinks: ShareLinkStore;
  applications: ApplicationStore;
  registry: RegistryStore;
  staff: StaffStore;
  staffSessions: StaffSessionStore;
  graduateCredentials: GraduateCredentialStore;
  institution: InstitutionStore;
  terminals: TerminalStore;
  audit: AuditLog;
  /** Per-client attempt counters of the rate limits (domain/rate-limits.ts). */
  rateLimits: RateLimitStore;
  /** Failed sign-ins per login name, mail address or client (domain/staff/throttle.ts). */
  loginThrottles: LoginThrottleStore;
  /** Mails written with the change they report, sent after it by a worker (domain/mail/outbox-worker.ts). */
  mailOutbox: MailOutboxStore;
  /** Stops the family's timers and waits until every write so far is durable. */
  close(): Promise<void>;
}

/** The ports as one transaction sees them: every change made through them commits or rolls back together. */
export type TransactionStores = Omit<Stores, 'transaction' | 'close'>;

/**
 * One transaction over every port of the family. `work` must change records only through `tx`;
 * when it resolves, all of its changes are durable together; when it throws (or the process dies
 * before the commit), none of them is kept. Transactions of one family are isolated from each other
 * (lowdb: run one at a time; PostgreSQL: one connection, READ COMMITTED with row locks and
 * conditional updates). Work that renders or signs should happen before, not inside, a transaction.
 */
export interface UnitOfWork {
  transaction<T>(work: (tx: TransactionStores) => Promise<T>): Promise<T>;
}

/**
 * What the staff CLI opens: the ports it shares with a running service (which may be using the
 * same data at that moment), nothing the service keeps to itself.
 */
export interface StaffAdminStores {
  staff: StaffStore;
  audit: AuditLog;
  /** The staff login throttle's counts (the CLI signs nobody in; a shared store lets it see them). */
  loginThrottles: LoginThrottleStore;
  close(): Promise<void>;
}

/**
 * One run at a time of a named job among every instance sharing the stores (lowdb: this process;
 * PostgreSQL: an advisory lock, so several instances on one database never overlap).
 */
export interface JobLocks {
  /** Runs `work` after every other run of `job` has finished, here or on another instance. */
  exclusive<T>(job: string, work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` now unless `job` is running on another instance (then resolves `{ ran: false }`
   * at once: that instance is doing the work). Runs in this process still wait their turn.
   */
  whenFree<T>(job: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/**
 * Key material every instance must share (the SAML SP key pair, the QR payloads' key, a demo
 * signing key), kept with the records so that no instance generates its own; null for the lowdb
 * family, whose keys stay files in DATA_DIR.
 */
export interface SharedKeyStore {
  /** The text stored under `name`; else what `create` makes, stored — or, if another instance stored first, theirs. */
  getOrCreate(name: string, create: () => Promise<string>): Promise<string>;
}
