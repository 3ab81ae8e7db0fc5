import { createCipheriv, createDecipheriv, createHmac, hash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Random } from './ports.js';

/** Hash under which a secret (session id, one-time token, hand-off code) is stored (one call: every request hashes its session id). */
export const hashSecret = (secret: string): string => hash('sha256', secret, 'base64url');

/** A second secret that follows from `secret` for one `purpose`, and reveals nothing of it. */
export const deriveSecret = (secret: string, purpose: string): string => createHmac('sha256', secret).update(purpose, 'utf8').digest('base64url');

export const systemRandom: Random = {
  token: (bytes) => randomBytes(bytes).toString('base64url'),
  id: () => randomUUID(),
};

export const systemClock: Clock = { now: () => new Date() };

export const addSeconds = (d: Date, seconds: number): Date => new Date(d.getTime() + seconds * 1000);

/**
 * `value` as JSON, encrypted and authenticated (AES-256-GCM) under `key`, as base64url: what
 * only the holder of `key` can read, and that nobody can change or make up.
 */
export function sealJson(key: Uint8Array, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The value sealed by sealJson under `key`, or null for anything else (changed, made up, another key). */
export function openSealedJson(key: Uint8Array, sealed: string): unknown {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 12 + 16 + 2) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
