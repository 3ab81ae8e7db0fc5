import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AccountService } from '../domain/accounts.js';
import type { AuditLog } from '../domain/audit.js';
import type { Clock, Mailer, Random, Store } from '../domain/ports.js';

/**
 * What every feature's factory receives from `service/app.ts`. A feature opens its own lowdb
 * collections in `config.dataDir` (see adapters/lowdb/collection.ts) and returns its service.
 */
export interface FeatureContext {
  config: Config;
  logger: Logger;
  store: Store;
  clock: Clock;
  random: Random;
  mailer: Mailer;
  accounts: AccountService;
  audit: AuditLog;
}
