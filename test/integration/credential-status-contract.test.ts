/**
 * What `CertificateStore.credentialStatus` promises (the credentials' status list indexes), on
 * lowdb files and on a real PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import type { IssuedCertificate } from '../../service/domain/certificates/model.js';
import { STATUS_LIST_BITS, statusIndexCandidates } from '../../service/domain/credentials/status-list.js';
import { revokeCertificate } from '../../service/domain/certificates/state-machines.js';
import { transitionCertificate } from '../../service/domain/certificates/transitions.js';
import { at, certificate, certificateType, order } from '../support/certificate-records.js';
import { account } from '../support/factories.js';
import { useStoreFamilies } from '../support/store-families.js';

describe.each(useStoreFamilies())('credential status indexes over $name', (family) => {
  async function issued(count: number) {
    const stores = await family.open();
    await stores.store.accounts.insert(account({ id: 'acc-1' }));
    const list: IssuedCertificate[] = Array.from({ length: count }, () => certificate({ accountId: 'acc-1', orderId: 'order-1' }));
    await stores.certificates.types.insert(certificateType({ code: list[0]!.typeCode }));
    await stores.certificates.orders.insert(order({ id: 'order-1', accountId: 'acc-1', certificateIds: list.map((c) => c.id) }));
    await stores.certificates.certificates.insertMany(list);
    return { store: stores.certificates, list };
  }

  it('gives each certificate its own index once and the same one ever after, also to callers at the same moment', async () => {
    const { store, list } = await issued(3);
    const [a, b, c] = list as [IssuedCertificate, IssuedCertificate, IssuedCertificate];
    const together = await Promise.all([
      store.credentialStatus.indexOf(a.id, statusIndexCandidates(0)),
      store.credentialStatus.indexOf(a.id, statusIndexCandidates(0)),
      store.credentialStatus.indexOf(b.id, statusIndexCandidates(0)),
    ]);
    expect(together[0]).toBe(together[1]);
    expect(together[2]).not.toBe(together[0]);
    expect(await store.credentialStatus.indexOf(a.id, statusIndexCandidates(0))).toBe(together[0]);
    const third = await store.credentialStatus.indexOf(c.id, statusIndexCandidates(0));
    expect(new Set([together[0], together[2], third]).size).toBe(3);
    expect(Math.min(together[0]!, together[2]!, third)).toBeGreaterThanOrEqual(0);
  });

  it('takes the first candidate no certificate has, counts what it has given, and refuses when every candidate is taken', async () => {
    const { store, list } = await issued(3);
    const [a, b, c] = list as [IssuedCertificate, IssuedCertificate, IssuedCertificate];
    expect(await store.credentialStatus.given()).toBe(0);
    expect(await store.credentialStatus.indexOf(a.id, [70_001])).toBe(70_001);
    expect(await store.credentialStatus.indexOf(b.id, [70_001, 70_001, 5, 6])).toBe(5);
    expect(await store.credentialStatus.given()).toBe(2);
    // Given once: the candidates no longer matter.
    expect(await store.credentialStatus.indexOf(b.id, [9])).toBe(5);
    await expect(store.credentialStatus.indexOf(c.id, [5, 70_001])).rejects.toThrow(/no free status index/);
    expect(await store.credentialStatus.given()).toBe(2);
  });

  it('draws indexes at random over the first list while it is less than half full, so they tell nothing of the order of issue', async () => {
    const { store, list } = await issued(3);
    const indexes: number[] = [];
    for (const c of list) indexes.push(await store.credentialStatus.indexOf(c.id, statusIndexCandidates(await store.credentialStatus.given())));
    for (const index of indexes) expect(index).toBeLessThan(STATUS_LIST_BITS);
    // Three indexes in a row of 131,072 by chance: about one in 10^10.
    const sorted = [...indexes].sort((x, y) => x - y);
    expect(sorted[2]! - sorted[0]!).toBeGreaterThan(2);
  });

  it('lists the indexes of revoked certificates only', async () => {
    const { store, list } = await issued(3);
    const [a, b, c] = list as [IssuedCertificate, IssuedCertificate, IssuedCertificate];
    const indexA = await store.credentialStatus.indexOf(a.id, statusIndexCandidates(0));
    await store.credentialStatus.indexOf(b.id, statusIndexCandidates(0));
    expect(await store.credentialStatus.revokedIndexes()).toEqual([]);
    await transitionCertificate(store, a.id, (cur) => revokeCertificate(cur, { reason: '誤発行', by: 'staff-1', at: at(1) }));
    // Revoked before it had an index: it has no bit until it is given one.
    await transitionCertificate(store, c.id, (cur) => revokeCertificate(cur, { reason: '誤発行', by: 'staff-1', at: at(1) }));
    expect(await store.credentialStatus.revokedIndexes()).toEqual([indexA]);
    const indexC = await store.credentialStatus.indexOf(c.id, statusIndexCandidates(0));
    expect((await store.credentialStatus.revokedIndexes()).sort((x, y) => x - y)).toEqual([indexA, indexC].sort((x, y) => x - y));
  });
});
