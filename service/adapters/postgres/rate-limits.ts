import type { RateLimitRule, RateLimitStore, RateLimitVerdict } from '../../domain/rate-limits.js';
import type { Queryable } from './queryable.js';

/** What the store runs its statements on: a pg Pool (or one client). */
export interface PostgresRateLimitOptions {
  /** How often (at most) a hit also deletes the counters of windows that have ended. Default a minute. */
  pruneEveryMs?: number;
}

/**
 * Rate-limit counters in `rate_limit_counters`, shared by every instance on the database.
 *
 * Fixed windows (aligned to multiples of `windowSeconds` since the epoch), not a sliding
 * approximation: a hit is then one row and one statement — an upsert whose conflict branch adds
 * the hit only while the count is below the limit — so concurrent hits from any number of
 * instances are serialised by the row lock and exactly `limit` are allowed, and the wait is exact
 * (until the window ends). The price: a client may get up to twice the limit across a window
 * boundary, which the limits here (generous per-IP caps against guessing and floods) can bear.
 * A sliding estimate would need the previous window's row in the same decision, and could not
 * say exactly how long to wait.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  readonly #pruneEveryMs: number;
  #prunedAt = 0;

  constructor(
    private readonly db: Queryable,
    options: PostgresRateLimitOptions = {},
  ) {
    this.#pruneEveryMs = options.pruneEveryMs ?? 60_000;
  }

  async hit(limiter: string, client: string, now: Date, rule: RateLimitRule): Promise<RateLimitVerdict> {
    const windowMs = rule.windowSeconds * 1000;
    const start = Math.floor(now.getTime() / windowMs) * windowMs;
    const end = start + windowMs;
    // A refused hit updates nothing (the WHERE of the conflict branch), so RETURNING gives no row.
    const { rows } = await this.db.query<{ hits: number }>(
      `INSERT INTO rate_limit_counters AS c (limiter, client, window_start, hits, expires_at)
       VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (limiter, client, window_start) DO UPDATE SET hits = c.hits + 1
         WHERE c.hits < $5
       RETURNING c.hits`,
      [limiter, client, new Date(start), new Date(end), rule.limit],
    );
    await this.#pruneIfDue(now);
    // A limit of 0 refuses even the first hit, which the insert has counted.
    if (rows.length === 1 && rows[0]!.hits <= rule.limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((end - now.getTime()) / 1000)) };
  }

  /** Deletes the counters of windows that ended at or before `now` (any instance may; it is idempotent). */
  async prune(now: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'WITH gone AS (DELETE FROM rate_limit_counters WHERE expires_at <= $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
      [now],
    );
    return rows[0]?.n ?? 0;
  }

  async #pruneIfDue(now: Date): Promise<void> {
    const at = now.getTime();
    if (at - this.#prunedAt < this.#pruneEveryMs) return;
    this.#prunedAt = at;
    await this.prune(now);
  }
}
