import { openLowdbStaffAdminStores, openLowdbStores } from './adapters/lowdb/open.js';
import { localJobLocks } from './adapters/local/job-locks.js';
import { postgresJobLocks } from './adapters/postgres/job-locks.js';
import { checkMigrations } from './adapters/postgres/migrate.js';
import { openPostgresStaffAdminStores, openPostgresStores } from './adapters/postgres/open.js';
import { createPool, describeDatabaseUrl, reasonOf } from './adapters/postgres/pool.js';
import { openPostgresSharedKeys } from './adapters/postgres/service-keys.js';
import type { Config } from './config.js';
import type { Clock, Random } from './domain/ports.js';
import { shareLinksEndedBefore } from './domain/share-links/model.js';
import type { JobLocks, SharedKeyStore, StaffAdminStores, Stores } from './domain/stores.js';

/** What choosing and opening the store family needs from the configuration. */
export type StoreConfig = Pick<Config, 'dataDir' | 'database'> & { session?: Pick<Config['session'], 'idleSeconds' | 'kioskIdleSeconds'> };

export interface StoreEnvironment {
  clock: Clock;
  random: Random;
  /** Where a failed background prune or sweep of the stores is reported. */
  onError(err: unknown, what: string): void;
  /** How often expired records are pruned (tests shorten it); 0: never. Default 10 minutes. */
  pruneIntervalMs?: number;
}

/** The opened family: its ports, how jobs are serialised among instances, and where shared keys live. */
export interface OpenedStores {
  /** Every store port; `close()` also ends the database pool. */
  stores: Stores;
  locks: JobLocks;
  /** Keys shared through the database; null: keys stay files in DATA_DIR (lowdb). */
  sharedKeys: SharedKeyStore | null;
}

/** How often the PostgreSQL family drops expired sessions, tokens, SAML records and share links past their retention (lowdb: its own timers). */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/** The database schema is not the one this version runs on: the service refuses to start. */
export class DatabaseNotReadyError extends Error {
  override readonly name = 'DatabaseNotReadyError';
}

/**
 * The one place that picks the adapter family and opens every store port: PostgreSQL when
 * DATABASE_URL is set (any number of instances on one database), else lowdb files in DATA_DIR
 * (the embedded default, one instance). The service (app.ts) and the staff CLI open through here.
 */
export async function openStores(config: StoreConfig, env: StoreEnvironment): Promise<OpenedStores> {
  if (config.database) {
    const pool = await openCheckedPool(config.database, 'shomei', env.onError);
    const stores = openPostgresStores(pool, { random: env.random });
    const locks = postgresJobLocks(pool);
    // Expired sessions, tokens and SAML records, and share links past their retention, as the lowdb
    // family's own timers do: one instance at a time (and deleting again would delete nothing).
    const prune = () => {
      const now = env.clock.now();
      const idle = longestIdleSeconds(config);
      const idleBy = idle === undefined ? undefined : new Date(now.getTime() - idle * 1000).toISOString();
      return locks
        .whenFree('store-prune', async () => {
          await stores.store.prune(now.toISOString(), idleBy);
          await stores.shareLinks.pruneEnded(shareLinksEndedBefore(now));
        })
        .catch((err: unknown) => env.onError(err, 'pruning expired records failed'));
    };
    let pruning: Promise<unknown> = Promise.resolve();
    const interval = env.pruneIntervalMs ?? PRUNE_INTERVAL_MS;
    const timer = interval > 0 ? setInterval(() => (pruning = prune()), interval).unref() : null;
    return {
      stores: {
        ...stores,
        async close() {
          if (timer) clearInterval(timer);
          await pruning;
          await stores.close().finally(() => pool.end());
        },
      },
      locks,
      sharedKeys: openPostgresSharedKeys(pool),
    };
  }
  const stores = await openLowdbStores(config.dataDir, {
    random: env.random,
    now: () => env.clock.now(),
    // The certificates feature's maintenance job expires (and audits) reservations every minute.
    expireIntervalMs: 0,
    pruneIntervalMs: env.pruneIntervalMs,
    sessionIdleSeconds: longestIdleSeconds(config),
    onError: env.onError,
  });
  return { stores, locks: localJobLocks(), sharedKeys: null };
}

/** Past the longer of the two idle timeouts (browser, kiosk) a session is dead whatever its kind. */
const longestIdleSeconds = (config: StoreConfig): number | undefined =>
  config.session ? Math.max(config.session.idleSeconds, config.session.kioskIdleSeconds) : undefined;

/** The staff CLI's stores: only what it shares with a service that may be running on the same data. */
export async function openStaffAdminStores(config: StoreConfig, env: Pick<StoreEnvironment, 'random'>): Promise<StaffAdminStores> {
  if (config.database) {
    const pool = await openCheckedPool({ ...config.database, poolMax: 2 }, 'shomei-admin', (err) => console.error(err));
    const stores = openPostgresStaffAdminStores(pool, { random: env.random });
    return { ...stores, close: () => stores.close().finally(() => pool.end()) };
  }
  return openLowdbStaffAdminStores(config.dataDir, { random: env.random });
}

/** Where the records are, for messages: the database URL without its password, or DATA_DIR. */
export function describeStores(config: StoreConfig): string {
  return config.database ? describeDatabaseUrl(config.database.url) : config.dataDir;
}

/** A pool on a database whose schema is exactly this version's; else DatabaseNotReadyError (the pool ended). */
async function openCheckedPool(
  database: NonNullable<Config['database']>,
  applicationName: string,
  onError: StoreEnvironment['onError'],
): Promise<import('pg').Pool> {
  const where = describeDatabaseUrl(database.url);
  const pool = createPool(database.url, { max: database.poolMax, applicationName, onIdleError: (err) => onError(err, 'an idle PostgreSQL connection failed') });
  try {
    const check = await checkMigrations(pool).catch((e: unknown) => {
      throw new DatabaseNotReadyError(`Cannot reach the database ${where}: ${reasonOf(e)}. Is the server running and DATABASE_URL right?`);
    });
    if (!check.ok) throw new DatabaseNotReadyError(`${check.message} (database ${where})`);
    return pool;
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}

/** Moving a lowdb DATA_DIR into PostgreSQL reads one family and writes the other: an adapter-level tool the CLI runs. */
export { migrateToPostgres } from './adapters/migrate-to-postgres/command.js';
