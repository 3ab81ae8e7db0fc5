/**
 * PDF送付's deliveries on lowdb (pdf-deliveries.json, a collection of the certificate store): the
 * recipient's link is found by its token's hash; a download is checked and counted in one step.
 */
import type { PdfDelivery } from '../../domain/certificates/model.js';
import type { CertificateStore } from '../../domain/certificates/store.js';
import type { Collection } from './collection.js';
import { copy, recordOperations } from './records.js';

export function lowdbPdfDeliveries(
  pdfDeliveries: Collection<PdfDelivery>,
  /** Token hash → delivery id, kept by the certificate store's index rebuild. */
  pdfDeliveryByToken: Map<string, string>,
  live: () => void,
): CertificateStore['pdfDeliveries'] {
  const { insertNew, getCopy, getManyCopies } = recordOperations(live);
  return {
    async insert(delivery) {
      live();
      if (pdfDeliveryByToken.has(delivery.tokenHash)) throw new Error(`pdf delivery token ${delivery.tokenHash} exists already`);
      if ([...pdfDeliveries.records.values()].some((d) => d.orderId === delivery.orderId))
        throw new Error(`pdf delivery of order ${delivery.orderId} exists already`);
      insertNew(pdfDeliveries, delivery, 'pdf delivery');
      pdfDeliveryByToken.set(delivery.tokenHash, delivery.id);
      await pdfDeliveries.commit();
    },
    get: async (id) => getCopy(pdfDeliveries, id),
    getMany: async (ids) => getManyCopies(pdfDeliveries, ids),
    async findByTokenHash(tokenHash) {
      live();
      const id = pdfDeliveryByToken.get(tokenHash);
      return id === undefined ? null : getCopy(pdfDeliveries, id);
    },
    async markOpened(id, at) {
      live();
      const d = pdfDeliveries.records.get(id);
      if (!d) return pdfDeliveries.flush().then(() => null);
      if (d.firstOpenedAt !== null) return pdfDeliveries.flush().then(() => copy(d));
      const next = { ...d, firstOpenedAt: at };
      pdfDeliveries.records.set(id, next);
      await pdfDeliveries.commit();
      return copy(next);
    },
    async countDownload(id, at) {
      live();
      // Checked and counted in one synchronous section: of concurrent downloads, only as many as are left count.
      const d = pdfDeliveries.records.get(id);
      if (!d || d.downloads >= d.maxDownloads || at >= d.expiresAt) return pdfDeliveries.flush().then(() => null);
      const next = { ...d, downloads: d.downloads + 1, lastDownloadAt: at, firstOpenedAt: d.firstOpenedAt ?? at };
      pdfDeliveries.records.set(id, next);
      await pdfDeliveries.commit();
      return copy(next);
    },
  };
}
