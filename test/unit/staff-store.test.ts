import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../service/adapters/lowdb/audit-store.js';
import { MemoryLoginThrottleStore } from '../../service/adapters/lowdb/login-throttles.js';
import { acquireLock } from '../../service/adapters/lowdb/shared-collection.js';
import { openStaffSessionStore, openStaffStore } from '../../service/adapters/lowdb/staff-store.js';
import { hashSecret } from '../../service/domain/crypto.js';
import { verifyPassword } from '../../service/domain/passwords.js';
import { createStaffAccounts, StaffAccountError, type StaffAccounts, type StaffActor } from '../../service/domain/staff/accounts.js';
import type { StaffUser } from '../../service/domain/staff/model.js';
import { createStaffSessionService, type StaffSessionService } from '../../service/domain/staff/sessions.js';
import { random, TestClock } from '../support/factories.js';

const CLI: StaffActor = { type: 'system', id: 'admin-cli', name: 'admin CLI (test)' };
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'shomei-staff-'));

let serial = 0;
function staffUser(overrides: Partial<StaffUser> = {}): StaffUser {
  serial += 1;
  return {
    id: `staff-${serial}`,
    username: `user${serial}`,
    displayName: `User ${serial}`,
    role: 'reviewer',
    passwordHash: 'scrypt$ln=15,r=8,p=1$x$y',
    disabled: false,
    createdAt: '2026-04-01T00:00:00.000Z',
    lastLoginAt: null,
    ...overrides,
  };
}

/** The lowdb staff file, shared with the staff CLI; what the port promises: test/integration/ports-contract.test.ts. */
describe('lowdb staff store', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });

  it('keeps users across a reopen, in a file only its owner can read', async () => {
    const first = await openStaffStore(dir);
    await first.insert(staffUser({ username: 'kept' }));
    const second = await openStaffStore(dir);
    expect((await second.list()).map((u) => u.username)).toEqual(['kept']);
    expect(statSync(path.join(dir, 'staff-users.json')).mode & 0o777).toBe(0o600);
  });

  it('sees what another process wrote to the same file, and does not overwrite it', async () => {
    // Two stores on one directory stand for the service and the CLI.
    const service = await openStaffStore(dir);
    const cli = await openStaffStore(dir);
    const a = staffUser({ username: 'by-service' });
    await service.insert(a);
    expect(await cli.insert(staffUser({ username: 'by-cli' }))).toBe(true);
    expect((await service.findByUsername('by-cli'))?.username).toBe('by-cli');
    await service.update(a.id, { lastLoginAt: '2026-04-02T00:00:00.000Z' });
    await cli.update(a.id, { disabled: true });
    const seen = await service.get(a.id);
    expect(seen).toMatchObject({ disabled: true, lastLoginAt: '2026-04-02T00:00:00.000Z' });
    expect((await cli.list()).map((u) => u.username)).toEqual(['by-cli', 'by-service']);
  });

  it('serializes concurrent writers of two processes without losing any write', async () => {
    const one = await openStaffStore(dir);
    const two = await openStaffStore(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).insert(staffUser({ username: `concurrent${i}` }))));
    expect(await one.list()).toHaveLength(20);
    expect(await two.list()).toHaveLength(20);
  });

  it('breaks a lock left behind by a process that died', async () => {
    const file = path.join(dir, 'staff-users.json.lock');
    writeFileSync(file, '999999999:0:dead');
    const release = await acquireLock(file, 2000);
    await release();
    const store = await openStaffStore(dir);
    expect(await store.insert(staffUser())).toBe(true);
  });
});

describe('staff accounts', () => {
  let accounts: StaffAccounts;
  let clock: TestClock;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir();
    clock = new TestClock();
    accounts = createStaffAccounts({
      store: await openStaffStore(dir),
      audit: await openAuditStore(dir, random),
      clock,
      random,
      throttles: new MemoryLoginThrottleStore(),
    });
  });

  it('creates a user with a lower-case name and a scrypt hash, and records it in the audit log without the hash', async () => {
    const user = await accounts.create({ username: ' Sato.Hanako ', role: 'reviewer', displayName: '佐藤 花子', password: 'twelve chars!' }, CLI);
    expect(user).toMatchObject({ username: 'sato.hanako', role: 'reviewer', displayName: '佐藤 花子', disabled: false });
    expect(await verifyPassword('twelve chars!', user.passwordHash)).toBe(true);
    const audit = await openAuditStore(dir, random);
    const { items } = await audit.list({ action: 'staff.user.created' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ actor: CLI, target: { type: 'staffUser', id: user.id }, before: null });
    expect(JSON.stringify(items[0])).not.toContain('scrypt');
  });

  it('refuses short passwords, bad names, unknown roles and taken names', async () => {
    const create = (input: Partial<{ username: string; role: string; password: string }>) =>
      accounts.create({ username: 'valid', role: 'reviewer', password: 'long enough pw', ...input }, CLI).catch((e: StaffAccountError) => e.reason);
    expect(await create({ password: 'elevenchars' })).toBe('password.tooShort');
    expect(await create({ username: 'a' })).toBe('username.invalid');
    expect(await create({ username: 'has space' })).toBe('username.invalid');
    expect(await create({ role: 'root' })).toBe('role.invalid');
    await create({});
    expect(await create({})).toBe('username.taken');
  });

  it('generates strong random passwords', () => {
    const a = accounts.generatePassword();
    expect(a.length).toBeGreaterThanOrEqual(24);
    expect(a).not.toBe(accounts.generatePassword());
  });

  it('lets a user log in with the right password only, and answers with the login time', async () => {
    await accounts.create({ username: 'kato', role: 'administrator', password: 'the right password' }, CLI);
    await expect(accounts.authenticate('kato', 'the wrong password')).rejects.toMatchObject({ code: 'staff.loginFailed' });
    const user = await accounts.authenticate('KATO', 'the right password');
    expect(user.lastLoginAt).toBe(clock.now().toISOString());
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    await accounts.create({ username: 'known', role: 'reviewer', password: 'the right password' }, CLI);
    const unknown = await accounts.authenticate('unknown', 'whatever password').catch((e: Error) => e);
    const wrong = await accounts.authenticate('known', 'whatever password').catch((e: Error) => e);
    expect(unknown).toMatchObject({ code: 'staff.loginFailed', params: {} });
    expect(wrong).toMatchObject({ code: 'staff.loginFailed', params: {} });
  });

  it('refuses a disabled user even with the right password, and lets them in again after a reset', async () => {
    await accounts.create({ username: 'leaver', role: 'reviewer', password: 'the right password' }, CLI);
    await accounts.disable('leaver', CLI);
    await expect(accounts.authenticate('leaver', 'the right password')).rejects.toMatchObject({ code: 'staff.loginFailed' });
    await accounts.resetPassword('leaver', 'a brand new password', CLI);
    await expect(accounts.authenticate('leaver', 'the right password')).rejects.toMatchObject({ code: 'staff.loginFailed' });
    expect((await accounts.authenticate('leaver', 'a brand new password')).disabled).toBe(false);
  });
});

describe('staff sessions', () => {
  let clock: TestClock;
  let sessions: StaffSessionService;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir();
    clock = new TestClock();
    sessions = createStaffSessionService({ store: await openStaffSessionStore(dir), clock, random });
  });

  it('store only the hash of the session id', async () => {
    const live = await sessions.create('staff-1');
    const store = await openStaffSessionStore(dir);
    expect(await store.get(live.id)).toBeNull();
    expect(await store.get(hashSecret(live.id))).toMatchObject({ staffId: 'staff-1' });
  });

  it('end after 30 idle minutes', async () => {
    const live = await sessions.create('staff-1');
    clock.advance(29 * 60);
    expect(await sessions.load(live.id)).not.toBeNull();
    clock.advance(30 * 60 + 1);
    expect(await sessions.load(live.id)).toBeNull();
  });

  it('end after 10 hours however busy', async () => {
    const live = await sessions.create('staff-1');
    for (let i = 0; i < 20; i++) {
      clock.advance(29 * 60);
      expect(await sessions.load(live.id)).not.toBeNull();
    }
    clock.advance(29 * 60);
    expect(await sessions.load(live.id)).toBeNull();
  });

  it('are deleted from the store once idle or past their end when someone signs in, live ones kept', async () => {
    const stored = async (id: string) => (await openStaffSessionStore(dir)).get(hashSecret(id));
    const idle = await sessions.create('staff-1');
    clock.advance(20 * 60);
    const old = await sessions.create('staff-2');
    for (let i = 0; i < 20; i++) {
      clock.advance(29 * 60);
      expect(await sessions.load(old.id)).not.toBeNull();
    }
    const live = await sessions.create('staff-3');
    clock.advance(21 * 60);
    await sessions.create('staff-4');
    expect(await stored(idle.id)).toBeNull();
    expect(await stored(old.id)).toBeNull();
    expect(await stored(live.id)).not.toBeNull();

    const fresh = await sessions.create('staff-5');
    clock.advance(30 * 60 - 1);
    await sessions.create('staff-6');
    expect(await stored(fresh.id)).not.toBeNull();
    clock.advance(1);
    await sessions.create('staff-7');
    expect(await stored(fresh.id)).toBeNull();
  });

  it('get a new id and CSRF token at login, and the old id stops working', async () => {
    const before = await sessions.create('staff-1');
    const signedIn = await sessions.regenerate(before, 'staff-2');
    expect(signedIn.id).not.toBe(before.id);
    expect(signedIn.record.csrfToken).not.toBe(before.record.csrfToken);
    expect(await sessions.load(before.id)).toBeNull();
    expect((await sessions.load(signedIn.id))?.record.staffId).toBe('staff-2');
  });

  it('store nothing for the login form: its CSRF token follows from the cookie', async () => {
    const form = sessions.anonymous(null);
    expect(form.record.staffId).toBeNull();
    expect(sessions.anonymous(form.id).record.csrfToken).toBe(form.record.csrfToken);
    expect(sessions.anonymous(null).record.csrfToken).not.toBe(form.record.csrfToken);
    expect(await sessions.load(form.id)).toBeNull();
    expect(readdirSync(dir)).not.toContain('staff-sessions.json');
    const signedIn = await sessions.regenerate(form, 'staff-1');
    expect(signedIn.id).not.toBe(form.id);
    expect(signedIn.record.csrfToken).not.toBe(form.record.csrfToken);
  });

  it('are void for a disabled user and for sessions older than a password reset', async () => {
    const live = await sessions.create('staff-1');
    const user = staffUser({ id: 'staff-1' });
    expect(sessions.isRevoked(live.record, user)).toBe(false);
    expect(sessions.isRevoked(live.record, { ...user, disabled: true })).toBe(true);
    expect(sessions.isRevoked(live.record, null)).toBe(true);
    clock.advance(1);
    expect(sessions.isRevoked(live.record, { ...user, sessionsNotBefore: clock.now().toISOString() })).toBe(true);
  });
});
