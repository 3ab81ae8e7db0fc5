/**
 * The store family the in-process service of a test runs on: lowdb in its DATA_DIR by default;
 * PostgreSQL when SHOMEI_TEST_DATABASE=postgres (`npm run test:postgres`) — one real server per
 * test file (test/support/postgres.ts), started when a service first needs it, migrated once
 * into a template database, a fresh copy of it for every service started, and stopped after the
 * file by test/support/vitest-teardown.ts (no vitest import here: Playwright uses this module too).
 */
import { migrate } from '../../service/adapters/postgres/migrate.js';
import { createPool } from '../../service/adapters/postgres/pool.js';
import { copyDatabase, startPostgres, type PostgresCluster } from './postgres.js';

export type TestDatabaseFamily = 'lowdb' | 'postgres';

/** The family chosen for this run by SHOMEI_TEST_DATABASE (unset or `lowdb`: lowdb). */
export function testDatabaseFamily(env: NodeJS.ProcessEnv = process.env): TestDatabaseFamily {
  const chosen = env.SHOMEI_TEST_DATABASE ?? 'lowdb';
  if (chosen !== 'lowdb' && chosen !== 'postgres') throw new Error(`SHOMEI_TEST_DATABASE must be lowdb or postgres, not ${chosen}`);
  return chosen;
}

interface Server {
  cluster: PostgresCluster;
  template: string;
}

let server: Promise<Server> | null = null;
let copies = 0;

async function startServer(): Promise<Server> {
  const cluster = await startPostgres();
  const pool = createPool(cluster.url, { max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return { cluster, template: new URL(cluster.url).pathname.slice(1) };
}

/** The PostgreSQL server of this test process (started on first use). */
export function testPostgres(): Promise<Server> {
  server ??= startServer();
  return server;
}

/** Stops this file's server, if one was started (safe to call when none was). */
export async function stopTestPostgres(): Promise<void> {
  const started = server;
  server = null;
  if (started) await (await started.catch(() => null))?.cluster.stop();
}

/** A fresh database with every migration applied, on this process's server: its URL. */
export async function freshMigratedDatabase(): Promise<string> {
  const { cluster, template } = await testPostgres();
  const name = `service_${process.pid}_${++copies}`;
  return copyDatabase(cluster.url, template, name);
}

/** An empty database (no schema) on this process's server: its URL. */
export async function freshEmptyDatabase(): Promise<string> {
  const { cluster } = await testPostgres();
  return cluster.createDatabase(`empty_${process.pid}_${++copies}`);
}

/** The configuration a started service gets for the chosen family: DATABASE_URL of a fresh database, or nothing. */
export async function databaseEnv(env: Record<string, string>): Promise<Record<string, string>> {
  if (env.DATABASE_URL !== undefined || testDatabaseFamily() === 'lowdb') return {};
  return { DATABASE_URL: await freshMigratedDatabase() };
}
