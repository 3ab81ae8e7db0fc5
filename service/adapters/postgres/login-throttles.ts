import type { LoginThrottleStore, ThrottleFailure, ThrottleRecord } from '../../domain/staff/throttle.js';
import type { Queryable } from './queryable.js';

export interface PostgresLoginThrottleOptions {
  /** How often (at most, per throttle) a failure also deletes the forgotten records. Default a minute. */
  pruneEveryMs?: number;
}

interface Row {
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

/** The failures before this one, or 0 when the stored record is forgotten (not locked, last failure before $3). */
const COUNTED = `(CASE WHEN (t.locked_until IS NULL OR t.locked_until <= $2) AND t.last_failure_at < $3 THEN 0 ELSE t.failures END)`;

/**
 * Failed-login counts in `login_throttle`, shared by every instance on the database, under the
 * key `<throttle>:<key>`. A failure is one upsert, so concurrent failures on several instances
 * each count; the row says it has just been locked by its count of 0 (any other failure leaves 1 or more).
 */
export class PostgresLoginThrottleStore implements LoginThrottleStore {
  readonly #pruneEveryMs: number;
  readonly #prunedAt = new Map<string, number>();

  constructor(
    private readonly db: Queryable,
    options: PostgresLoginThrottleOptions = {},
  ) {
    this.#pruneEveryMs = options.pruneEveryMs ?? 60_000;
  }

  async get(throttle: string, key: string): Promise<ThrottleRecord | null> {
    const { rows } = await this.db.query<Row>('SELECT failures, last_failure_at, locked_until FROM login_throttle WHERE key = $1', [`${throttle}:${key}`]);
    const row = rows[0];
    return row ? { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until } : null;
  }

  async fail(throttle: string, key: string, f: ThrottleFailure): Promise<{ locked: boolean }> {
    const { rows } = await this.db.query<{ failures: number }>(
      `INSERT INTO login_throttle AS t (key, failures, last_failure_at, locked_until)
       VALUES ($1, CASE WHEN 1 >= $4 THEN 0 ELSE 1 END, $2, CASE WHEN 1 >= $4 THEN $5::timestamptz END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN ${COUNTED} + 1 >= $4 THEN 0 ELSE ${COUNTED} + 1 END,
         last_failure_at = $2,
         locked_until = CASE WHEN ${COUNTED} + 1 >= $4 THEN $5::timestamptz ELSE t.locked_until END
       RETURNING t.failures`,
      [`${throttle}:${key}`, f.now, f.forgetBefore, f.lockAfterFailures, f.lockUntil],
    );
    await this.#pruneIfDue(throttle, f);
    return { locked: rows[0]!.failures === 0 };
  }

  async clear(throttle: string, key: string): Promise<void> {
    await this.db.query('DELETE FROM login_throttle WHERE key = $1', [`${throttle}:${key}`]);
  }

  /** Deletes the throttle's forgotten records (any instance may; it is idempotent). */
  async #pruneIfDue(throttle: string, f: ThrottleFailure): Promise<void> {
    const at = f.now.getTime();
    if (at - (this.#prunedAt.get(throttle) ?? 0) < this.#pruneEveryMs) return;
    this.#prunedAt.set(throttle, at);
    await this.db.query(
      `DELETE FROM login_throttle
       WHERE starts_with(key, $1) AND (locked_until IS NULL OR locked_until <= $2) AND last_failure_at < $3`,
      [`${throttle}:`, f.now, f.forgetBefore],
    );
  }
}
