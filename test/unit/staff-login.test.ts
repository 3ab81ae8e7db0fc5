/** A console login as one transaction: login time, audit entry and session, or none of them. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onDurableWrite } from '../../service/adapters/files/durable-write.js';
import { hashSecret } from '../../service/domain/crypto.js';
import { createStaffAccounts } from '../../service/domain/staff/accounts.js';
import { logInStaff, type StaffLoginDeps } from '../../service/domain/staff/login.js';
import { createStaffSessionService } from '../../service/domain/staff/sessions.js';
import type { Stores, TransactionStores } from '../../service/domain/stores.js';
import { random, tempStores, TestClock } from '../support/factories.js';

const PASSWORD = 'correct horse battery';

describe('staff console login', () => {
  let stores: Stores & { dataDir: string };
  let clock: TestClock;
  let deps: StaffLoginDeps;

  beforeEach(async () => {
    clock = new TestClock();
    stores = await tempStores(clock);
    const accounts = createStaffAccounts({ store: stores.staff, audit: stores.audit, clock, random, throttles: stores.loginThrottles });
    await accounts.create({ username: 'sato', role: 'reviewer', password: PASSWORD }, { type: 'system', id: 'test', name: 'test' });
    deps = {
      accounts,
      sessions: createStaffSessionService({ store: stores.staffSessions, clock, random }),
      transaction: (work) => stores.transaction(work),
      clock,
    };
  });
  afterEach(async () => {
    await stores.close();
    rmSync(stores.dataDir, { recursive: true, force: true });
  });

  it('records the login time and the audit entry with the new session, which replaces the old one', async () => {
    const first = await logInStaff(deps, 'sato', PASSWORD, null);
    clock.advance(60);
    const { user, session } = await logInStaff(deps, 'Sato', PASSWORD, first.session);
    expect(user.lastLoginAt).toBe(clock.now().toISOString());
    expect((await deps.accounts.list()).map((u) => u.lastLoginAt)).toEqual([clock.now().toISOString()]);
    expect(await stores.staffSessions.get(session.record.idHash)).toEqual(session.record);
    expect(await stores.staffSessions.get(hashSecret(first.session.id))).toBeNull();
    const { items } = await stores.audit.list({ action: 'staff.login' });
    expect(items.map((e) => e.actor.id)).toEqual([user.id, user.id]);
  });

  it('signs nobody in when the audit entry cannot be written: no session, no login time', async () => {
    const failing: StaffLoginDeps = {
      ...deps,
      transaction: (work) =>
        stores.transaction((tx: TransactionStores) =>
          work({
            ...tx,
            audit: {
              ...tx.audit,
              append: async () => {
                throw new Error('the audit log cannot be written');
              },
            },
          }),
        ),
    };
    await expect(logInStaff(failing, 'sato', PASSWORD, null)).rejects.toThrow('the audit log cannot be written');
    expect((await deps.accounts.list()).map((u) => u.lastLoginAt)).toEqual([null]);
    expect(await stores.staffSessions.pruneExpired({ lastSeenBy: '9999-01-01T00:00:00.000Z', expiresBy: '9999-01-01T00:00:00.000Z' })).toBe(0);
  });

  it('writes three files durably: the journal, the audit entry and the session (the staff record stays as it was)', async () => {
    const files: string[] = [];
    const stop = onDurableWrite((file) => files.push(path.basename(file)));
    try {
      await logInStaff(deps, 'sato', PASSWORD, null);
    } finally {
      stop();
    }
    expect(files.sort()).toEqual(['audit-log.json', 'staff-sessions.json', 'transaction-journal.json']);
  });

  it('shows a login time stored by an earlier version until a newer login', async () => {
    const sato = (await stores.staff.findByUsername('sato'))!;
    const stored = new Date(clock.now().getTime() - 3600_000).toISOString();
    await stores.staff.update(sato.id, { lastLoginAt: stored });
    expect((await deps.accounts.list())[0]?.lastLoginAt).toBe(stored);
    await logInStaff(deps, 'sato', PASSWORD, null);
    expect((await deps.accounts.list())[0]?.lastLoginAt).toBe(clock.now().toISOString());
  });
});
