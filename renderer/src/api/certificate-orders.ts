/** The home lists of certificate orders and 学内印刷 (campus printing) API, typed over client.ts. */
import type {
  CampusClaimResponse,
  CampusCompleteRequest,
  CampusCompleteResponse,
  CampusFailRequest,
  CampusFailResponse,
  OrderListResponse,
  OrderView,
} from '@contract/certificates';
import { call } from './client';

/** GET /api/certificates/orders — 現在の申請一覧 (current) and 申請一覧 (history), newest first. */
export function getCertificateOrders(): Promise<OrderListResponse> {
  return call<OrderListResponse>({ method: 'GET', url: '/api/certificates/orders' });
}

/** POST /api/certificates/orders/:id/cancel — 取消 of a convenience-store reservation still reserved. */
export function postCancelOrder(orderId: string): Promise<OrderView> {
  return call<OrderView>({ method: 'POST', url: `/api/certificates/orders/${encodeURIComponent(orderId)}/cancel` });
}

const jobUrl = (jobId: string, action: string) => `/api/certificates/campus-jobs/${encodeURIComponent(jobId)}/${action}`;

/** POST …/campus-jobs/:id/claim — kiosk sessions only; the documents to print while the claim holds. */
export function postCampusClaim(jobId: string): Promise<CampusClaimResponse> {
  return call<CampusClaimResponse>({ method: 'POST', url: jobUrl(jobId, 'claim') });
}

/** POST …/campus-jobs/:id/complete — printed. */
export function postCampusComplete(jobId: string, claimId: string): Promise<CampusCompleteResponse> {
  const body: CampusCompleteRequest = { claimId };
  return call<CampusCompleteResponse>({ method: 'POST', url: jobUrl(jobId, 'complete'), data: body });
}

/** POST …/campus-jobs/:id/fail — the job stays printable. */
export function postCampusFail(jobId: string, claimId: string, detail: string): Promise<CampusFailResponse> {
  const body: CampusFailRequest = { claimId, detail };
  return call<CampusFailResponse>({ method: 'POST', url: jobUrl(jobId, 'fail'), data: body });
}

/** GET a claimed document's URL (from CampusClaimResponse) as a PDF blob. */
export function getCampusDocument(url: string): Promise<Blob> {
  return call<Blob>({ method: 'GET', url, responseType: 'blob', headers: { Accept: 'application/pdf' } });
}

/** GET /api/certificates/credentials/:number — the holder's certificate as a verifiable credential (application/vc+jwt). */
export function getCertificateCredential(number: string): Promise<Blob> {
  return call<Blob>({
    method: 'GET',
    url: `/api/certificates/credentials/${encodeURIComponent(number)}`,
    responseType: 'blob',
    headers: { Accept: 'application/vc+jwt' },
  });
}
