import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../service/adapters/lowdb/audit-store.js';
import { openStaffStore } from '../../service/adapters/lowdb/staff-store.js';
import type { AuditLog } from '../../service/domain/audit.js';
import { StaffAccounts } from '../../service/domain/staff/accounts.js';
import { LoginThrottle, STAFF_THROTTLE } from '../../service/domain/staff/throttle.js';
import { random, TestClock } from '../support/factories.js';

describe('login throttle', () => {
  let clock: TestClock;
  let throttle: LoginThrottle;
  beforeEach(() => {
    clock = new TestClock();
    throttle = new LoginThrottle(clock);
  });

  it('lets the first failures through without delay', () => {
    for (let i = 0; i < STAFF_THROTTLE.freeFailures; i++) {
      expect(throttle.check('sato')).toEqual({ allowed: true });
      throttle.fail('sato');
    }
  });

  it('then makes each further attempt wait longer', () => {
    for (let i = 0; i < STAFF_THROTTLE.freeFailures; i++) throttle.fail('sato');
    expect(throttle.check('sato')).toEqual({ allowed: false, reason: 'throttled', retryAfterSeconds: 2 });
    clock.advance(2);
    expect(throttle.check('sato')).toEqual({ allowed: true });
    throttle.fail('sato');
    expect(throttle.check('sato')).toEqual({ allowed: false, reason: 'throttled', retryAfterSeconds: 4 });
  });

  it('locks the name for 15 minutes after 8 failures in a row, then lets it try again', () => {
    let locked = false;
    for (let i = 0; i < STAFF_THROTTLE.lockAfterFailures; i++) {
      clock.advance(600);
      locked = throttle.fail('sato');
    }
    expect(locked).toBe(true);
    expect(throttle.check('sato')).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: 900 });
    clock.advance(899);
    expect(throttle.check('sato')).toMatchObject({ allowed: false, reason: 'locked' });
    clock.advance(1);
    expect(throttle.check('sato')).toEqual({ allowed: true });
  });

  it('keeps names apart and forgets old failures', () => {
    for (let i = 0; i < 5; i++) throttle.fail('sato');
    expect(throttle.check('kato')).toEqual({ allowed: true });
    clock.advance(STAFF_THROTTLE.forgetAfterSeconds + 1);
    expect(throttle.check('sato')).toEqual({ allowed: true });
  });

  it('starts again from nothing after a success', () => {
    for (let i = 0; i < 3; i++) throttle.fail('sato');
    throttle.succeed('sato');
    throttle.fail('sato');
    expect(throttle.check('sato')).toEqual({ allowed: true });
  });
});

describe('staff login lockout', () => {
  let clock: TestClock;
  let accounts: StaffAccounts;
  let audit: AuditLog;
  beforeEach(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-lockout-'));
    clock = new TestClock();
    audit = await openAuditStore(dir, random);
    accounts = new StaffAccounts(await openStaffStore(dir), audit, clock, random);
    await accounts.create({ username: 'sato', role: 'reviewer', password: 'the right password' }, { type: 'system', id: 't', name: 't' });
  });

  const attempt = (username: string, password: string) =>
    accounts.authenticate(username, password).then(
      () => 'ok',
      (e: { code: string; params: Record<string, unknown> }) => ({ code: e.code, params: e.params }),
    );

  it('slows down and then locks repeated failures, even for the right password, with a translated reason', async () => {
    for (let i = 0; i < 3; i++) expect(await attempt('sato', 'wrong')).toEqual({ code: 'staff.loginFailed', params: {} });
    expect(await attempt('sato', 'the right password')).toEqual({ code: 'staff.loginThrottled', params: { seconds: 2 } });
    for (let i = 0; i < 5; i++) {
      clock.advance(300);
      await attempt('sato', 'wrong');
    }
    expect(await attempt('sato', 'the right password')).toEqual({ code: 'staff.loginLocked', params: { minutes: 15 } });
    expect((await audit.list({ action: 'staff.loginLocked' })).total).toBe(1);
    clock.advance(15 * 60);
    expect(await attempt('sato', 'the right password')).toBe('ok');
  });

  it('locks unknown names the same way, so the answers do not tell which names exist', async () => {
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < 9; i++) {
      clock.advance(300);
      known.push(await attempt('sato', 'wrong'));
      unknown.push(await attempt('nobody', 'wrong'));
    }
    expect(unknown).toEqual(known);
  });
});
