import type { ApplicationStore } from './applications/model.js';
import type { AuditLog } from './audit.js';
import type { CertificatePdfArchive } from './certificates/orders.js';
import type { CertificateStore } from './certificates/store.js';
import type { GraduateCredentialStore } from './graduates/model.js';
import type { InstitutionStore } from './institution/ports.js';
import type { Store } from './ports.js';
import type { RateLimitStore } from './rate-limits.js';
import type { RegistryStore } from './registry/model.js';
import type { StaffSessionStore, StaffStore } from './staff/model.js';
import type { LoginThrottleStore } from './staff/throttle.js';
import type { TerminalStore } from './terminals/model.js';

/**
 * Every persistence port the service uses, opened together by one adapter family (lowdb in
 * DATA_DIR today) at the composition root (service/stores.ts) and handed to the features.
 */
export interface Stores {
  /** Accounts, sessions, one-time tokens, SAML replay cache and pending logins. */
  store: Store;
  certificates: CertificateStore;
  /** The signed certificate PDFs, by certificate number. */
  certificatePdfs: CertificatePdfArchive;
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
  /** Stops the family's timers and waits until every write so far is durable. */
  close(): Promise<void>;
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
