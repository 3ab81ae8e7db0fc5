/**
 * What the share-link port promises, against every store family (lowdb files and a real
 * PostgreSQL): a certificate never gets more active links than allowed, a link is found by its
 * token's hash, revoked once, and its access log counts views and downloads; links past their
 * retention go with their access log, by the service's periodic prune too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ShareLink, ShareLinkAccess } from '../../service/domain/share-links/model.js';
import type { Stores } from '../../service/domain/stores.js';
import { openStores } from '../../service/stores.js';
import { order } from '../support/certificate-records.js';
import { account, random, TestClock } from '../support/factories.js';
import { useStoreFamilies } from '../support/store-families.js';
import { enrollmentType, issuedCertificate } from '../support/verify-fixtures.js';

const T0 = '2026-04-01T09:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

/** A stored certificate (with the type, account and order PostgreSQL holds it to). */
async function storedCertificate(stores: Stores) {
  const holder = account();
  const certificate = issuedCertificate({ accountId: holder.id });
  await stores.transaction(async (tx) => {
    await tx.certificates.types.put(enrollmentType);
    await tx.store.accounts.insert(holder);
    await tx.certificates.certificates.insertMany([certificate]);
    await tx.certificates.orders.insert(order({ id: certificate.orderId, accountId: holder.id, certificateIds: [certificate.id] }));
  });
  return certificate;
}

let serial = 0;
const link = (certificateId: string, overrides: Partial<ShareLink> = {}): ShareLink => ({
  id: `link-${++serial}`,
  certificateId,
  accountId: 'acc-holder',
  tokenHash: `hash-${serial}`,
  pinHash: null,
  label: null,
  createdAt: at(serial),
  expiresAt: at(86_400),
  revokedAt: null,
  ...overrides,
});
const access = (linkId: string, seconds: number, outcome: ShareLinkAccess['outcome']): ShareLinkAccess => ({
  id: `access-${++serial}`,
  linkId,
  at: at(seconds),
  browser: 'chrome',
  os: 'android',
  outcome,
});

const families = useStoreFamilies();
const [, postgresFamily] = families;

describe.each(families)('share links over $name', (family) => {
  it('keeps a link found by its token hash, lists the certificate’s links newest first and revokes once', async () => {
    const stores = await family.open();
    const certificate = await storedCertificate(stores);
    const first = link(certificate.id, { pinHash: 'scrypt$x', label: '株式会社サンプル' });
    const second = link(certificate.id);
    expect(await stores.shareLinks.insert(first, T0, 10)).toBe(true);
    expect(await stores.shareLinks.insert(second, T0, 10)).toBe(true);
    expect(await stores.shareLinks.findByTokenHash(first.tokenHash)).toEqual(first);
    expect(await stores.shareLinks.findByTokenHash('no-such-hash')).toBeNull();
    expect((await stores.shareLinks.listForCertificate(certificate.id)).map((l) => l.id)).toEqual([second.id, first.id]);

    expect(await stores.shareLinks.revoke(first.id, at(100))).toEqual({ ...first, revokedAt: at(100) });
    expect(await stores.shareLinks.revoke(first.id, at(200)), 'a second revocation changes nothing').toBeNull();
    expect((await stores.shareLinks.get(first.id))!.revokedAt).toBe(at(100));
  });

  it('refuses a link beyond the active limit, counting neither revoked nor expired links', async () => {
    const stores = await family.open();
    const certificate = await storedCertificate(stores);
    const expired = link(certificate.id, { expiresAt: at(10) });
    const revoked = link(certificate.id);
    expect(await stores.shareLinks.insert(expired, T0, 2)).toBe(true);
    expect(await stores.shareLinks.insert(revoked, T0, 2)).toBe(true);
    await stores.shareLinks.revoke(revoked.id, at(5));
    expect(await stores.shareLinks.insert(link(certificate.id), at(20), 2)).toBe(true);
    expect(await stores.shareLinks.insert(link(certificate.id), at(20), 2)).toBe(true);
    expect(await stores.shareLinks.insert(link(certificate.id), at(20), 2)).toBe(false);
    expect(await stores.shareLinks.listForCertificate(certificate.id)).toHaveLength(4);
  });

  it('never lets concurrent creations pass the limit', async () => {
    const stores = await family.open();
    const certificate = await storedCertificate(stores);
    const results = await Promise.all(Array.from({ length: 6 }, () => stores.transaction((tx) => tx.shareLinks.insert(link(certificate.id), T0, 3))));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  it('logs accesses newest first and counts views and downloads, not refused PINs', async () => {
    const stores = await family.open();
    const certificate = await storedCertificate(stores);
    const a = link(certificate.id);
    const b = link(certificate.id);
    await stores.shareLinks.insert(a, T0, 10);
    await stores.shareLinks.insert(b, T0, 10);
    const entries = [access(a.id, 1, 'pinRefused'), access(a.id, 2, 'viewed'), access(a.id, 3, 'downloaded'), access(b.id, 4, 'viewed')];
    for (const e of entries) await stores.shareLinks.addAccess(e);
    expect(await stores.shareLinks.accesses(a.id)).toEqual([entries[2], entries[1], entries[0]]);
    expect(await stores.shareLinks.openCounts([a.id, b.id, 'none'])).toEqual({ [a.id]: 2, [b.id]: 1 });
    expect(await stores.shareLinks.openCounts([])).toEqual({});
  });

  it('keeps nothing of a link whose transaction fails', async () => {
    const stores = await family.open();
    const certificate = await storedCertificate(stores);
    const lost = link(certificate.id);
    await expect(
      stores.transaction(async (tx) => {
        await tx.shareLinks.insert(lost, T0, 10);
        throw new Error('the audit entry could not be written');
      }),
    ).rejects.toThrow('could not be written');
    expect(await stores.shareLinks.get(lost.id)).toBeNull();
  });

  it('deletes the links that ended before the cutoff with their accesses, keeps the others with theirs, and a second run deletes nothing', async () => {
    const stores = await family.open();
    const certificate = await storedCertificate(stores);
    const cutoff = at(1000);
    const expiredBefore = link(certificate.id, { expiresAt: at(500) });
    const revokedBefore = link(certificate.id, { revokedAt: at(600) });
    const revokedAfter = link(certificate.id, { expiresAt: at(900), revokedAt: at(800) });
    const expiringAfter = link(certificate.id, { expiresAt: at(1500) });
    const revokedAfterCutoff = link(certificate.id, { revokedAt: at(1200) });
    const all = [expiredBefore, revokedBefore, revokedAfter, expiringAfter, revokedAfterCutoff];
    for (const l of all) await stores.shareLinks.insert(l, T0, 10);
    const logged = new Map(all.map((l) => [l.id, access(l.id, 100, 'viewed')]));
    for (const a of logged.values()) await stores.shareLinks.addAccess(a);

    expect(await stores.shareLinks.pruneEnded(cutoff)).toBe(3);
    const gone = [expiredBefore, revokedBefore, revokedAfter];
    for (const l of gone) {
      expect(await stores.shareLinks.get(l.id)).toBeNull();
      expect(await stores.shareLinks.accesses(l.id)).toEqual([]);
    }
    expect((await stores.shareLinks.listForCertificate(certificate.id)).map((l) => l.id).sort()).toEqual([expiringAfter.id, revokedAfterCutoff.id].sort());
    for (const l of [expiringAfter, revokedAfterCutoff]) expect(await stores.shareLinks.accesses(l.id)).toEqual([logged.get(l.id)]);

    expect(await stores.shareLinks.pruneEnded(cutoff), 'deleting again is harmless').toBe(0);
    expect(await stores.shareLinks.listForCertificate(certificate.id)).toHaveLength(2);
  });
});

describe.each(families)('the service’s periodic prune over $name', (family) => {
  const DAY = 86_400_000;
  const now = new Date('2026-12-01T03:00:00.000Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

  it('deletes a link that ended 91 days ago with its accesses, and keeps one that ended 89 days ago and an active one with theirs', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-share-prune-'));
    const database = family.name === 'postgres' ? { url: await postgresFamily.databaseUrl(), poolMax: 4 } : null;
    const errors: unknown[] = [];
    const { stores } = await openStores({ dataDir, database }, { clock: new TestClock(now), random, onError: (err) => errors.push(err), pruneIntervalMs: 20 });
    try {
      const certificate = await storedCertificate(stores);
      const created = { createdAt: daysAgo(200), expiresAt: daysAgo(120) };
      const revoked91 = link(certificate.id, { ...created, expiresAt: daysAgo(10), revokedAt: daysAgo(91) });
      const expired91 = link(certificate.id, { ...created, expiresAt: daysAgo(91) });
      const expired89 = link(certificate.id, { ...created, expiresAt: daysAgo(89) });
      const active = link(certificate.id, { ...created, expiresAt: new Date(now.getTime() + 30 * DAY).toISOString() });
      const logged = new Map<string, ShareLinkAccess>();
      // One transaction: the timer never sees a link without its accesses.
      await stores.transaction(async (tx) => {
        for (const l of [revoked91, expired91, expired89, active]) {
          await tx.shareLinks.insert(l, l.createdAt, 10);
          const entry = { ...access(l.id, 0, 'downloaded'), at: daysAgo(150) };
          await tx.shareLinks.addAccess(entry);
          logged.set(l.id, entry);
        }
      });

      await expect.poll(async () => (await stores.shareLinks.listForCertificate(certificate.id)).length, { timeout: 5000 }).toBe(2);
      for (const l of [revoked91, expired91]) {
        expect(await stores.shareLinks.get(l.id)).toBeNull();
        expect(await stores.shareLinks.accesses(l.id)).toEqual([]);
      }
      for (const l of [expired89, active]) {
        expect(await stores.shareLinks.get(l.id)).toEqual(l);
        expect(await stores.shareLinks.accesses(l.id)).toEqual([logged.get(l.id)]);
      }
      expect(errors).toEqual([]);
    } finally {
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
