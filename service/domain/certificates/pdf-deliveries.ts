/**
 * PDF送付, the recipient's side: the public download page of a mailed link (no account). The
 * status shows the certificates as /verify does (holder name masked) and records the first visit;
 * a download is counted atomically with its audit entry and refused past the link's expiry or
 * downloads, or once a certificate is revoked. The per-client rate limit is the caller's.
 */
import type { AuditEntry } from '../audit.js';
import { hashSecret } from '../crypto.js';
import { DomainError } from '../errors.js';
import type { Clock } from '../ports.js';
import type { UnitOfWork } from '../stores.js';
import type { LocalizedName } from '../registry/model.js';
import { maskHolderName, maskRomanName } from '../verify/holder-name.js';
import type { IssuedCertificate, Order, PdfDelivery } from './model.js';
import { certificatesOfOrder } from './order-details.js';
import type { CertificatePdfArchive } from './orders.js';
import { PDF_DELIVERY_TOKEN, pdfDeliveryState, type PdfDeliveryState } from './pdf-delivery-rules.js';
import type { CertificateStore } from './store.js';

export interface PdfDeliveryDeskDeps {
  store: CertificateStore;
  /** A download is counted with its audit entry, or neither is. */
  transaction: UnitOfWork['transaction'];
  pdfs: Pick<CertificatePdfArchive, 'read'>;
  clock: Clock;
}

/** One certificate of the delivery as the recipient sees it (what /verify would show). */
export interface DeliveredDocument {
  certificate: IssuedCertificate;
  typeName: LocalizedName;
  holderMasked: string;
  holderMaskedRoman: string | null;
}

export interface DeliveryStatus {
  delivery: PdfDelivery;
  state: PdfDeliveryState;
  documents: DeliveredDocument[];
}

export interface PdfDeliveryDesk {
  /** The page's facts (no download counted); records the first visit. `delivery.notFound` for an unknown token. */
  status(token: string): Promise<DeliveryStatus>;
  /**
   * One certificate's signed PDF, counted; `delivery.notFound` (unknown token or a number not in
   * it), `delivery.revoked`, `delivery.expired`, `delivery.exhausted`.
   */
  download(token: string, certificateNumber: string): Promise<{ number: string; pdf: Uint8Array }>;
}

const REFUSALS: Record<Exclude<PdfDeliveryState, 'available'>, 'delivery.revoked' | 'delivery.expired' | 'delivery.exhausted'> = {
  revoked: 'delivery.revoked',
  expired: 'delivery.expired',
  exhausted: 'delivery.exhausted',
};

export function createPdfDeliveryDesk(deps: PdfDeliveryDeskDeps): PdfDeliveryDesk {
  const { store, clock } = deps;

  async function opened(token: string): Promise<{ delivery: PdfDelivery; order: Order; certificates: IssuedCertificate[] }> {
    const delivery = PDF_DELIVERY_TOKEN.test(token) ? await store.pdfDeliveries.findByTokenHash(hashSecret(token)) : null;
    const order = delivery && (await store.orders.get(delivery.orderId));
    if (!delivery || !order) throw new DomainError('delivery.notFound', {}, 'no delivery for this token');
    return { delivery, order, certificates: await certificatesOfOrder(store, order) };
  }

  const recipientActor = (d: PdfDelivery): AuditEntry['actor'] => ({ type: 'recipient', id: d.id, name: `${d.recipient.organisation} ${d.recipient.name}` });

  /** The first visit, recorded once with its audit entry (of two first visits at once, one is recorded). */
  const firstVisit = (delivery: PdfDelivery, now: string): Promise<PdfDelivery | null> =>
    deps.transaction(async (tx) => {
      const current = await tx.certificates.pdfDeliveries.get(delivery.id);
      if (!current || current.firstOpenedAt !== null) return current;
      const after = await tx.certificates.pdfDeliveries.markOpened(delivery.id, now);
      await tx.audit.append({
        at: now,
        actor: recipientActor(delivery),
        action: 'certificate.pdfDelivery.opened',
        target: { type: 'pdfDelivery', id: delivery.id },
        before: { firstOpenedAt: null },
        after: { firstOpenedAt: after?.firstOpenedAt ?? now },
        note: null,
      });
      return after;
    });

  return {
    async status(token) {
      const { delivery, certificates } = await opened(token);
      const now = clock.now().toISOString();
      const seen = delivery.firstOpenedAt === null ? ((await firstVisit(delivery, now)) ?? delivery) : delivery;
      const types = new Map((await store.types.list()).map((t) => [t.code, t]));
      return {
        delivery: seen,
        state: pdfDeliveryState(seen, certificates, now),
        documents: certificates.map((c) => ({
          certificate: c,
          typeName: types.get(c.typeCode)?.name ?? { ja: c.typeCode, en: c.typeCode },
          holderMasked: maskHolderName(c.holderNameKanji),
          holderMaskedRoman: c.holderNameRoman ? maskRomanName(c.holderNameRoman, c.holderNameKana) : null,
        })),
      };
    },

    async download(token, certificateNumber) {
      const { delivery, certificates } = await opened(token);
      const certificate = certificates.find((c) => c.number === certificateNumber.trim().toUpperCase());
      if (!certificate) throw new DomainError('delivery.notFound', {}, `certificate ${certificateNumber} is not in delivery ${delivery.id}`);
      const now = clock.now().toISOString();
      const state = pdfDeliveryState(delivery, certificates, now);
      if (state !== 'available') throw new DomainError(REFUSALS[state], {}, `delivery ${delivery.id} is ${state}`);
      // Read before counting: a missing file must not use up a download.
      const pdf = await deps.pdfs.read(certificate.number);
      if (!pdf) throw new Error(`no stored PDF of ${certificate.number}`);
      const counted = await deps.transaction(async (tx) => {
        const after = await tx.certificates.pdfDeliveries.countDownload(delivery.id, now);
        if (!after) return null;
        await tx.audit.append({
          at: now,
          actor: recipientActor(delivery),
          action: 'certificate.pdfDelivery.downloaded',
          target: { type: 'certificate', id: certificate.id },
          before: { downloads: delivery.downloads },
          after: { number: certificate.number, downloads: after.downloads, maxDownloads: after.maxDownloads },
          note: null,
        });
        return after;
      });
      if (!counted) {
        // Another download took the last one (or the link expired) between the check and the count.
        const current = (await store.pdfDeliveries.get(delivery.id)) ?? delivery;
        const refused = pdfDeliveryState(current, certificates, now);
        throw new DomainError(REFUSALS[refused === 'available' ? 'exhausted' : refused], {}, `delivery ${delivery.id}: download refused`);
      }
      return { number: certificate.number, pdf };
    },
  };
}
