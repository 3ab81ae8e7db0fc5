import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Random } from './ports.js';

/** Hash under which a secret (session id, one-time token, hand-off code) is stored. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('base64url');

/** A second secret that follows from `secret` for one `purpose`, and reveals nothing of it. */
export const deriveSecret = (secret: string, purpose: string): string =>
  createHmac('sha256', secret).update(purpose, 'utf8').digest('base64url');

export const systemRandom: Random = {
  token: (bytes) => randomBytes(bytes).toString('base64url'),
  id: () => randomUUID(),
};

export const systemClock: Clock = { now: () => new Date() };

export const addSeconds = (d: Date, seconds: number): Date => new Date(d.getTime() + seconds * 1000);
