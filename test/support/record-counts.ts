import { readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { CERTIFICATE_PDF_DIR } from '../../service/adapters/files/certificate-pdfs.js';
import type { CertificateCollectionName, LowdbCertificateStore } from '../../service/adapters/lowdb/certificate-store.js';
import type { CollectionName, LowdbStore } from '../../service/adapters/lowdb/store.js';
import type { RunningService } from './service.js';

const TABLES: Record<CollectionName, string> = {
  accounts: 'accounts',
  sessions: 'sessions',
  tokens: 'one_time_tokens',
  samlAssertions: 'saml_replay_cache',
};

const CERTIFICATE_TABLES: Record<CertificateCollectionName | 'pdfs', string> = {
  types: 'certificate_types',
  orders: 'orders',
  certificates: 'certificates',
  reservations: 'reservations',
  campusJobs: 'campus_jobs',
  mailOrders: 'mail_orders',
  pdfDeliveries: 'pdf_deliveries',
  pdfs: 'certificate_pdfs',
};

async function countTables<K extends string>(databaseUrl: string, tables: Record<K, string>): Promise<Record<K, number>> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // One statement at a time: a pg client runs its queries in turn (queueing them is deprecated).
    const entries: Array<readonly [string, number]> = [];
    for (const [name, table] of Object.entries<string>(tables)) {
      entries.push([name, (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n]);
    }
    return Object.fromEntries(entries) as Record<K, number>;
  } finally {
    await db.end();
  }
}

/** How many certificate types, orders, certificates, fulfilments and signed PDFs the service holds, on either store family. */
export async function certificateCounts(service: RunningService): Promise<Record<CertificateCollectionName | 'pdfs', number>> {
  if (service.databaseUrl) return countTables(service.databaseUrl, CERTIFICATE_TABLES);
  const pdfDir = path.join(service.dataDir, CERTIFICATE_PDF_DIR);
  let pdfs: string[] = [];
  try {
    pdfs = readdirSync(pdfDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return { ...(service.stores.certificates as LowdbCertificateStore).counts(), pdfs: pdfs.length };
}

/** How many accounts, sessions, tokens and SAML records the service holds, on either store family. */
export async function recordCounts(service: RunningService): Promise<Record<CollectionName, number>> {
  if (!service.databaseUrl) return (service.stores.store as LowdbStore).counts();
  return countTables(service.databaseUrl, TABLES);
}
