/**
 * Share links of a holder's certificates. Types only (the renderer imports them). Errors have the
 * `ApiError` shape of contract/api.ts; writes carry `X-CSRF-Token` like every write.
 *
 * The holder (signed in, mail registered), under /api/certificates/share-links:
 * - GET ?certificate=<number> → ShareLinkListResponse (404 `certificate.notFound` for another's)
 * - POST { certificate, days, pin?, label? } → 201 ShareLinkCreatedResponse; 400 `validation.failed`
 *   (fields `days`: `shareLink.daysRange`, `pin`: `shareLink.pinFormat`, `label`: `tooLong`),
 *   409 `shareLink.tooMany` {max}, 410 `shareLink.certificateRevoked`
 * - GET /:id/accesses → ShareLinkAccessesResponse; POST /:id/revoke → ShareLinkView (404 `shareLink.notFound`)
 *
 * The recipient (public; browser route `/shared#token=<token>`, the token never in a URL the
 * service sees), under /api/shared:
 * - POST /view { token, pin? } → SharedCertificateResponse
 * - POST /document { token, pin? } → the signed PDF (attachment)
 * Refusals: 404 `shareLink.notFound`, 410 `shareLink.revoked` | `shareLink.expired` |
 * `shareLink.certificateRevoked`, 401 `shareLink.pinRequired`, 403 `shareLink.pinWrong`, 429
 * `shareLink.pinLocked` {minutes} | `shareLink.rateLimited` {seconds}.
 */
import type { VerifyResponse } from './verify.js';

export type ShareLinkStatus = 'active' | 'expired' | 'revoked';
export type ShareLinkOutcome = 'viewed' | 'downloaded' | 'pinRefused';

export interface ShareLinkCreateRequest {
  /** The certificate number (SHM-…). */
  certificate: string;
  /** 1–90. */
  days: number;
  /** 4–8 digits; empty or absent: no PIN. */
  pin?: string;
  label?: string;
}

/** A link as its holder sees it: never its address (only its hash is kept). */
export interface ShareLinkView {
  id: string;
  label: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  pin: boolean;
  status: ShareLinkStatus;
  /** Views and downloads. */
  opens: number;
}

export interface ShareLinkListResponse {
  certificate: {
    number: string;
    typeCode: string;
    typeName: { ja: string; en: string };
    language: 'ja' | 'en';
    issueDate: string;
    status: 'valid' | 'revoked';
  };
  links: ShareLinkView[];
  /** Active links a certificate may have. */
  maxActive: number;
}

export interface ShareLinkCreatedResponse {
  link: ShareLinkView;
  /** The link's address, shown this once. */
  url: string;
}

export interface ShareLinkAccessView {
  at: string;
  browser: string;
  os: string;
  outcome: ShareLinkOutcome;
}

export interface ShareLinkAccessesResponse {
  link: ShareLinkView;
  accesses: ShareLinkAccessView[];
}

export interface SharedRequest {
  token: string;
  pin?: string;
}

/** What the recipient sees: the certificate's verification as /verify answers it, plus its validity. */
export interface SharedCertificateResponse {
  verification: VerifyResponse;
  /** YYYY-MM-DD, last day of validity; null when the type states none. */
  validUntil: string | null;
  /** When the link ends. */
  expiresAt: string;
}
