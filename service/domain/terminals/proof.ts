/**
 * The terminal proof: the kiosk shell adds, in its main process, one header to every request it
 * sends to the service (and to nothing else):
 *
 *   X-Shomei-Terminal: id=<terminal id>, t=<unix seconds>, shell=<version>, printer=<state>, sig=<signature>
 *
 * `sig` is the Ed25519 signature (base64url) over
 *
 *   shomei-terminal-proof-v1 \n <METHOD> \n <path and query as sent> \n <the header value before ", sig=">
 *
 * made with the terminal's secret. A proof is good for that method and path only, within
 * PROOF_WINDOW_SECONDS of the service's clock. The shell's side is main/terminal-key.ts; a test
 * signs there and verifies here.
 */
import { createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';

export const TERMINAL_PROOF_HEADER = 'x-shomei-terminal';
/** How far a proof's time may be from the service's clock, either way. */
export const PROOF_WINDOW_SECONDS = 60;
/** The terminal key IT staff put into kiosk.json: `stk1.<id>.<secret>`. */
export const TERMINAL_KEY_PREFIX = 'stk1';
const CONTEXT = 'shomei-terminal-proof-v1';

export type ReportedPrinter = 'ready' | 'missing' | 'error' | 'unknown';

export interface ParsedProof {
  id: string;
  /** Unix seconds. */
  time: number;
  shellVersion: string;
  printer: ReportedPrinter;
  /** The header value before `, sig=`: what the signature covers besides method and path. */
  signed: string;
  signature: Buffer;
}

const HEADER = /^(id=([A-Za-z0-9_-]{1,32}), t=(\d{1,12}), shell=([0-9A-Za-z.+_-]{1,40}), printer=(ready|missing|error|unknown)), sig=([A-Za-z0-9_-]{86})$/;

export function parseProof(value: string | undefined): ParsedProof | null {
  if (!value || value.length > 400) return null;
  const m = HEADER.exec(value);
  if (!m) return null;
  return {
    signed: m[1]!,
    id: m[2]!,
    time: Number(m[3]),
    shellVersion: m[4]!,
    printer: m[5] as ReportedPrinter,
    signature: Buffer.from(m[6]!, 'base64url'),
  };
}

export const proofMessage = (method: string, pathAndQuery: string, signed: string): string => `${CONTEXT}\n${method.toUpperCase()}\n${pathAndQuery}\n${signed}`;

// Ed25519 keys in PKCS#8 DER are this prefix and the 32-byte seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The public key (32 bytes, base64url) of a terminal secret (32 random bytes, base64url). */
export function publicKeyOfSecret(secret: string): string {
  const seed = Buffer.from(secret, 'base64url');
  if (seed.length !== 32) throw new Error('a terminal secret is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const x = createPublicKey(privateKey).export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new Error('not an Ed25519 key');
  return x;
}

/** A public key as sent by the embedded shell: 32 bytes, base64url. */
export const isPublicKey = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value) && Buffer.from(value, 'base64url').length === 32;

const keyObjects = new Map<string, KeyObject>();

function keyObjectOf(publicKey: string): KeyObject {
  let key = keyObjects.get(publicKey);
  if (!key) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    // Terminals are few; the cache only ever holds the current keys of a handful of terminals.
    if (keyObjects.size > 1000) keyObjects.clear();
    keyObjects.set(publicKey, key);
  }
  return key;
}

export function signatureValid(publicKey: string, message: string, signature: Buffer): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), keyObjectOf(publicKey), signature);
  } catch {
    return false;
  }
}
