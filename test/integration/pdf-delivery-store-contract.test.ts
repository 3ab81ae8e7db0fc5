/**
 * What the CertificateStore's PDF送付 records promise, on both families (lowdb files and a real
 * PostgreSQL): lookup by the link's token hash, the first visit kept, and downloads counted
 * atomically up to the limit and before the expiry.
 */
import { describe, expect, it } from 'vitest';
import type { PdfDelivery } from '../../service/domain/certificates/model.js';
import { at, DAY, order, pdfDelivery } from '../support/certificate-records.js';
import { account } from '../support/factories.js';
import { useStoreFamilies, type StoreFamily } from '../support/store-families.js';

async function open(family: StoreFamily) {
  const stores = await family.open();
  await stores.store.accounts.insert(account({ id: 'acc-1' }));
  const store = stores.certificates;
  const placed = async (d: PdfDelivery): Promise<PdfDelivery> => {
    await store.orders.insert(order({ id: d.orderId, accountId: d.accountId, destination: 'pdf', fulfilmentId: d.id }));
    await store.pdfDeliveries.insert(d);
    return d;
  };
  return { stores, store, placed };
}

describe.each(useStoreFamilies())('PDF deliveries over $name', (family) => {
  it('finds a delivery by id and by its token hash, and by no other hash', async () => {
    const { store, placed } = await open(family);
    const d = await placed(pdfDelivery({ tokenHash: 'h-1' }));
    expect(await store.pdfDeliveries.get(d.id)).toEqual(d);
    expect(await store.pdfDeliveries.findByTokenHash('h-1')).toEqual(d);
    expect(await store.pdfDeliveries.findByTokenHash('h-2')).toBeNull();
    expect((await store.pdfDeliveries.getMany([d.id, 'missing'])).map((x) => x.id)).toEqual([d.id]);
  });

  it('refuses a second delivery with the same token hash', async () => {
    const { placed } = await open(family);
    await placed(pdfDelivery({ tokenHash: 'same' }));
    await expect(placed(pdfDelivery({ tokenHash: 'same' }))).rejects.toThrow(/exists already/);
  });

  it('keeps the first visit and not the later ones', async () => {
    const { store, placed } = await open(family);
    const d = await placed(pdfDelivery());
    expect((await store.pdfDeliveries.markOpened(d.id, at(10)))?.firstOpenedAt).toBe(at(10));
    expect((await store.pdfDeliveries.markOpened(d.id, at(20)))?.firstOpenedAt).toBe(at(10));
    expect(await store.pdfDeliveries.markOpened('missing', at(20))).toBeNull();
  });

  it('counts downloads up to the limit and refuses the next', async () => {
    const { store, placed } = await open(family);
    const d = await placed(pdfDelivery({ maxDownloads: 2 }));
    const first = await store.pdfDeliveries.countDownload(d.id, at(5));
    expect(first).toMatchObject({ downloads: 1, firstOpenedAt: at(5), lastDownloadAt: at(5) });
    expect(await store.pdfDeliveries.countDownload(d.id, at(6))).toMatchObject({ downloads: 2, firstOpenedAt: at(5), lastDownloadAt: at(6) });
    expect(await store.pdfDeliveries.countDownload(d.id, at(7))).toBeNull();
    expect((await store.pdfDeliveries.get(d.id))?.downloads).toBe(2);
  });

  it('refuses a download at or after the expiry', async () => {
    const { store, placed } = await open(family);
    const d = await placed(pdfDelivery({ expiresAt: at(DAY) }));
    expect(await store.pdfDeliveries.countDownload(d.id, at(DAY))).toBeNull();
    expect((await store.pdfDeliveries.get(d.id))?.downloads).toBe(0);
  });

  it('of concurrent downloads of the last one, counts exactly one', async () => {
    const { store, placed } = await open(family);
    const d = await placed(pdfDelivery({ maxDownloads: 5, downloads: 4 }));
    const results = await Promise.all([1, 2, 3].map((i) => store.pdfDeliveries.countDownload(d.id, at(i))));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect((await store.pdfDeliveries.get(d.id))?.downloads).toBe(5);
  });

  it('counts concurrent downloads in separate transactions without exceeding the limit', async () => {
    const { stores, placed } = await open(family);
    const d = await placed(pdfDelivery({ maxDownloads: 5, downloads: 3 }));
    const results = await Promise.all([1, 2, 3, 4].map((i) => stores.transaction((tx) => tx.certificates.pdfDeliveries.countDownload(d.id, at(i)))));
    expect(results.filter((r) => r !== null)).toHaveLength(2);
    expect((await stores.certificates.pdfDeliveries.get(d.id))?.downloads).toBe(5);
  });
});
