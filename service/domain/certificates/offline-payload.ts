/**
 * Offline verification payload (signing side). The QR code on a certificate points to
 * `${publicUrl}/verify#c=<payload>`; the /verify page checks the Ed25519 signature in the browser
 * with the published public key (renderer/src/verify/offline.ts), so an employer can verify with
 * no server database. The format is specified byte by byte in docs/offline-verification.md.
 *
 *   body      = version(1) ‖ keyId(4) ‖ issueDay(2, BE, days since 1970-01-01)
 *               ‖ holderNameHash(16) ‖ number(12 ASCII: YYYY + 8 chars) ‖ typeLen(1) ‖ typeCode(typeLen ASCII)
 *   signature = Ed25519(privateKey, "shomei-offline-v1" ‖ 0x00 ‖ body)
 *   payload   = base64url(body ‖ signature), no padding
 */
import { Buffer } from 'node:buffer';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CERTIFICATE_NUMBER, isValidCertificateNumber } from './numbers.js';
import { CERTIFICATE_TYPE_CODE } from './types.js';

export const OFFLINE_PAYLOAD_VERSION = 1;
/** Domain separation: prefixed to the body before signing (never transmitted). */
export const OFFLINE_SIGNATURE_CONTEXT = 'shomei-offline-v1\u0000';

export interface OfflinePayloadFields {
  v: 1;
  /** `SHM-YYYY-XXXX-XXXX` */
  number: string;
  typeCode: string;
  /** `holderNameHash(nameKanji, birthDate)`: 16 bytes, base64url (22 characters). */
  holderNameHash: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** 8 lowercase hex digits naming the public key (`keyIdOf`). */
  keyId: string;
}

export interface OfflineSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw 32-byte Ed25519 public key, base64url. */
  publicKeyRaw: string;
  /** The public key as a JWK, for /api/verify/keys. */
  jwk: OfflinePublicJwk;
}

export interface OfflinePublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** Raw public key, base64url. */
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

/** The name as compared: NFKC, every white space removed (so `山田 太郎`, `山田　太郎` and `山田太郎` agree). */
export const normalizeHolderName = (nameKanji: string): string => nameKanji.normalize('NFKC').replace(/\s+/g, '');

/** First 16 bytes of SHA-256(UTF-8(normalizeHolderName(name) ‖ "\n" ‖ birthDate)), base64url. */
export function holderNameHash(nameKanji: string, birthDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new RangeError('birthDate must be YYYY-MM-DD');
  return createHash('sha256')
    .update(`${normalizeHolderName(nameKanji)}\n${birthDate}`, 'utf8')
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** Key ID: hex of the first 4 bytes of SHA-256 of the raw 32-byte public key. */
export const keyIdOf = (publicKeyRaw: Uint8Array): string => createHash('sha256').update(publicKeyRaw).digest().subarray(0, 4).toString('hex');

function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`not a date: ${date}`);
  const days = ms / 86_400_000;
  if (days < 0 || days > 0xffff) throw new RangeError(`date out of range: ${date}`);
  return days;
}

/** The body bytes (everything the signature covers except the context). Throws RangeError on bad fields. */
export function encodeOfflineBody(fields: OfflinePayloadFields): Buffer {
  if (fields.v !== OFFLINE_PAYLOAD_VERSION) throw new RangeError('version');
  const number = CERTIFICATE_NUMBER.exec(fields.number);
  if (!number || !isValidCertificateNumber(fields.number)) throw new RangeError(`not a certificate number: ${fields.number}`);
  if (!CERTIFICATE_TYPE_CODE.test(fields.typeCode)) throw new RangeError(`not a type code: ${fields.typeCode}`);
  if (!/^[0-9a-f]{8}$/.test(fields.keyId)) throw new RangeError('keyId must be 8 hex digits');
  const hash = Buffer.from(fields.holderNameHash, 'base64url');
  if (hash.length !== 16 || hash.toString('base64url') !== fields.holderNameHash) throw new RangeError('holderNameHash must be 16 bytes base64url');
  const type = Buffer.from(fields.typeCode, 'ascii');
  const body = Buffer.alloc(36 + type.length);
  body[0] = OFFLINE_PAYLOAD_VERSION;
  Buffer.from(fields.keyId, 'hex').copy(body, 1);
  body.writeUInt16BE(dayNumber(fields.issueDate), 5);
  hash.copy(body, 7);
  body.write(`${number[1]}${number[2]}${number[3]}`, 23, 'ascii');
  body[35] = type.length;
  type.copy(body, 36);
  return body;
}

/** The payload for the QR code: base64url(body ‖ Ed25519 signature). About 150 characters. */
export function signOfflinePayload(fields: OfflinePayloadFields, privateKey: KeyObject): string {
  const body = encodeOfflineBody(fields);
  const signature = sign(null, Buffer.concat([Buffer.from(OFFLINE_SIGNATURE_CONTEXT, 'ascii'), body]), privateKey);
  return Buffer.concat([body, signature]).toString('base64url');
}

/** The URL in the QR code. The payload is in the fragment, so it never reaches a server. */
export const offlineVerifyUrl = (publicUrl: string, payload: string): string => `${publicUrl.replace(/\/+$/, '')}/verify#c=${payload}`;

/** The signing key of a PKCS#8 PEM Ed25519 private key. */
export const offlineKeyFromPem = (pem: string): OfflineSigningKey => describe(createPrivateKey(pem));

function describe(privateKey: KeyObject): OfflineSigningKey {
  const publicKey = createPublicKey(privateKey);
  const x = publicKey.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new Error('not an Ed25519 key');
  const keyId = keyIdOf(Buffer.from(x, 'base64url'));
  return { keyId, privateKey, publicKey, publicKeyRaw: x, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid: keyId, use: 'sig', alg: 'EdDSA' } };
}

/** A fresh key pair (tests; key rotation). */
export function generateOfflineKey(): OfflineSigningKey {
  return describe(generateKeyPairSync('ed25519').privateKey);
}

/** The JWK Set published at /api/verify/keys (all keys still accepted, current first). */
export const publishedKeySet = (keys: readonly OfflineSigningKey[]): { keys: OfflinePublicJwk[] } => ({ keys: keys.map((k) => k.jwk) });
