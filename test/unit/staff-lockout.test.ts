import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../service/adapters/lowdb/audit-store.js';
import { MemoryLoginThrottleStore } from '../../service/adapters/lowdb/login-throttles.js';
import { openStaffStore } from '../../service/adapters/lowdb/staff-store.js';
import type { AuditLog } from '../../service/domain/audit.js';
import { createStaffAccounts, type StaffAccounts } from '../../service/domain/staff/accounts.js';
import { random, TestClock } from '../support/factories.js';
import { loginThrottleBehaviour } from '../support/login-throttle-behaviour.js';

describe('login throttle (embedded counts)', () => {
  loginThrottleBehaviour(() => new MemoryLoginThrottleStore());
});

describe('staff login lockout', () => {
  let clock: TestClock;
  let accounts: StaffAccounts;
  let audit: AuditLog;
  beforeEach(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-lockout-'));
    clock = new TestClock();
    audit = await openAuditStore(dir, random);
    accounts = createStaffAccounts({ store: await openStaffStore(dir), audit, clock, random, throttles: new MemoryLoginThrottleStore() });
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
