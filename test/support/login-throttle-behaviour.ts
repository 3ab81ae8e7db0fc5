/**
 * What a login throttle does, whichever store keeps its counts (the embedded memory one in
 * test/unit/staff-lockout.test.ts, PostgreSQL in test/integration/rate-limits.test.ts).
 */
import { beforeEach, expect, it } from 'vitest';
import { createLoginThrottle, STAFF_THROTTLE, type LoginThrottle, type LoginThrottleStore } from '../../service/domain/staff/throttle.js';
import { TestClock } from './factories.js';

/** Defines the tests (call inside a describe); `open` gives a store, `name` a throttle name unused so far in it. */
export function loginThrottleBehaviour(open: () => LoginThrottleStore, name: () => string = () => 'staff'): void {
  let clock: TestClock;
  let throttle: LoginThrottle;
  beforeEach(() => {
    clock = new TestClock();
    throttle = createLoginThrottle({ store: open(), clock, name: name() });
  });

  it('lets the first failures through without delay', async () => {
    for (let i = 0; i < STAFF_THROTTLE.freeFailures; i++) {
      expect(await throttle.check('sato')).toEqual({ allowed: true });
      await throttle.fail('sato');
    }
  });

  it('then makes each further attempt wait longer', async () => {
    for (let i = 0; i < STAFF_THROTTLE.freeFailures; i++) await throttle.fail('sato');
    expect(await throttle.check('sato')).toEqual({ allowed: false, reason: 'throttled', retryAfterSeconds: 2 });
    clock.advance(2);
    expect(await throttle.check('sato')).toEqual({ allowed: true });
    await throttle.fail('sato');
    expect(await throttle.check('sato')).toEqual({ allowed: false, reason: 'throttled', retryAfterSeconds: 4 });
  });

  it('locks the name for 15 minutes after 8 failures in a row, then lets it try again', async () => {
    let locked = false;
    for (let i = 0; i < STAFF_THROTTLE.lockAfterFailures; i++) {
      clock.advance(600);
      locked = await throttle.fail('sato');
    }
    expect(locked).toBe(true);
    expect(await throttle.check('sato')).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: 900 });
    clock.advance(899);
    expect(await throttle.check('sato')).toMatchObject({ allowed: false, reason: 'locked' });
    clock.advance(1);
    expect(await throttle.check('sato')).toEqual({ allowed: true });
  });

  it('keeps names apart and forgets old failures', async () => {
    for (let i = 0; i < 5; i++) await throttle.fail('sato');
    expect(await throttle.check('kato')).toEqual({ allowed: true });
    clock.advance(STAFF_THROTTLE.forgetAfterSeconds + 1);
    expect(await throttle.check('sato')).toEqual({ allowed: true });
  });

  it('starts again from nothing after a success', async () => {
    for (let i = 0; i < 3; i++) await throttle.fail('sato');
    await throttle.succeed('sato');
    await throttle.fail('sato');
    expect(await throttle.check('sato')).toEqual({ allowed: true });
  });
}
