import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AccountService } from '../domain/accounts.js';
import type { AuditLog } from '../domain/audit.js';
import type { Clock, Random, TransactionalMailer } from '../domain/ports.js';
import type { JobLocks, Stores } from '../domain/stores.js';

/**
 * What every feature's factory receives from the composition root (`service/app.ts`): the
 * store ports it opened (service/stores.ts) among them. A feature opens nothing itself.
 */
export interface FeatureContext {
  config: Config;
  logger: Logger;
  stores: Stores;
  /** One run at a time of a job among every instance on the same stores. */
  locks: JobLocks;
  clock: Clock;
  random: Random;
  mailer: TransactionalMailer;
  accounts: AccountService;
  audit: AuditLog;
}
