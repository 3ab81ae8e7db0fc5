/** Share links: the holder's (signed in) and the recipient's (public) calls, typed over client.ts. */
import type {
  ShareLinkAccessesResponse,
  ShareLinkCreatedResponse,
  ShareLinkCreateRequest,
  ShareLinkListResponse,
  ShareLinkView,
  SharedCertificateResponse,
  SharedRequest,
} from '@contract/share-links';
import { call } from './client';

const base = '/api/certificates/share-links';

/** GET — the certificate's links (never their addresses). */
export function getShareLinks(certificate: string): Promise<ShareLinkListResponse> {
  return call<ShareLinkListResponse>({ method: 'GET', url: base, params: { certificate } });
}

/** POST — a new link; its address is in the answer, this once. */
export function postShareLink(body: ShareLinkCreateRequest): Promise<ShareLinkCreatedResponse> {
  return call<ShareLinkCreatedResponse>({ method: 'POST', url: base, data: body });
}

export function getShareLinkAccesses(linkId: string): Promise<ShareLinkAccessesResponse> {
  return call<ShareLinkAccessesResponse>({ method: 'GET', url: `${base}/${encodeURIComponent(linkId)}/accesses` });
}

export function postRevokeShareLink(linkId: string): Promise<ShareLinkView> {
  return call<ShareLinkView>({ method: 'POST', url: `${base}/${encodeURIComponent(linkId)}/revoke` });
}

/** POST /api/shared/view — the recipient: the certificate's status (the token in the body, never in a URL). */
export function postSharedView(body: SharedRequest): Promise<SharedCertificateResponse> {
  return call<SharedCertificateResponse>({ method: 'POST', url: '/api/shared/view', data: body });
}

/** POST /api/shared/document — the signed PDF. */
export function postSharedDocument(body: SharedRequest): Promise<Blob> {
  return call<Blob>({ method: 'POST', url: '/api/shared/document', data: body, responseType: 'blob', headers: { Accept: 'application/pdf' } });
}
