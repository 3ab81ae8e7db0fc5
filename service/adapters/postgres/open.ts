import pg from 'pg';
import type { Random } from '../../domain/ports.js';
import type { StaffAdminStores, Stores, TransactionStores } from '../../domain/stores.js';
import { openPostgresApplicationStore } from './application-store.js';
import { openPostgresAuditLog } from './audit-store.js';
import { openPostgresCertificatePdfArchive } from './certificate-pdfs.js';
import { openPostgresCertificateStore } from './certificate-store.js';
import { openPostgresGraduateCredentialStore } from './graduate-store.js';
import { openPostgresInstitutionStore } from './institution-store.js';
import { PostgresLoginThrottleStore } from './login-throttles.js';
import { openPostgresMailOutbox } from './mail-outbox.js';
import { atomically, type Queryable } from './queryable.js';
import { PostgresRateLimitStore } from './rate-limits.js';
import { openPostgresRegistryStore } from './registry-store.js';
import { openPostgresStaffSessionStore, openPostgresStaffStore } from './staff-store.js';
import { openPostgresShareLinkStore } from './share-link-store.js';
import { openPostgresStore } from './store.js';
import { openPostgresTerminalStore } from './terminal-store.js';

export interface PostgresStoresOptions {
  /** Makes the audit log's entry IDs. */
  random: Random;
}

/**
 * Every port over `db`: the pool (each statement its own transaction) or one client inside a
 * transaction (also what the DATA_DIR migration writes through, beside its own SQL in that transaction).
 */
export function portsOver(db: Queryable, options: PostgresStoresOptions): TransactionStores {
  return {
    store: openPostgresStore(db),
    certificates: openPostgresCertificateStore(db),
    certificatePdfs: openPostgresCertificatePdfArchive(db),
    shareLinks: openPostgresShareLinkStore(db),
    applications: openPostgresApplicationStore(db),
    registry: openPostgresRegistryStore(db),
    staff: openPostgresStaffStore(db),
    staffSessions: openPostgresStaffSessionStore(db),
    graduateCredentials: openPostgresGraduateCredentialStore(db),
    institution: openPostgresInstitutionStore(db),
    terminals: openPostgresTerminalStore(db),
    audit: openPostgresAuditLog(db, options.random),
    rateLimits: new PostgresRateLimitStore(db),
    loginThrottles: new PostgresLoginThrottleStore(db),
    mailOutbox: openPostgresMailOutbox(db),
  };
}

/**
 * Every store port over a migrated PostgreSQL database. A transaction checks out one connection,
 * hands the same adapters that connection, and commits when the work resolves (rolls back when it
 * throws). The pool is the caller's: `close()` does not end it.
 */
export function openPostgresStores(pool: pg.Pool, options: PostgresStoresOptions): Stores {
  return {
    ...portsOver(pool, options),
    transaction: (work) => atomically(pool, (client) => work(portsOver(client, options))),
    async close() {},
  };
}

/** What the staff CLI opens on the shared database. */
export function openPostgresStaffAdminStores(pool: pg.Pool, options: PostgresStoresOptions): StaffAdminStores {
  return {
    staff: openPostgresStaffStore(pool),
    audit: openPostgresAuditLog(pool, options.random),
    loginThrottles: new PostgresLoginThrottleStore(pool),
    async close() {},
  };
}
