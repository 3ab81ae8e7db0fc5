import pg from 'pg';
import type { CollectionName, LowdbStore } from '../../service/adapters/lowdb/store.js';
import type { RunningService } from './service.js';

const TABLES: Record<CollectionName, string> = {
  accounts: 'accounts',
  sessions: 'sessions',
  tokens: 'one_time_tokens',
  samlAssertions: 'saml_replay_cache',
  samlPendingLogins: 'saml_pending_logins',
};

/** How many accounts, sessions, tokens and SAML records the service holds, on either store family. */
export async function recordCounts(service: RunningService): Promise<Record<CollectionName, number>> {
  if (!service.databaseUrl) return (service.stores.store as LowdbStore).counts();
  const db = new pg.Client({ connectionString: service.databaseUrl });
  await db.connect();
  try {
    const entries = await Promise.all(
      Object.entries(TABLES).map(async ([name, table]) => [name, (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n] as const),
    );
    return Object.fromEntries(entries) as Record<CollectionName, number>;
  } finally {
    await db.end();
  }
}
