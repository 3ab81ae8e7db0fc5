import type { Clock } from '../ports.js';

export interface ThrottlePolicy {
  /** Failures allowed without delay. */
  freeFailures: number;
  /** After more failures, the next attempt waits 2^(n - freeFailures) × this many seconds. */
  baseDelaySeconds: number;
  /** At this many failures in a row the name is locked… */
  lockAfterFailures: number;
  /** …for this long. */
  lockSeconds: number;
  /** Failures older than this (since the last one) are forgotten. */
  forgetAfterSeconds: number;
}

export const STAFF_THROTTLE: ThrottlePolicy = {
  freeFailures: 3,
  baseDelaySeconds: 2,
  lockAfterFailures: 8,
  lockSeconds: 15 * 60,
  forgetAfterSeconds: 15 * 60,
};

/** Bounds the memory a flood of made-up names can take. */
const MAX_TRACKED = 10_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; reason: 'throttled' | 'locked'; retryAfterSeconds: number };

interface State {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/**
 * Slows down and then locks repeated failed logins per login name, whether or not an account
 * with that name exists (so the answers do not tell which names exist). Kept in memory: a
 * restart of the service lifts the locks (the administrator's way to unlock at once).
 */
export class LoginThrottle {
  readonly #states = new Map<string, State>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = STAFF_THROTTLE,
  ) {}

  /** May `key` try now? */
  check(key: string): ThrottleVerdict {
    const now = this.clock.now().getTime();
    const state = this.#current(key, now);
    if (!state) return { allowed: true };
    if (state.lockedUntil > now) return { allowed: false, reason: 'locked', retryAfterSeconds: Math.ceil((state.lockedUntil - now) / 1000) };
    const over = state.failures - this.policy.freeFailures;
    if (over < 0) return { allowed: true };
    const nextAt = state.lastFailureAt + 2 ** over * this.policy.baseDelaySeconds * 1000;
    return nextAt > now ? { allowed: false, reason: 'throttled', retryAfterSeconds: Math.ceil((nextAt - now) / 1000) } : { allowed: true };
  }

  /** Records a failed attempt; returns true when it has just locked the name. */
  fail(key: string): boolean {
    const now = this.clock.now().getTime();
    const state = this.#current(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    state.failures += 1;
    state.lastFailureAt = now;
    const locked = state.failures >= this.policy.lockAfterFailures;
    if (locked) {
      state.lockedUntil = now + this.policy.lockSeconds * 1000;
      state.failures = 0;
    }
    this.#states.set(key, state);
    if (this.#states.size > MAX_TRACKED) for (const k of [...this.#states.keys()]) this.#current(k, now);
    return locked;
  }

  succeed(key: string): void {
    this.#states.delete(key);
  }

  #current(key: string, now: number): State | null {
    const state = this.#states.get(key);
    if (!state) return null;
    const forgotten = state.lockedUntil <= now && now - state.lastFailureAt > this.policy.forgetAfterSeconds * 1000;
    if (forgotten) {
      this.#states.delete(key);
      return null;
    }
    return state;
  }
}
