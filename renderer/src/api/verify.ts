/** Public verification API (/api/verify): typed calls over the one axios instance of client.ts. */
import type { VerifyKeysResponse, VerifyRequest, VerifyResponse } from '../../../service/contract/verify';
import type { OfflinePublicKey } from '../verify/offline';
import { call } from './client';

/** POST /api/verify — number + verification code → valid / revoked / unknown. */
export function postVerify(body: VerifyRequest): Promise<VerifyResponse> {
  return call<VerifyResponse>({ method: 'POST', url: '/api/verify', data: body });
}

/** GET /api/verify/keys — the JWK Set of the offline-verification public keys. */
export function getVerifyKeys(): Promise<VerifyKeysResponse> {
  return call<VerifyKeysResponse>({ method: 'GET', url: '/api/verify/keys' });
}

export const KEY_CACHE = 'shomei.verify.keys';

const isKeyList = (v: unknown): v is OfflinePublicKey[] =>
  Array.isArray(v) && v.every((k) => typeof k === 'object' && k !== null && typeof k.kid === 'string' && typeof k.x === 'string');

/**
 * The published keys: fetched, and kept in localStorage so a later check works with no network;
 * when the fetch fails, the cached ones (null when none were ever fetched).
 */
export async function loadVerifyKeys(): Promise<{ keys: OfflinePublicKey[]; cached: boolean } | null> {
  try {
    const set = await getVerifyKeys();
    const keys = set.keys.map((k) => ({ kid: k.kid, x: k.x }));
    try {
      localStorage.setItem(KEY_CACHE, JSON.stringify(keys));
    } catch {
      // Storage full or disabled: the check still works now.
    }
    return { keys, cached: false };
  } catch {
    try {
      const stored: unknown = JSON.parse(localStorage.getItem(KEY_CACHE) ?? 'null');
      return isKeyList(stored) ? { keys: stored, cached: true } : null;
    } catch {
      return null;
    }
  }
}
