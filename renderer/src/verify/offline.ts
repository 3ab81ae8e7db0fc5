/**
 * Offline verification in the browser: checks the signed payload from a certificate's QR code
 * (`/verify#c=<payload>`) against the published public keys (/api/verify/keys), with no server.
 * Format: docs/offline-verification.md (signing side: service/domain/certificates/offline-payload.ts).
 * No Node imports. Ed25519 by @noble/ed25519; SHA-512 (for Ed25519) and SHA-256 (holder hash) by
 * @noble/hashes, in plain JavaScript: the inputs are a few hundred bytes, and WebCrypto's
 * `crypto.subtle` is missing outside secure contexts (pages served over plain http from a host
 * other than localhost), so one path serves every browser.
 */
import { hashes, verifyAsync } from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

hashes.sha512 = sha512;
hashes.sha512Async = async (message) => sha512(message);

export interface OfflinePayloadFields {
  v: 1;
  /** `SHM-YYYY-XXXX-XXXX` */
  number: string;
  typeCode: string;
  /** 16 bytes, base64url */
  holderNameHash: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** 8 lowercase hex digits */
  keyId: string;
}

/** A published key: `kid` and the raw 32-byte Ed25519 public key `x` (base64url), as in the JWK Set. */
export interface OfflinePublicKey {
  kid: string;
  x: string;
}

export type OfflineFailure = 'malformed' | 'unsupportedVersion' | 'unknownKey' | 'badSignature';

export type OfflineVerification = { valid: true; fields: OfflinePayloadFields } | { valid: false; reason: OfflineFailure };

const CONTEXT = 'shomei-offline-v1\u0000';
const ALPHABET_CHAR = /^[0-9A-HJKMNP-TV-Z]$/;
const TYPE_CODE = /^[a-z][a-z0-9-]{1,15}$/;
const SIGNATURE_LENGTH = 64;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Strict base64url (no padding, canonical trailing bits) → bytes; null when not. */
export function base64urlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const ch of text) {
    value = (value << 6) | B64URL.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >> bits) & 0xff;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += B64URL[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** Decodes the body fields without checking the signature; null when malformed. */
export function decodeOfflinePayload(payload: string): { fields: OfflinePayloadFields; body: Uint8Array; signature: Uint8Array } | { error: OfflineFailure } {
  const bytes = base64urlDecode(payload.trim());
  if (!bytes || bytes.length < 1) return { error: 'malformed' };
  if (bytes[0] !== 1) return { error: 'unsupportedVersion' };
  if (bytes.length < 36) return { error: 'malformed' };
  const typeLength = bytes[35]!;
  if (bytes.length !== 36 + typeLength + SIGNATURE_LENGTH) return { error: 'malformed' };
  const body = bytes.subarray(0, 36 + typeLength);
  const signature = bytes.subarray(36 + typeLength);
  const day = (bytes[5]! << 8) | bytes[6]!;
  const issueDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
  const chars = ascii(bytes.subarray(23, 35));
  if (!/^[0-9]{4}/.test(chars) || ![...chars.slice(4)].every((c) => ALPHABET_CHAR.test(c))) return { error: 'malformed' };
  const typeCode = ascii(bytes.subarray(36, 36 + typeLength));
  if (!TYPE_CODE.test(typeCode)) return { error: 'malformed' };
  return {
    fields: {
      v: 1,
      keyId: hex(bytes.subarray(1, 5)),
      issueDate,
      holderNameHash: base64urlEncode(bytes.subarray(7, 23)),
      number: `SHM-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`,
      typeCode,
    },
    body,
    signature,
  };
}

/** The payload from a /verify URL's fragment (`#c=<payload>`), or null. */
export function payloadFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const c = params.get('c');
  return c && c.length > 0 ? c : null;
}

/**
 * Checks `payload` against the published keys: well formed, a known key (`keyId` = `kid`), and
 * an Ed25519 signature over the context and the body. `valid: true` says the university signed
 * these fields; compare the holder with `matchesHolder`. Revocation cannot be seen offline.
 */
export async function verifyOfflinePayload(payload: string, publicKeys: readonly OfflinePublicKey[]): Promise<OfflineVerification> {
  const decoded = decodeOfflinePayload(payload);
  if ('error' in decoded) return { valid: false, reason: decoded.error };
  const key = publicKeys.find((k) => k.kid === decoded.fields.keyId);
  const raw = key ? base64urlDecode(key.x) : null;
  if (!raw || raw.length !== 32) return { valid: false, reason: 'unknownKey' };
  const message = new Uint8Array(CONTEXT.length + decoded.body.length);
  message.set(new TextEncoder().encode(CONTEXT), 0);
  message.set(decoded.body, CONTEXT.length);
  let ok: boolean;
  try {
    ok = await verifyAsync(decoded.signature, message, raw);
  } catch {
    ok = false;
  }
  return ok ? { valid: true, fields: decoded.fields } : { valid: false, reason: 'badSignature' };
}

/** The name as compared: NFKC, all white space removed. */
export const normalizeHolderName = (name: string): string => name.normalize('NFKC').replace(/\s+/g, '');

/** A typed birth date (`2001-04-05`, `2001/4/5`, full width…) → YYYY-MM-DD, or null. */
export function normalizeBirthDate(input: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(input.normalize('NFKC').replace(/\s+/g, ''));
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === date ? date : null;
}

/** SHA-256(UTF-8(normalizedName ‖ "\n" ‖ YYYY-MM-DD)) truncated to 16 bytes, base64url. */
export function holderNameHash(nameKanji: string, birthDate: string): string {
  const data = new TextEncoder().encode(`${normalizeHolderName(nameKanji)}\n${birthDate}`);
  return base64urlEncode(sha256(data).subarray(0, 16));
}

/** Whether the name and birth date the verifier reads on the paper are the ones signed. */
export function matchesHolder(fields: OfflinePayloadFields, nameKanji: string, birthDate: string): boolean {
  const date = normalizeBirthDate(birthDate);
  if (!date || normalizeHolderName(nameKanji) === '') return false;
  return holderNameHash(nameKanji, date) === fields.holderNameHash;
}
