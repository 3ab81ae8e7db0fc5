import path from 'node:path';
import { openCertificatePdfArchive } from '../files/certificate-pdfs.js';
import type { Random } from '../../domain/ports.js';
import type { StaffAdminStores, Stores } from '../../domain/stores.js';
import { openApplicationStore } from './application-store.js';
import { openAuditStore } from './audit-store.js';
import { openCertificateStore } from './certificate-store.js';
import { openGraduateCredentialStore } from './graduate-store.js';
import { openInstitutionStore } from './institution-store.js';
import { openRegistryStore } from './registry-store.js';
import { openStaffSessionStore, openStaffStore } from './staff-store.js';
import { openLowdbStore } from './store.js';
import { openTerminalStore } from './terminal-store.js';
import { MemoryLoginThrottleStore } from './login-throttles.js';
import { MemoryRateLimitStore } from './rate-limits.js';

export interface LowdbStoresOptions {
  /** Makes the audit log's entry IDs. */
  random: Random;
  /** Time for the periodic prune and reservation sweep (tests pin it). */
  now?: () => Date;
  /** How often expired sessions, tokens and SAML records are pruned; 0: never (tests). Default 10 minutes. */
  pruneIntervalMs?: number;
  /** How often reservations past their expiry are marked expired; 0 when something else (the maintenance job) does it. */
  expireIntervalMs?: number;
  /** Where a failed periodic prune or sweep is reported. */
  onError?: (err: unknown, what: string) => void;
}

/** Every store port over lowdb files in `dataDir` (one JSON file per collection; PDFs as files beside them). */
export async function openLowdbStores(dataDir: string, options: LowdbStoresOptions): Promise<Stores> {
  const dir = path.resolve(dataDir);
  const report = options.onError;
  const [store, certificates, applications, registry, staff, staffSessions, graduateCredentials, institution, terminals, audit] = await Promise.all([
    openLowdbStore(dir, {
      now: options.now,
      pruneIntervalMs: options.pruneIntervalMs,
      onPruneError: report && ((err) => report(err, 'pruning expired records failed')),
    }),
    openCertificateStore(dir, {
      now: options.now,
      expireIntervalMs: options.expireIntervalMs,
      onExpireError: report && ((err) => report(err, 'expiring reservations failed')),
    }),
    openApplicationStore(dir),
    openRegistryStore(dir),
    openStaffStore(dir),
    openStaffSessionStore(dir),
    openGraduateCredentialStore(dir),
    openInstitutionStore(dir),
    openTerminalStore(dir),
    openAuditStore(dir, options.random),
  ]);
  const flushed = [applications, registry, staff, staffSessions, graduateCredentials, institution, terminals, audit];
  const stores: Stores = {
    // Not yet atomic across files: each port's write is durable on its own.
    transaction: (work) => work(stores),
    store,
    certificates,
    certificatePdfs: openCertificatePdfArchive(dir),
    applications,
    registry,
    staff,
    staffSessions,
    graduateCredentials,
    institution,
    terminals,
    audit,
    rateLimits: new MemoryRateLimitStore(),
    loginThrottles: new MemoryLoginThrottleStore(),
    async close() {
      await Promise.all([store.close(), certificates.close(), ...flushed.map((s) => s.flush())]);
    },
  };
  return stores;
}

/**
 * What the staff CLI opens beside a running service: staff users and the audit log, the two
 * shared collections (adapters/lowdb/shared-collection.ts) — never the service's own files.
 */
export async function openLowdbStaffAdminStores(dataDir: string, options: { random: Random }): Promise<StaffAdminStores> {
  const dir = path.resolve(dataDir);
  const [staff, audit] = await Promise.all([openStaffStore(dir), openAuditStore(dir, options.random)]);
  return {
    staff,
    audit,
    // The service's counts are in its own memory, out of this process's reach; the CLI counts nothing.
    loginThrottles: new MemoryLoginThrottleStore(),
    async close() {
      await Promise.all([staff.flush(), audit.flush()]);
    },
  };
}
