import type { LoginThrottleStore, ThrottleFailure, ThrottleRecord } from '../../domain/staff/throttle.js';

/** Keys tracked per throttle before forgotten ones are dropped (bounds what a flood of made-up names takes). */
const PRUNE_ABOVE = 10_000;

const forgotten = (r: ThrottleRecord, now: Date, forgetBefore: Date): boolean =>
  (r.lockedUntil?.getTime() ?? 0) <= now.getTime() && r.lastFailureAt.getTime() < forgetBefore.getTime();

/**
 * The embedded family's failed-login counts: in this process's memory, which is honest here
 * because the lowdb family is one process by construction (it owns DATA_DIR). A restart of the
 * service forgets them, which lifts every lock.
 */
export class MemoryLoginThrottleStore implements LoginThrottleStore {
  readonly #throttles = new Map<string, Map<string, ThrottleRecord>>();

  async get(throttle: string, key: string): Promise<ThrottleRecord | null> {
    const r = this.#throttles.get(throttle)?.get(key);
    return r ? { ...r } : null;
  }

  async fail(throttle: string, key: string, f: ThrottleFailure): Promise<{ locked: boolean }> {
    let records = this.#throttles.get(throttle);
    if (!records) this.#throttles.set(throttle, (records = new Map()));
    const before = records.get(key);
    const counted = before && !forgotten(before, f.now, f.forgetBefore) ? before.failures : 0;
    const failures = counted + 1;
    const locked = failures >= f.lockAfterFailures;
    records.set(key, {
      failures: locked ? 0 : failures,
      lastFailureAt: f.now,
      lockedUntil: locked ? f.lockUntil : (before?.lockedUntil ?? null),
    });
    if (records.size > PRUNE_ABOVE) for (const [k, r] of records) if (forgotten(r, f.now, f.forgetBefore)) records.delete(k);
    return { locked };
  }

  async clear(throttle: string, key: string): Promise<void> {
    this.#throttles.get(throttle)?.delete(key);
  }
}
