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

export type ThrottleVerdict = { allowed: true } | { allowed: false; reason: 'throttled' | 'locked'; retryAfterSeconds: number };

/** What is kept per throttled key (a login name, a mail address, a client address). */
export interface ThrottleRecord {
  /** Failures in a row since the last lock (0 right after one). */
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

/** A failure to record, with what the throttle's policy makes of it at `now`. */
export interface ThrottleFailure {
  now: Date;
  /** A record not locked at `now` whose last failure was before this counts from 0 again (it is forgotten). */
  forgetBefore: Date;
  /** The count at which the key is locked, and counts from 0 again… */
  lockAfterFailures: number;
  /** …until this time. */
  lockUntil: Date;
}

/** The failures per key of each throttle (`throttle` names it: 'staff', 'graduate-address', …): data in and out. */
export interface LoginThrottleStore {
  get(throttle: string, key: string): Promise<ThrottleRecord | null>;
  /** Counts a failure as `failure` says, in one atomic step; `locked` when this failure locked the key. */
  fail(throttle: string, key: string, failure: ThrottleFailure): Promise<{ locked: boolean }>;
  /** Forgets the key's failures (a successful login, a password reset). */
  clear(throttle: string, key: string): Promise<void>;
}

/**
 * Slows down and then locks repeated failed logins per key (a login name, whether or not an
 * account with that name exists, so the answers do not tell which names exist). The counts are
 * the store's: shared by every instance on a shared store; the embedded store keeps them in
 * memory, so there a restart of the service lifts the locks (the administrator's way to unlock at once).
 */
export interface LoginThrottle {
  readonly name: string;
  /** May `key` try now? */
  check(key: string): Promise<ThrottleVerdict>;
  /** Records a failed attempt; true when it has just locked the key. */
  fail(key: string): Promise<boolean>;
  succeed(key: string): Promise<void>;
}

export interface LoginThrottleDeps {
  store: LoginThrottleStore;
  clock: Clock;
  /** Names the throttle in the store ('staff', 'graduate-address', …). */
  name: string;
  policy?: ThrottlePolicy;
}

export function createLoginThrottle(deps: LoginThrottleDeps): LoginThrottle {
  const { store, clock, name } = deps;
  const policy = deps.policy ?? STAFF_THROTTLE;

  function forgotten(record: ThrottleRecord, now: Date): boolean {
    const unlocked = (record.lockedUntil?.getTime() ?? 0) <= now.getTime();
    return unlocked && now.getTime() - record.lastFailureAt.getTime() > policy.forgetAfterSeconds * 1000;
  }

  return {
    name,

    async check(key) {
      const now = clock.now();
      const record = await store.get(name, key);
      if (!record || forgotten(record, now)) return { allowed: true };
      const at = now.getTime();
      const lockedUntil = record.lockedUntil?.getTime() ?? 0;
      if (lockedUntil > at) return { allowed: false, reason: 'locked', retryAfterSeconds: Math.ceil((lockedUntil - at) / 1000) };
      const over = record.failures - policy.freeFailures;
      if (over < 0) return { allowed: true };
      const nextAt = record.lastFailureAt.getTime() + 2 ** over * policy.baseDelaySeconds * 1000;
      return nextAt > at ? { allowed: false, reason: 'throttled', retryAfterSeconds: Math.ceil((nextAt - at) / 1000) } : { allowed: true };
    },

    async fail(key) {
      const now = clock.now();
      const { locked } = await store.fail(name, key, {
        now,
        forgetBefore: new Date(now.getTime() - policy.forgetAfterSeconds * 1000),
        lockAfterFailures: policy.lockAfterFailures,
        lockUntil: new Date(now.getTime() + policy.lockSeconds * 1000),
      });
      return locked;
    },

    async succeed(key) {
      await store.clear(name, key);
    },
  };
}
