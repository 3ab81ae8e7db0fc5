/** Public verification API (/api/verify): typed calls over the one request function of client.ts. */
import type { CredentialVerifyRequest, CredentialVerifyResponse, VerifyKeysResponse, VerifyRequest, VerifyResponse } from '@contract/verify';
import type { OfflinePublicKey } from '../verify/offline';
import { call } from './client';

/** POST /api/verify — number + verification code → valid / revoked / unknown. */
export function postVerify(body: VerifyRequest): Promise<VerifyResponse> {
  return call<VerifyResponse>({ method: 'POST', url: '/api/verify', data: body });
}

/** POST /api/verify/credential — a pasted verifiable credential → valid / revoked / expired / … */
export function postVerifyCredential(body: CredentialVerifyRequest): Promise<CredentialVerifyResponse> {
  return call<CredentialVerifyResponse>({ method: 'POST', url: '/api/verify/credential', data: body });
}

/** GET /api/verify/keys — the JWK Set of the offline-verification public keys. */
function getVerifyKeys(): Promise<VerifyKeysResponse> {
  return call<VerifyKeysResponse>({ method: 'GET', url: '/api/verify/keys' });
}

const KEY_CACHE = 'shomei.verify.keys';

/** What an offline check needs: the public keys, the type names and the issuer (kept together in localStorage). */
export interface VerifyKeyMaterial {
  keys: OfflinePublicKey[];
  typeNames: VerifyKeysResponse['typeNames'];
  institutionName: VerifyKeysResponse['institutionName'];
}

const isKeyList = (v: unknown): v is OfflinePublicKey[] =>
  Array.isArray(v) && v.every((k) => typeof k === 'object' && k !== null && typeof k.kid === 'string' && typeof k.x === 'string');

const isName = (v: unknown): v is { ja: string; en: string } =>
  typeof v === 'object' && v !== null && typeof (v as { ja?: unknown }).ja === 'string' && typeof (v as { en?: unknown }).en === 'string';

/** The cached material; an older cache (a bare key list, or no institution) still gives what it has. */
function fromCache(stored: unknown): VerifyKeyMaterial | null {
  if (isKeyList(stored)) return { keys: stored, typeNames: {}, institutionName: null };
  if (typeof stored !== 'object' || stored === null) return null;
  const { keys, typeNames, institutionName } = stored as { keys?: unknown; typeNames?: unknown; institutionName?: unknown };
  if (!isKeyList(keys)) return null;
  const names: VerifyKeyMaterial['typeNames'] = {};
  if (typeof typeNames === 'object' && typeNames !== null) {
    for (const [code, name] of Object.entries(typeNames)) if (isName(name)) names[code] = { ja: name.ja, en: name.en };
  }
  return { keys, typeNames: names, institutionName: isName(institutionName) ? { ja: institutionName.ja, en: institutionName.en } : null };
}

/**
 * The published keys, type names and institution name: fetched, and kept in localStorage so a later check works with
 * no network; when the fetch fails, the cached ones (null when none were ever fetched).
 */
export async function loadVerifyKeys(): Promise<(VerifyKeyMaterial & { cached: boolean }) | null> {
  try {
    const set = await getVerifyKeys();
    const material: VerifyKeyMaterial = {
      keys: set.keys.map((k) => ({ kid: k.kid, x: k.x })),
      typeNames: set.typeNames ?? {},
      institutionName: set.institutionName ?? null,
    };
    try {
      localStorage.setItem(KEY_CACHE, JSON.stringify(material));
    } catch {
      // Storage full or disabled: the check still works now.
    }
    return { ...material, cached: false };
  } catch {
    try {
      const material = fromCache(JSON.parse(localStorage.getItem(KEY_CACHE) ?? 'null'));
      return material ? { ...material, cached: true } : null;
    } catch {
      return null;
    }
  }
}
