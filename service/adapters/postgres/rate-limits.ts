import type { RateLimitRule, RateLimitStore, RateLimitVerdict } from '../../domain/rate-limits.js';
import type { Queryable } from './queryable.js';

/** What the store runs its statements on: a pg Pool (or one client). */
export interface PostgresRateLimitOptions {
  /** How often (at most) a hit also deletes the rows of clients whose attempts have all left the window. Default a minute. */
  pruneEveryMs?: number;
}

/**
 * Rate-limit counters in `rate_limit_windows`, shared by every instance on the database.
 *
 * An exact sliding window, as the embedded family counts: `limit` attempts in any `windowSeconds`,
 * the wait being until the oldest counted attempt leaves the window. A client's row holds the
 * times of its attempts still in the window (never more than `limit`), and a hit is one
 * statement — an upsert whose conflict branch keeps the times still in the window and adds this
 * one only while fewer than `limit` remain — so concurrent hits from any number of instances are
 * serialised by the row lock and exactly as many are allowed as the rule leaves room for. Only a
 * refusal reads the row again, to say how long to wait.
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
    const since = new Date(now.getTime() - windowMs);
    const until = new Date(now.getTime() + windowMs);
    await this.#pruneIfDue(now);
    // With a limit of 0 nothing is ever allowed, and nothing leaves a place: a whole window.
    if (rule.limit <= 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(windowMs / 1000)) };
    // A refused hit updates nothing (the WHERE of the conflict branch), so RETURNING gives no row.
    const { rowCount } = await this.db.query(
      `INSERT INTO rate_limit_windows AS w (limiter, client, hits, expires_at)
       VALUES ($1, $2, ARRAY[$3::timestamptz], $5)
       ON CONFLICT (limiter, client) DO UPDATE
         SET hits = array_append(ARRAY(SELECT t FROM unnest(w.hits) AS t WHERE t > $4 ORDER BY t), $3::timestamptz),
             expires_at = $5
         WHERE (SELECT count(*) FROM unnest(w.hits) AS t WHERE t > $4) < $6
       RETURNING 1`,
      [limiter, client, now, since, until, rule.limit],
    );
    if (rowCount === 1) return { allowed: true };
    // The oldest attempt still in the window frees a place when it leaves.
    const { rows } = await this.db.query<{ oldest: Date | null }>(
      'SELECT (SELECT min(t) FROM unnest(hits) AS t WHERE t > $3) AS oldest FROM rate_limit_windows WHERE limiter = $1 AND client = $2',
      [limiter, client, since],
    );
    const freedAt = (rows[0]?.oldest?.getTime() ?? now.getTime()) + windowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freedAt - now.getTime()) / 1000)) };
  }

  /** Deletes the rows whose attempts had all left their window at `now` (any instance may; it is idempotent). */
  async prune(now: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'WITH gone AS (DELETE FROM rate_limit_windows WHERE expires_at <= $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
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
