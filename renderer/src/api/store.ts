/** The simulated convenience-store printer (/api/store, public): typed calls over client.ts. */
import type { StoreLookupRequest, StoreLookupResponse, StorePrintResponse } from '../../../service/contract/certificates';
import { call } from './client';

/** POST /api/store/lookup — the documents of a reservation number (changes nothing). */
export function postStoreLookup(number: string): Promise<StoreLookupResponse> {
  const body: StoreLookupRequest = { number };
  return call<StoreLookupResponse>({ method: 'POST', url: '/api/store/lookup', data: body });
}

/** POST /api/store/print — prints once; the answer links the PDFs that "came out" (valid 10 minutes). */
export function postStorePrint(number: string): Promise<StorePrintResponse> {
  const body: StoreLookupRequest = { number };
  return call<StorePrintResponse>({ method: 'POST', url: '/api/store/print', data: body });
}

/** What a person typed (full-width digits, spaces, hyphens) → 8 digits, or null (mirrors the service). */
export function normalizeReservationNumber(input: string): string | null {
  const digits = input.normalize('NFKC').replace(/[\s-]/g, '');
  return /^[0-9]{8}$/.test(digits) ? digits : null;
}
