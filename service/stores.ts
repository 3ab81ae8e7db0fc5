import { openLowdbStaffAdminStores, openLowdbStores } from './adapters/lowdb/open.js';
import type { Config } from './config.js';
import type { Clock, Random } from './domain/ports.js';
import type { StaffAdminStores, Stores } from './domain/stores.js';

/** What choosing and opening the store family needs from the configuration. */
export type StoreConfig = Pick<Config, 'dataDir'>;

export interface StoreEnvironment {
  clock: Clock;
  random: Random;
  /** Where a failed background prune or sweep of the stores is reported. */
  onError(err: unknown, what: string): void;
}

/**
 * The one place that picks the adapter family and opens every store port: lowdb files in
 * DATA_DIR (the embedded default). The service (app.ts) and the staff CLI both open through here.
 */
export async function openStores(config: StoreConfig, env: StoreEnvironment): Promise<Stores> {
  return openLowdbStores(config.dataDir, {
    random: env.random,
    now: () => env.clock.now(),
    // The certificates feature's maintenance job expires (and audits) reservations every minute.
    expireIntervalMs: 0,
    onError: env.onError,
  });
}

/** The staff CLI's stores: only what it shares with a service that may be running on the same data. */
export async function openStaffAdminStores(config: StoreConfig, env: Pick<StoreEnvironment, 'random'>): Promise<StaffAdminStores> {
  return openLowdbStaffAdminStores(config.dataDir, { random: env.random });
}
