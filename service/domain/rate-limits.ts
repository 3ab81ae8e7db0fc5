/**
 * Rate limits per client (an IP address): the rule of each limiter and the error it answers with
 * live here; the counting is the `RateLimitStore` port's, so that every instance of the service
 * counts against the same total when the store is shared (PostgreSQL).
 */
import { DomainError, type ErrorCode } from './errors.js';
import type { Clock } from './ports.js';

export interface RateLimitRule {
  /** Attempts allowed per client within `windowSeconds`. */
  limit: number;
  windowSeconds: number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The counters: one atomic operation, data in and out. */
export interface RateLimitStore {
  /**
   * Counts an attempt of `client` at `limiter` at `now`, unless `rule.limit` attempts of it fall
   * within the window already: then nothing is counted and the answer says how many seconds
   * (at least 1) until an attempt would be allowed. Atomic: of any number of concurrent hits
   * exactly as many are allowed as the rule leaves room for.
   */
  hit(limiter: string, client: string, now: Date, rule: RateLimitRule): Promise<RateLimitVerdict>;
}

/** The error each limiter answers with: {seconds} to wait. */
export type RateLimitedCode = Extract<ErrorCode, `${string}.rateLimited`>;

/** One limiter: its name in the store, its rule, and its error. */
export class RateLimit {
  constructor(
    private readonly store: RateLimitStore,
    private readonly clock: Clock,
    readonly name: string,
    readonly rule: RateLimitRule,
    private readonly refusal: RateLimitedCode,
  ) {}

  /** Counts an attempt of `client`, or throws the limiter's `…rateLimited` {seconds}. */
  async hit(client: string): Promise<void> {
    const verdict = await this.store.hit(this.name, client, this.clock.now(), this.rule);
    if (!verdict.allowed) throw new DomainError(this.refusal, { seconds: verdict.retryAfterSeconds }, `${this.name} limit for ${client}`);
  }
}
