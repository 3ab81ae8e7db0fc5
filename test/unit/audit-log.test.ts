import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../service/adapters/lowdb/audit-store.js';
import { PAGE_MAX_LIMIT } from '../../service/domain/paging.js';
import type { AuditEntry, AuditLog } from '../../service/domain/audit.js';
import { random, TestClock } from '../support/factories.js';

const staff = (id: string, name: string) => ({ type: 'staff' as const, id, name });

describe('audit log', () => {
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

  it('gives each entry an id and keeps who, when, what and before/after', async () => {
    const appended = await log.append(entry({ note: 'matches the registry' }));
    expect(appended.id).toMatch(/.+/);
    const { items } = await log.list({});
    expect(items).toEqual([appended]);
    expect(items[0]).toMatchObject({ actor: staff('s-1', '佐藤 花子'), before: { status: 'pending' }, after: { status: 'approved' }, note: 'matches the registry' });
  });

  it('lists newest first, also for entries with the same time', async () => {
    const a = await log.append(entry({ target: { type: 'application', id: 'a' } }));
    const b = await log.append({ ...entry({ target: { type: 'application', id: 'b' } }), at: a.at });
    const c = await log.append(entry({ target: { type: 'application', id: 'c' } }));
    expect((await log.list({})).items.map((e) => e.target.id)).toEqual(['c', 'b', 'a']);
    expect(b.at).toBe(a.at);
  });

  it('filters by action (exact or a family ending in "."), actor (id or part of the name) and target', async () => {
    await log.append(entry({ action: 'application.approved', actor: staff('s-1', '佐藤 花子'), target: { type: 'application', id: 'x' } }));
    await log.append(entry({ action: 'application.rejected', actor: staff('s-2', 'Kato Jiro'), target: { type: 'application', id: 'y' } }));
    await log.append(entry({ action: 'registry.students.imported', actor: staff('s-2', 'Kato Jiro'), target: { type: 'registry', id: 'students' } }));
    const actions = async (filter: Parameters<AuditLog['list']>[0]) => (await log.list(filter)).items.map((e) => e.action);
    expect(await actions({ action: 'application.rejected' })).toEqual(['application.rejected']);
    expect(await actions({ action: 'application.' })).toEqual(['application.rejected', 'application.approved']);
    expect(await actions({ action: 'application' })).toEqual([]);
    expect(await actions({ actorId: 's-1' })).toEqual(['application.approved']);
    expect(await actions({ actor: 'kato' })).toEqual(['registry.students.imported', 'application.rejected']);
    expect(await actions({ actor: '佐藤' })).toEqual(['application.approved']);
    expect(await actions({ targetId: 'y' })).toEqual(['application.rejected']);
  });

  it('pages with a bounded page size and tells the total', async () => {
    for (let i = 0; i < 5; i++) await log.append(entry({ target: { type: 'application', id: `t${i}` } }));
    const page = await log.list({ offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.items.map((e) => e.target.id)).toEqual(['t3', 't2']);
    expect((await log.list({ limit: 10_000 })).items.length).toBeLessThanOrEqual(PAGE_MAX_LIMIT);
  });

  it('survives a reopen and sees entries another process appended', async () => {
    await log.append(entry());
    const other = await openAuditStore(dir, random);
    await other.append(entry({ action: 'staff.user.created', actor: { type: 'system', id: 'admin-cli', name: 'admin CLI' } }));
    expect((await log.list({})).items.map((e) => e.action)).toEqual(['staff.user.created', 'application.approved']);
    await log.append(entry({ action: 'application.rejected' }));
    expect((await other.list({})).total).toBe(3);
  });

  it('returns copies, so a caller cannot change what was recorded', async () => {
    const appended = await log.append(entry());
    (appended.after as { status: string }).status = 'tampered';
    const listed = (await log.list({})).items[0]!;
    (listed.before as { status: string }).status = 'tampered';
    expect((await log.list({})).items[0]).toMatchObject({ before: { status: 'pending' }, after: { status: 'approved' } });
  });
});
