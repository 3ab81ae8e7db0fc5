/**
 * Compact JWS with Ed25519 (RFC 7515, RFC 8037 `alg: EdDSA`), as VC-JOSE secures a credential:
 * base64url(header) "." base64url(payload) "." base64url(signature over the first two parts).
 * node:crypto only: the format is small enough that a library would add more than it saves.
 */
import { Buffer } from 'node:buffer';
import { sign, verify, type KeyObject } from 'node:crypto';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The header and payload signed together with `privateKey` (Ed25519). */
export function signCompactJws(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
}

export interface ParsedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The ASCII bytes the signature covers. */
  signingInput: Buffer;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function jsonObject(part: string): Record<string, unknown> | null {
  if (!BASE64URL.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The three parts of a compact JWS, decoded; null when `text` is not one (wrong shape, not base64url, not JSON objects). */
export function parseCompactJws(text: string): ParsedJws | null {
  const parts = text.split('.');
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = jsonObject(h);
  const payload = jsonObject(p);
  if (!header || !payload || !BASE64URL.test(s)) return null;
  return { header, payload, signingInput: Buffer.from(`${h}.${p}`, 'ascii'), signature: Buffer.from(s, 'base64url') };
}

/** Whether the Ed25519 signature of `jws` is `publicKey`'s. */
export const jwsSignedBy = (jws: ParsedJws, publicKey: KeyObject): boolean =>
  jws.signature.length === 64 && verify(null, jws.signingInput, publicKey, jws.signature);
