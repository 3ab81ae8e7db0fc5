/**
 * The store port families a contract test runs against: lowdb in a fresh temporary directory, and
 * PostgreSQL in a fresh database with every migration applied (a real server for the test file,
 * test/support/postgres.ts). `useStoreFamilies()` registers the hooks; each `open()` is empty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openLowdbStores } from '../../service/adapters/lowdb/open.js';
import { openPostgresStores } from '../../service/adapters/postgres/open.js';
import { migrate } from '../../service/adapters/postgres/migrate.js';
import { createPool } from '../../service/adapters/postgres/pool.js';
import type { Stores } from '../../service/domain/stores.js';
import { random } from './factories.js';
import { copyDatabase, startPostgres, type PostgresCluster } from './postgres.js';

/** Every port of a family, with its unit of work. */
export type PortFamily = Stores;

export interface StoreFamily {
  readonly name: 'lowdb' | 'postgres';
  /** Every port of the family over empty storage of its own. */
  open(): Promise<PortFamily>;
}

export interface PostgresFamily extends StoreFamily {
  /** A pool on a fresh migrated database (ended after the test), for what only PostgreSQL does. */
  database(): Promise<pg.Pool>;
  /** The URL of a fresh migrated database, for what opens its own pool (the service's openStores). */
  databaseUrl(): Promise<string>;
}

/**
 * Both families, with the hooks that start PostgreSQL for the file (migrated once into a template
 * database that each `open()` copies) and close what the tests opened.
 */
export function useStoreFamilies(): [StoreFamily, PostgresFamily] {
  let cluster: PostgresCluster | undefined;
  let template = '';
  let databases = 0;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    cluster = await startPostgres();
    const pool = createPool(cluster.url, { max: 1 });
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
    template = new URL(cluster.url).pathname.slice(1);
  });

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const lowdb: StoreFamily = {
    name: 'lowdb',
    async open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-contract-'));
      const stores = await openLowdbStores(dir, { random, pruneIntervalMs: 0, expireIntervalMs: 0 });
      cleanups.push(async () => {
        await stores.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return stores;
    },
  };

  const postgres: PostgresFamily = {
    name: 'postgres',
    async databaseUrl() {
      if (!cluster) throw new Error('PostgreSQL did not start');
      return copyDatabase(cluster.url, template, `contract_${++databases}`);
    },
    async database() {
      const url = await postgres.databaseUrl();
      const pool = createPool(url, { max: 20 });
      cleanups.push(() => pool.end());
      return pool;
    },
    async open() {
      const pool = await postgres.database();
      return openPostgresStores(pool, { random });
    },
  };

  return [lowdb, postgres];
}
