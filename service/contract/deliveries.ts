/**
 * PDF送付's public download page (/delivery#token=…, no account): POST bodies carry the link's
 * token so that it stays out of URLs, logs and Referer headers. Errors have the `ApiError` shape
 * of contract/api.ts: `delivery.notFound` (404), `delivery.expired` / `delivery.exhausted` /
 * `delivery.revoked` (410, download only), `delivery.rateLimited` (429).
 */
import type { LocalizedName } from './admin.js';
import type { Language } from './api.js';

/** POST /api/deliveries/status */
export interface DeliveryStatusRequest {
  token: string;
}

/** What the page may do: download, or say why not. */
export type DeliveryState = 'available' | 'expired' | 'exhausted' | 'revoked';

export interface DeliveredCertificateView {
  number: string;
  typeName: LocalizedName;
  language: Language;
  status: 'valid' | 'revoked';
  /** YYYY-MM-DD */
  issueDate: string;
  /** The holder's name as /verify shows it (partly masked). */
  holderMasked: string;
  holderMaskedRoman?: string;
}

/** Answer of POST /api/deliveries/status (no download counted). */
export interface DeliveryStatusResponse {
  state: DeliveryState;
  /** 提出先 as the student entered it. */
  submittedTo: string;
  recipientName: string;
  /** The language the student chose for the recipient (the page starts in it). */
  language: Language;
  expiresAt: string;
  downloads: number;
  maxDownloads: number;
  certificates: DeliveredCertificateView[];
}

/** POST /api/deliveries/download → the signed PDF (attachment), counted. */
export interface DeliveryDownloadRequest {
  token: string;
  certificateNumber: string;
}
