import path from 'node:path';
import { CERTIFICATE_PDF_DIR, openCertificatePdfArchive } from '../files/certificate-pdfs.js';
import type { Random } from '../../domain/ports.js';
import type { StaffAdminStores, Stores, TransactionStores } from '../../domain/stores.js';
import { openApplicationStore } from './application-store.js';
import { AUDIT_LOG_FILE, openAuditStore } from './audit-store.js';
import { openCertificateStore } from './certificate-store.js';
import { openGraduateCredentialStore } from './graduate-store.js';
import { openInstitutionStore } from './institution-store.js';
import { openRegistryStore } from './registry-store.js';
import { openShareLinkStore } from './share-link-store.js';
import { recoverJournal, replayJournal } from './journal.js';
import { openStaffSessionStore, openStaffStore, STAFF_USERS_FILE } from './staff-store.js';
import { openLowdbStore } from './store.js';
import { openTerminalStore } from './terminal-store.js';
import { MemoryLoginThrottleStore } from './login-throttles.js';
import { openMailOutboxStore } from './mail-outbox.js';
import { MemoryRateLimitStore } from './rate-limits.js';
import { LowdbUnitOfWork } from './unit-of-work.js';

export interface LowdbStoresOptions {
  /** Makes the audit log's entry IDs. */
  random: Random;
  /** Time for the periodic prune and reservation sweep (tests pin it). */
  now?: () => Date;
  /** How often expired sessions, tokens and SAML records, and share links past their retention, are pruned; 0: never (tests). Default 10 minutes. */
  pruneIntervalMs?: number;
  /** The longest idle timeout of a session: the periodic prune also drops sessions idle longer. */
  sessionIdleSeconds?: number;
  /** How often reservations past their expiry are marked expired; 0 when something else (the maintenance job) does it. */
  expireIntervalMs?: number;
  /** Where a failed periodic prune or sweep is reported. */
  onError?: (err: unknown, what: string) => void;
}

/** What the staff CLI writes too: transactions hold their lock files, the journal is replayed under them. */
const SHARED_FILES: ReadonlySet<string> = new Set([STAFF_USERS_FILE, AUDIT_LOG_FILE]);

/**
 * Every store port over lowdb files in `dataDir` (one JSON file per collection; PDFs as files
 * beside them). Every call of a port, and every transaction, is a unit of work of the family
 * (unit-of-work.ts): one at a time, all of its changes durable together or none of them.
 */
export async function openLowdbStores(dataDir: string, options: LowdbStoresOptions): Promise<Stores> {
  const dir = path.resolve(dataDir);
  const report = options.onError;
  // Before anything reads a file: a transaction that committed finishes, one that did not leaves nothing.
  await recoverJournal(dir, { sharedFiles: SHARED_FILES, pdfDir: CERTIFICATE_PDF_DIR });
  const units = new LowdbUnitOfWork(dir);
  const exclusive = <T>(work: () => Promise<T>) => units.run(work);
  const [store, certificates, applications, registry, staff, staffSessions, graduateCredentials, institution, terminals, audit, mailOutbox, shareLinks] =
    await Promise.all([
      openLowdbStore(dir, {
        now: options.now,
        pruneIntervalMs: options.pruneIntervalMs,
        sessionIdleSeconds: options.sessionIdleSeconds,
        exclusive,
        onPruneError: report && ((err) => report(err, 'pruning expired records failed')),
      }),
      openCertificateStore(dir, {
        now: options.now,
        expireIntervalMs: options.expireIntervalMs,
        exclusive,
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
      openMailOutboxStore(dir),
      openShareLinkStore(dir, {
        now: options.now,
        pruneIntervalMs: options.pruneIntervalMs,
        exclusive,
        onPruneError: report && ((err) => report(err, 'pruning ended share links failed')),
      }),
    ]);
  const flushed = [applications, registry, staff, staffSessions, graduateCredentials, institution, terminals, audit, mailOutbox];
  const ports: TransactionStores = {
    ...guarded(
      {
        store,
        certificates,
        certificatePdfs: openCertificatePdfArchive(dir),
        shareLinks,
        applications,
        registry,
        staff,
        staffSessions,
        graduateCredentials,
        institution,
        terminals,
        audit,
        mailOutbox,
      },
      units,
    ),
    // In this process's memory, outside the files: nothing of theirs to commit or roll back.
    rateLimits: new MemoryRateLimitStore(),
    loginThrottles: new MemoryLoginThrottleStore(),
  };
  return {
    ...ports,
    transaction: (work) => units.run(() => work(ports)),
    close: () =>
      units.run(async () => {
        await Promise.all([store.close(), certificates.close(), shareLinks.close(), ...flushed.map((s) => s.flush())]);
      }),
  };
}

/** Synchronous helpers of the lowdb stores (diagnostics), called as they are. */
const SYNCHRONOUS = new Set(['counts', 'fileOf']);

/**
 * The reads behind every signed-in request (session, account, pending mail), by port path: each
 * reads memory in one synchronous section and changes nothing, so with the gate idle it skips the
 * unit's bookkeeping (LowdbUnitOfWork.read).
 */
const HOT_READS: ReadonlySet<string> = new Set(['store.sessions.get', 'store.accounts.get', 'store.accounts.findByIdentity', 'store.tokens.latest']);

/** `ports` with every method run as a unit of work of `units` (nested port objects too). */
function guarded<T extends object>(ports: T, units: LowdbUnitOfWork, prefix = ''): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ports)) {
    if (typeof value === 'function' && !SYNCHRONOUS.has(key)) {
      const call =
        (...args: unknown[]) =>
        () =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(ports, args);
      out[key] = HOT_READS.has(`${prefix}${key}`) ? (...args: unknown[]) => units.read(call(...args)) : (...args: unknown[]) => units.run(call(...args));
    } else if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      out[key] = guarded(value as object, units, `${prefix}${key}.`);
    } else {
      out[key] = value;
    }
  }
  return out as T;
}

/**
 * What the staff CLI opens beside a running service: staff users and the audit log, the two
 * shared collections (adapters/lowdb/shared-collection.ts) — never the service's own files.
 */
export async function openLowdbStaffAdminStores(dataDir: string, options: { random: Random }): Promise<StaffAdminStores> {
  const dir = path.resolve(dataDir);
  // A service killed while committing a transaction that changed these files: finish it first.
  await replayJournal(dir, { sharedFiles: SHARED_FILES, pdfDir: CERTIFICATE_PDF_DIR, sharedOnly: true });
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
