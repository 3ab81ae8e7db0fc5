/**
 * What `CertificateStore.credentialStatus` promises (the credentials' status list indexes), on
 * lowdb files and on a real PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import type { IssuedCertificate } from '../../service/domain/certificates/model.js';
import { randomStatusIndex, STATUS_LIST_BITS } from '../../service/domain/credentials/status-list.js';
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
      store.credentialStatus.indexOf(a.id, randomStatusIndex),
      store.credentialStatus.indexOf(a.id, randomStatusIndex),
      store.credentialStatus.indexOf(b.id, randomStatusIndex),
    ]);
    expect(together[0]).toBe(together[1]);
    expect(together[2]).not.toBe(together[0]);
    expect(await store.credentialStatus.indexOf(a.id, randomStatusIndex)).toBe(together[0]);
    const third = await store.credentialStatus.indexOf(c.id, randomStatusIndex);
    expect(new Set([together[0], together[2], third]).size).toBe(3);
    expect(Math.min(together[0]!, together[2]!, third)).toBeGreaterThanOrEqual(0);
  });

  it('takes the candidate it is given, and asks again while the one given is taken', async () => {
    const { store, list } = await issued(2);
    const [a, b] = list as [IssuedCertificate, IssuedCertificate];
    const takenSeen: number[] = [];
    const script = (answers: number[]) => (taken: number) => {
      takenSeen.push(taken);
      return answers.shift()!;
    };
    expect(await store.credentialStatus.indexOf(a.id, script([70_001]))).toBe(70_001);
    expect(await store.credentialStatus.indexOf(b.id, script([70_001, 70_001, 5]))).toBe(5);
    expect(takenSeen).toEqual([0, 1, 1, 1]);
    // Given once: the candidate is not asked again.
    expect(await store.credentialStatus.indexOf(b.id, () => 9)).toBe(5);
  });

  it('draws indexes at random over the first list while it is less than half full, so they tell nothing of the order of issue', async () => {
    const { store, list } = await issued(3);
    const indexes = await Promise.all(list.map((c) => store.credentialStatus.indexOf(c.id, randomStatusIndex)));
    for (const index of indexes) expect(index).toBeLessThan(STATUS_LIST_BITS);
    // Three indexes in a row of 131,072 by chance: about one in 10^10.
    const sorted = [...indexes].sort((x, y) => x - y);
    expect(sorted[2]! - sorted[0]!).toBeGreaterThan(2);
  });

  it('lists the indexes of revoked certificates only', async () => {
    const { store, list } = await issued(3);
    const [a, b, c] = list as [IssuedCertificate, IssuedCertificate, IssuedCertificate];
    const indexA = await store.credentialStatus.indexOf(a.id, randomStatusIndex);
    await store.credentialStatus.indexOf(b.id, randomStatusIndex);
    expect(await store.credentialStatus.revokedIndexes()).toEqual([]);
    await transitionCertificate(store, a.id, (cur) => revokeCertificate(cur, { reason: '誤発行', by: 'staff-1', at: at(1) }));
    // Revoked before it had an index: it has no bit until it is given one.
    await transitionCertificate(store, c.id, (cur) => revokeCertificate(cur, { reason: '誤発行', by: 'staff-1', at: at(1) }));
    expect(await store.credentialStatus.revokedIndexes()).toEqual([indexA]);
    const indexC = await store.credentialStatus.indexOf(c.id, randomStatusIndex);
    expect((await store.credentialStatus.revokedIndexes()).sort((x, y) => x - y)).toEqual([indexA, indexC].sort((x, y) => x - y));
  });
});
