/**
 * `npm run admin -- migrate-to-postgres --data-dir DIR`: moves a lowdb DATA_DIR into the empty,
 * migrated PostgreSQL database at DATABASE_URL, in one transaction that commits only when every
 * collection read back through the PostgreSQL adapters equals what the lowdb adapters read
 * (count and checksum, checksums.ts), the keys the service generated into DATA_DIR included
 * (keys.ts); configured key files stay files, and it says so.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CERTIFICATE_PDF_DIR } from '../files/certificate-pdfs.js';
import { checkMigrations, MIGRATION_LOCK_KEY } from '../postgres/migrate.js';
import { portsOver } from '../postgres/open.js';
import { createPool, describeDatabaseUrl, reasonOf } from '../postgres/pool.js';
import { atomically, type Queryable } from '../postgres/queryable.js';
import { DataFileError } from '../lowdb/durable-file.js';
import { DEV_MAILBOX_FILE } from '../mail/dev-mailbox.js';
import { MAIL_OUTBOX_FILE } from '../lowdb/mail-outbox.js';
import { systemRandom } from '../../domain/crypto.js';
import type { Random } from '../../domain/ports.js';
import { compareCollection, fingerprints, formatResults, sha256, type CollectionResult } from './checksums.js';
import { COLLECTIONS, type MigrationTarget } from './collections.js';
import { copyGeneratedKeys, keyAdvice, readGeneratedKeys } from './keys.js';
import { readLowdbData, type LowdbData } from './source.js';

export interface MigrateToPostgresOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  out: NodeJS.WritableStream;
  /** The environment the command runs in: which configured key files it names. */
  env?: Record<string, string | undefined>;
}

/** Thrown inside the transaction to roll it back once the report is printed. */
class RolledBack extends Error {}
/** Nothing was or could be copied: the message says why. */
class Refused extends Error {}

/** Tables holding rows, of every table in the schema but the migrations' own. */
async function tablesWithRows(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name`,
  );
  const filled: string[] = [];
  for (const { name } of rows) {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    const { rows: found } = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoted}) AS any`);
    if (found[0]?.any) filled.push(name);
  }
  return filled;
}

const countRows = async (db: Queryable, table: string): Promise<number> =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

/**
 * The signed PDFs: one per certificate, copied and read back one at a time. A certificate whose
 * PDF file is missing is a mismatch (nothing could print or send it); a PDF file of no certificate
 * (left by an order that failed half-way) cannot be copied and is only mentioned.
 */
async function copyPdfs(target: MigrationTarget, data: LowdbData, out: NodeJS.WritableStream): Promise<CollectionResult> {
  const source = new Map<string, string>();
  const copied = new Map<string, string>();
  const missing: string[] = [];
  for (const c of data.certificates) {
    const pdf = await data.pdfs.read(c.number);
    if (pdf === null) {
      missing.push(c.number);
      continue;
    }
    source.set(c.number, JSON.stringify({ sha256: sha256(pdf) }));
    await target.ports.certificatePdfs.write(c.number, pdf);
  }
  for (const number of source.keys()) {
    const pdf = await target.ports.certificatePdfs.read(number);
    if (pdf !== null) copied.set(number, JSON.stringify({ sha256: sha256(pdf) }));
  }
  const numbers = new Set(data.certificates.map((c) => c.number));
  const orphans = data.pdfFiles.filter((n) => !numbers.has(n));
  if (orphans.length > 0) {
    out.write(
      `Note: ${orphans.length} PDF file(s) in ${CERTIFICATE_PDF_DIR}/ belong to no certificate (an order that failed half-way) and were not copied: ${orphans.slice(0, 5).join(', ')}${orphans.length > 5 ? ', …' : ''}\n`,
    );
  }
  const expected = new Map(source);
  for (const number of missing) expected.set(number, JSON.stringify({ sha256: null }));
  const problems = missing.length
    ? [
        `no PDF file in DATA_DIR/${CERTIFICATE_PDF_DIR} for certificate(s) ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
      ]
    : [];
  return compareCollection('certificate PDFs', expected, copied, await countRows(target.db, 'certificate_pdfs'), problems);
}

/** Exit codes: 0 copied and checked, 1 refused, failed or mismatched (nothing kept), 2 not configured. */
export async function migrateToPostgres({ dataDir, databaseUrl, out, env = {} }: MigrateToPostgresOptions): Promise<number> {
  const url = databaseUrl?.trim();
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    out.write(
      `${url ? `DATABASE_URL must be a postgres:// URL; it is ${describeDatabaseUrl(url)}.` : 'DATABASE_URL is not set.'} migrate-to-postgres copies DATA_DIR into the database it names, e.g.\n` +
        '  DATABASE_URL=postgres://shomei:PASSWORD@db.example.ac.jp:5432/shomei npm run admin -- migrate-to-postgres --data-dir /var/lib/shomei\n',
    );
    return 2;
  }
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    out.write(`${dataDir} is not a directory: give the service's DATA_DIR with --data-dir.\n`);
    return 2;
  }
  const where = describeDatabaseUrl(url);
  const pool = createPool(url, { max: 1, applicationName: 'shomei-migrate-to-postgres' });
  try {
    const check = await checkMigrations(pool).catch((e: unknown) => {
      throw new Refused(`Cannot reach ${where}: ${reasonOf(e)}. Is the server running and DATABASE_URL right?`);
    });
    if (!check.ok) {
      out.write(`Refused, nothing was copied. ${check.message}\n`);
      return 1;
    }
    out.write(`Reading ${dataDir} (stop the service on it first: what it writes meanwhile would not be copied)…\n`);
    const data = await readLowdbData(dataDir).catch((e: unknown) => {
      // A collection file the service itself would refuse to start over.
      if (e instanceof DataFileError) throw new Refused(`Refused, nothing was copied. ${e.message}`);
      throw e;
    });
    const keys = await readGeneratedKeys(dataDir).catch((e: unknown) => {
      throw new Refused(`Refused, nothing was copied. ${(e as Error).message}`);
    });
    const auditIds: string[] = [];
    const random: Random = {
      token: (bytes) => systemRandom.token(bytes),
      id: () => {
        const id = auditIds.shift();
        if (id === undefined) throw new Error('the audit port appended an entry the migration did not give');
        return id;
      },
    };
    try {
      await atomically(pool, async (db) => {
        // One migration at a time, and not while `npm run migrate` changes the schema.
        await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        const filled = await tablesWithRows(db);
        if (filled.length > 0)
          throw new RolledBack(
            `Refused, nothing was copied: ${where} is not empty (rows in ${filled.join(', ')}). migrate-to-postgres only fills an empty, migrated database.`,
          );
        const target: MigrationTarget = { ports: portsOver(db, { random }), db, auditIds };
        const results: CollectionResult[] = [];
        const total = COLLECTIONS.reduce((n, c) => n + c.records(data).length, 0);
        out.write(`Copying ${total} records, ${data.certificates.length} PDFs and ${keys.length} keys into ${where} in one transaction…\n`);
        for (const c of COLLECTIONS) await c.copy(target, c.records(data), data);
        for (const c of COLLECTIONS) {
          const records = c.records(data);
          const back = await c.readBack(target, records);
          const sameOrder = !c.ordered || (back.length === records.length && back.every((r, i) => c.keyOf(r) === c.keyOf(records[i])));
          const problems = sameOrder ? [] : ['not in the order of DATA_DIR'];
          results.push(compareCollection(c.name, fingerprints(records, c.keyOf), fingerprints(back, c.keyOf), await countRows(db, c.table), problems));
        }
        results.push(await copyPdfs(target, data, out));
        results.push(await copyGeneratedKeys(db, keys));
        out.write(formatResults(results));
        if (results.some((r) => !r.ok))
          throw new RolledBack('Rolled back, nothing was kept: PostgreSQL does not hold what DATA_DIR holds (see the mismatches above).');
      });
    } catch (e) {
      if (e instanceof RolledBack) {
        out.write(`${e.message}\n`);
        return 1;
      }
      out.write(`Copy failed and was rolled back, nothing was kept: ${(e as Error).message}\n`);
      return 1;
    }
    out.write(
      `Committed: ${where} now holds everything in ${dataDir}. Start the service with DATABASE_URL set; DATA_DIR's collection files are no longer read (keep them as a backup).\n`,
    );
    const advice = keyAdvice(keys, env);
    if (existsSync(path.join(dataDir, DEV_MAILBOX_FILE))) advice.push('', `${DEV_MAILBOX_FILE} (the dev mailbox) is not copied: it is for development only.`);
    const unsent = unsentMails(dataDir);
    if (unsent > 0)
      advice.push(
        '',
        `${MAIL_OUTBOX_FILE} holds ${unsent} mail(s) not sent yet (or given up on); they are not copied. Start the service once without DATABASE_URL to send them, or resend them by hand.`,
      );
    out.write(advice.map((l) => `${l}\n`).join(''));
    return 0;
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    out.write(`${e.message}\n`);
    return 1;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** Mails waiting in DATA_DIR's outbox (0 without one). */
function unsentMails(dataDir: string): number {
  const file = path.join(dataDir, MAIL_OUTBOX_FILE);
  if (!existsSync(file)) return 0;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { records?: unknown[] };
  return parsed.records?.length ?? 0;
}
