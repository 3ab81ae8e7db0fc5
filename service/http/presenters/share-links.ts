/** Share links as JSON (contract/share-links.ts): never a token or PIN hash, never a client address. */
import type { ShareLinkAccessesResponse, ShareLinkListResponse, ShareLinkView, SharedCertificateResponse } from '../../contract/share-links.js';
import type { LocalizedName } from '../../domain/registry/model.js';
import type { HolderShareLink, HolderShareLinks, OpenedShare } from '../../domain/share-links/service.js';
import type { ShareLinkAccess } from '../../domain/share-links/model.js';
import { verifyResponse } from './verify.js';

export const shareLinkView = ({ link, status, opens }: HolderShareLink): ShareLinkView => ({
  id: link.id,
  label: link.label,
  createdAt: link.createdAt,
  expiresAt: link.expiresAt,
  revokedAt: link.revokedAt,
  pin: link.pinHash !== null,
  status,
  opens,
});

export function shareLinkList({ certificate: c, links }: HolderShareLinks, typeName: LocalizedName, maxActive: number): ShareLinkListResponse {
  return {
    certificate: {
      number: c.number,
      typeCode: c.typeCode,
      typeName: { ja: typeName.ja, en: typeName.en },
      language: c.language,
      issueDate: c.issueDate,
      status: c.status,
    },
    links: links.map(shareLinkView),
    maxActive,
  };
}

export const shareLinkAccesses = (link: HolderShareLink, accesses: ShareLinkAccess[]): ShareLinkAccessesResponse => ({
  link: shareLinkView(link),
  accesses: accesses.map((a) => ({ at: a.at, browser: a.browser, os: a.os, outcome: a.outcome })),
});

export const sharedCertificate = ({ link, verification }: OpenedShare): SharedCertificateResponse => ({
  verification: verifyResponse(verification),
  validUntil: verification.certificate.validUntil,
  expiresAt: link.expiresAt,
});

/** The recipient's page address: the token in the fragment, which browsers send to no server. */
export const shareUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/shared#token=${token}`;
