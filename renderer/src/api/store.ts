/** The simulated convenience-store printer (/api/store, public): typed calls over client.ts. */
import type {
  StoreClaimResponse,
  StoreConfirmRequest,
  StoreConfirmResponse,
  StoreFailRequest,
  StoreFailResponse,
  StoreLookupRequest,
  StoreLookupResponse,
} from '@contract/certificates';
import { ApiFailure, call, isApiFailure } from './client';

/** POST /api/store/lookup — the documents of a reservation number (changes nothing). */
export function postStoreLookup(number: string): Promise<StoreLookupResponse> {
  const body: StoreLookupRequest = { number };
  return call<StoreLookupResponse>({ method: 'POST', url: '/api/store/lookup', data: body });
}

/** POST /api/store/claim — holds the number for this terminal while it fetches the documents. */
export function postStoreClaim(number: string): Promise<StoreClaimResponse> {
  const body: StoreLookupRequest = { number };
  return call<StoreClaimResponse>({ method: 'POST', url: '/api/store/claim', data: body });
}

/**
 * GET a claimed document's URL (from StoreClaimResponse) as a PDF blob. An error body arrives as
 * a blob too, unread; the route answers 409 only for `reservation.claimLost`.
 */
export async function getStoreDocument(url: string): Promise<Blob> {
  try {
    return await call<Blob>({ method: 'GET', url, responseType: 'blob', headers: { Accept: 'application/pdf' } });
  } catch (e) {
    if (isApiFailure(e) && e.status === 409) throw new ApiFailure('reservation.claimLost', {}, {}, 409);
    throw e;
  }
}

/** POST /api/store/confirm — the terminal has every document: printed (the same answer when repeated). */
export function postStoreConfirm(number: string, claimId: string): Promise<StoreConfirmResponse> {
  const body: StoreConfirmRequest = { number, claimId };
  return call<StoreConfirmResponse>({ method: 'POST', url: '/api/store/confirm', data: body });
}

/** POST /api/store/fail — the number is printable again at once. */
export function postStoreFail(number: string, claimId: string, detail: string): Promise<StoreFailResponse> {
  const body: StoreFailRequest = { number, claimId, detail };
  return call<StoreFailResponse>({ method: 'POST', url: '/api/store/fail', data: body });
}

/** What a person typed (full-width digits, spaces, hyphens) → 8 digits, or null (mirrors the service). */
export function normalizeReservationNumber(input: string): string | null {
  const digits = input.normalize('NFKC').replace(/[\s-]/g, '');
  return /^[0-9]{8}$/.test(digits) ? digits : null;
}
