/**
 * PDF送付's rules as pure functions: the new link (a random token of 256 bits, only its hash kept)
 * and what the recipient may do with it at a given time.
 */
import { hashSecret } from '../crypto.js';
import type { Random } from '../ports.js';
import type { IssuedCertificate, PdfDelivery, PdfRecipient } from './model.js';

/** Days the recipient's link works, and downloads it allows, unless configured (PDF_DELIVERY_VALID_DAYS, PDF_DELIVERY_MAX_DOWNLOADS). */
export const PDF_DELIVERY_VALID_DAYS = 90;
export const PDF_DELIVERY_MAX_DOWNLOADS = 5;

/** Bytes of randomness in a link's token (256 bits; base64url: 43 characters). */
export const PDF_DELIVERY_TOKEN_BYTES = 32;
/** What a link's token looks like (the edge refuses anything else before a lookup). */
export const PDF_DELIVERY_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface PdfDeliveryPolicy {
  validDays: number;
  maxDownloads: number;
}

/**
 * What the recipient's page says: `available` (the PDF may be downloaded), `expired` (past the
 * link's expiry), `exhausted` (every download used), `revoked` (a certificate of the order was
 * revoked). Revocation comes first: a revoked certificate is never served, whatever the link's state.
 */
export type PdfDeliveryState = 'available' | 'expired' | 'exhausted' | 'revoked';

/** Whether the link still serves downloads at `nowIso` as far as the link itself goes (certificates aside). */
export const pdfDeliveryOpen = (d: Pick<PdfDelivery, 'expiresAt' | 'downloads' | 'maxDownloads'>, nowIso: string): boolean =>
  nowIso < d.expiresAt && d.downloads < d.maxDownloads;

export function pdfDeliveryState(d: PdfDelivery, certificates: readonly Pick<IssuedCertificate, 'status'>[], nowIso: string): PdfDeliveryState {
  if (certificates.some((c) => c.status === 'revoked')) return 'revoked';
  if (nowIso >= d.expiresAt) return 'expired';
  if (d.downloads >= d.maxDownloads) return 'exhausted';
  return 'available';
}

/** A new delivery for an order and the token of its link (mailed once, never stored). */
export function newPdfDelivery(
  random: Random,
  fields: { id: string; orderId: string; accountId: string; recipient: PdfRecipient; now: Date },
  policy: PdfDeliveryPolicy,
): { delivery: PdfDelivery; token: string } {
  const token = random.token(PDF_DELIVERY_TOKEN_BYTES);
  const nowIso = fields.now.toISOString();
  return {
    token,
    delivery: {
      id: fields.id,
      orderId: fields.orderId,
      accountId: fields.accountId,
      recipient: { ...fields.recipient },
      tokenHash: hashSecret(token),
      expiresAt: new Date(fields.now.getTime() + policy.validDays * 86_400_000).toISOString(),
      maxDownloads: policy.maxDownloads,
      downloads: 0,
      firstOpenedAt: null,
      lastDownloadAt: null,
      createdAt: nowIso,
    },
  };
}
