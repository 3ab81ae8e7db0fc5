import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (RFC 7914), shared by staff accounts and graduate accounts.
 *
 * A hash is one self-describing string: `scrypt$ln=15,r=8,p=1$<salt base64url>$<key base64url>`
 * (ln = log2 N). Parameters and salt live in the string, so stronger parameters can be adopted
 * later without invalidating stored hashes (`needsRehash` tells when to re-hash after a login).
 * Passwords are NFKC-normalised first (NIST SP 800-63B §5.1.1.2), so a password typed with a
 * full-width IME matches the same password typed half-width.
 */

interface Params {
  ln: number;
  r: number;
  p: number;
}

const CURRENT: Params = { ln: 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Guard against a stored string asking for absurd work (N·r·128 bytes of memory). */
const MAX_LN = 20;
const MAX_R = 16;
const MAX_P = 4;

function derive(password: string, salt: Buffer, params: Params, keyBytes: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, keyBytes, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function parse(hash: string): { params: Params; salt: Buffer; key: Buffer } | null {
  const parts = hash.split('$');
  if (parts.length !== 4 || parts[0] !== 'scrypt') return null;
  const m = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d)$/.exec(parts[1]!);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) return null;
  const salt = Buffer.from(parts[2]!, 'base64url');
  const key = Buffer.from(parts[3]!, 'base64url');
  if (salt.length < 8 || key.length < 16 || key.length > 64) return null;
  return { params, salt, key };
}

/** Hashes a password with a fresh random salt and the current parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, CURRENT, KEY_BYTES);
  return `scrypt$ln=${CURRENT.ln},r=${CURRENT.r},p=${CURRENT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches `hash`; compares in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parse(hash);
  if (!parsed) {
    await burn(password);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** True when the hash was made with other parameters than the current ones. */
export function needsRehash(hash: string): boolean {
  const parsed = parse(hash);
  return !parsed || parsed.params.ln !== CURRENT.ln || parsed.params.r !== CURRENT.r || parsed.params.p !== CURRENT.p;
}

let dummyHash: Promise<string> | null = null;

/**
 * Does the work of one verification and returns false. Call it when there is no account to
 * check against (unknown user name or mail address), so that response times do not tell
 * whether an account exists.
 */
export async function burn(password: string): Promise<false> {
  dummyHash ??= hashPassword('shomei-timing-equaliser');
  const parsed = parse(await dummyHash)!;
  await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return false;
}
