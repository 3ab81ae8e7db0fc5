/**
 * The journal a lowdb transaction leaves when the process dies after its commit point: whoever
 * opens the data next finishes the transaction — the service, or the staff CLI when the journal
 * holds a shared collection (so that the CLI's own change is not overwritten by a later replay).
 * The same under real kill -9: test/integration/unit-of-work-crash.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATE_FILES } from '../../service/adapters/lowdb/certificate-store.js';
import { JOURNAL_FILE, writeJournal } from '../../service/adapters/lowdb/journal.js';
import { openLowdbStaffAdminStores, openLowdbStores } from '../../service/adapters/lowdb/open.js';
import { STAFF_USERS_FILE } from '../../service/adapters/lowdb/staff-store.js';
import type { StaffUser } from '../../service/domain/staff/model.js';
import { order } from '../support/certificate-records.js';
import { random } from '../support/factories.js';

const user = (username: string): StaffUser => ({
  id: `staff-${username}`,
  username,
  displayName: username,
  role: 'reviewer',
  passwordHash: 'scrypt$ln=15,r=8,p=1$x$y',
  disabled: false,
  createdAt: '2026-04-01T00:00:00.000Z',
  lastLoginAt: null,
  sessionsNotBefore: null,
});

describe('a transaction journal left by a killed process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-journal-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** What a transaction that wrote an order, a staff user and a PDF leaves when killed right after its commit point. */
  async function killedAfterCommit() {
    const placed = order({ id: 'order-journal' });
    mkdirSync(path.join(dir, 'certificates'), { recursive: true });
    writeFileSync(path.join(dir, 'certificates', '.SHM-2026-AAAA-BBBB.pdf.pending'), '%PDF-1.7\n');
    await writeJournal(dir, {
      version: 1,
      files: [
        { name: CERTIFICATE_FILES.orders, data: { version: 1, records: [placed] } },
        { name: STAFF_USERS_FILE, data: { version: 1, records: [user('journalled')] } },
      ],
      renames: [{ from: 'certificates/.SHM-2026-AAAA-BBBB.pdf.pending', to: 'certificates/SHM-2026-AAAA-BBBB.pdf' }],
    });
    // Never finished: a stray pending PDF of another transaction, which had not committed.
    writeFileSync(path.join(dir, 'certificates', '.SHM-2026-CCCC-DDDD.pdf.pending'), '%PDF-1.7\n');
    return placed;
  }

  it('is finished by the service at open: the committed order and PDF are there, the uncommitted PDF is not', async () => {
    const placed = await killedAfterCommit();
    const stores = await openLowdbStores(dir, { random, pruneIntervalMs: 0, expireIntervalMs: 0 });
    try {
      expect(await stores.certificates.orders.get(placed.id)).toEqual(placed);
      expect((await stores.staff.list()).map((u) => u.username)).toEqual(['journalled']);
      expect(await stores.certificatePdfs.read('SHM-2026-AAAA-BBBB')).toEqual(new TextEncoder().encode('%PDF-1.7\n'));
      expect(readdirSync(path.join(dir, 'certificates'))).toEqual(['SHM-2026-AAAA-BBBB.pdf']);
      expect(existsSync(path.join(dir, JOURNAL_FILE))).toBe(false);
    } finally {
      await stores.close();
    }
  });

  it('is finished by the staff CLI before its own change, which a later start of the service keeps', async () => {
    const placed = await killedAfterCommit();
    const cli = await openLowdbStaffAdminStores(dir, { random });
    expect((await cli.staff.list()).map((u) => u.username)).toEqual(['journalled']);
    expect(await cli.staff.insert(user('added-by-cli'))).toBe(true);
    await cli.close();
    expect(existsSync(path.join(dir, JOURNAL_FILE))).toBe(false);

    const stores = await openLowdbStores(dir, { random, pruneIntervalMs: 0, expireIntervalMs: 0 });
    try {
      expect((await stores.staff.list()).map((u) => u.username)).toEqual(['added-by-cli', 'journalled']);
      expect(await stores.certificates.orders.get(placed.id)).toEqual(placed);
      expect(JSON.parse(readFileSync(path.join(dir, STAFF_USERS_FILE), 'utf8')).records).toHaveLength(2);
    } finally {
      await stores.close();
    }
  });
});
