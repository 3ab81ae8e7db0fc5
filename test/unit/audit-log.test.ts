import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../service/adapters/lowdb/audit-store.js';
import type { AuditEntry, AuditLog } from '../../service/domain/audit.js';
import { random, TestClock } from '../support/factories.js';

const staff = (id: string, name: string) => ({ type: 'staff' as const, id, name });

/** The lowdb audit log's file, shared with the staff CLI; what the port promises: test/integration/ports-contract.test.ts. */
describe('lowdb audit log', () => {
  let dir: string;
  let log: AuditLog;
  let clock: TestClock;
  const entry = (overrides: Partial<Omit<AuditEntry, 'id'>> = {}): Omit<AuditEntry, 'id'> => {
    clock.advance(1);
    return {
      at: clock.now().toISOString(),
      actor: staff('s-1', '佐藤 花子'),
      action: 'application.approved',
      target: { type: 'application', id: 'app-1' },
      before: { status: 'pending' },
      after: { status: 'approved' },
      note: null,
      ...overrides,
    };
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-audit-'));
    log = await openAuditStore(dir, random);
    clock = new TestClock();
  });

  it('survives a reopen and sees entries another process appended', async () => {
    await log.append(entry());
    const other = await openAuditStore(dir, random);
    await other.append(entry({ action: 'staff.user.created', actor: { type: 'system', id: 'admin-cli', name: 'admin CLI' } }));
    expect((await log.list({})).items.map((e) => e.action)).toEqual(['staff.user.created', 'application.approved']);
    await log.append(entry({ action: 'application.rejected' }));
    expect((await other.list({})).total).toBe(3);
  });
});
