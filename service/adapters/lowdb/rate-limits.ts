import type { RateLimitRule, RateLimitStore, RateLimitVerdict } from '../../domain/rate-limits.js';

/** Clients tracked before counters whose window has passed are dropped. */
const PRUNE_ABOVE = 10_000;

interface Counter {
  windowMs: number;
  /** Times (ms) of the attempts still in the window, oldest first. */
  times: number[];
}

/**
 * The embedded family's rate-limit counters: in this process's memory, which is honest here
 * because the lowdb family is one process by construction (it owns DATA_DIR); a restart forgets
 * the counts. An exact sliding window: `limit` attempts in any `windowSeconds`, the wait being
 * until the oldest one leaves the window. Memory stays bounded by the clients of one window.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #counters = new Map<string, Counter>();
  #prunedAt = 0;

  async hit(limiter: string, client: string, now: Date, rule: RateLimitRule): Promise<RateLimitVerdict> {
    const at = now.getTime();
    const windowMs = rule.windowSeconds * 1000;
    const key = `${limiter}\u0000${client}`;
    const times = (this.#counters.get(key)?.times ?? []).filter((t) => t > at - windowMs);
    this.#counters.set(key, { windowMs, times });
    if (times.length >= rule.limit) {
      // The oldest attempt frees a place when it leaves the window (with a limit of 0, nothing ever does: a window).
      const freedAt = (times[0] ?? at) + windowMs;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freedAt - at) / 1000)) };
    }
    times.push(at);
    // At most once a second: with many clients in the window a scan per hit would cost more with each one.
    if (this.#counters.size > PRUNE_ABOVE && at - this.#prunedAt >= 1000) {
      this.#prunedAt = at;
      for (const [k, c] of this.#counters) if (c.times.every((t) => t <= at - c.windowMs)) this.#counters.delete(k);
    }
    return { allowed: true };
  }

  /** Clients with a counter (for the test that memory does not grow with every client ever seen). */
  get size(): number {
    return this.#counters.size;
  }
}
