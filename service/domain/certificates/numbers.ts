/**
 * Numbers people read and type: 予約番号 (reservation number), certificate number, verification
 * code. All come from the injected `Random` port (cryptographic randomness in production); none is
 * sequential or derivable from another. Formats (see also docs/offline-verification.md):
 *
 * - Reservation number: 8 decimal digits `00000000`–`99999999`, uniformly random (rejection
 *   sampling on 32-bit draws: no modulo bias), unique among active reservations.
 * - Certificate number: `SHM-YYYY-XXXX-XXXX`; YYYY = issue year; the 8 X are 7 random characters
 *   of ALPHABET (35 bits) and one check character (Luhn mod 32 over the year and the 7 characters).
 * - Verification code: 10 random characters of ALPHABET (50 bits), shown as `XXXXX-XXXXX`.
 *
 * ALPHABET is Crockford's base 32: digits and capitals without I, L, O, U. Input is normalised
 * (width, case, spaces, hyphens; I/L → 1, O → 0) before it is compared.
 */
import { Buffer } from 'node:buffer';
import { DomainError } from '../errors.js';
import type { Random } from '../ports.js';

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `count` random bytes from the port. */
export const randomBytesFrom = (random: Random, count: number): Uint8Array => {
  const bytes = Buffer.from(random.token(count), 'base64url');
  if (bytes.length !== count) throw new Error(`Random.token(${count}) returned ${bytes.length} bytes`);
  return new Uint8Array(bytes);
};

/** A uniformly random integer in [0, bound) for bound ≤ 2^32, by rejection sampling. */
export function randomBelow(random: Random, bound: number): number {
  if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError('bound');
  const limit = Math.floor(2 ** 32 / bound) * bound;
  for (;;) {
    const b = randomBytesFrom(random, 4);
    const x = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
    if (x < limit) return x % bound;
  }
}

/** `length` random characters of ALPHABET (32 divides 256: one byte each, low 5 bits, unbiased). */
export function randomAlphabetString(random: Random, length: number): string {
  return [...randomBytesFrom(random, length)].map((b) => ALPHABET[b & 31]).join('');
}

/* ---- Reservation numbers ---- */

export const RESERVATION_NUMBER = /^[0-9]{8}$/;
/** Attempts before giving up with `reservation.numberExhausted`. */
export const RESERVATION_NUMBER_ATTEMPTS = 20;

/** One uniformly random 8-digit number, leading zeros kept. */
export const randomReservationNumber = (random: Random): string => String(randomBelow(random, 100_000_000)).padStart(8, '0');

/**
 * A reservation number not active now. `isActive(number)` asks the store; a taken number is
 * drawn again (a fresh independent draw each time), up to `attempts` times, then
 * `DomainError('reservation.numberExhausted')`. The store's insert must still refuse an active
 * duplicate atomically (two orders may draw the same free number at once): on refusal, call again.
 */
export async function generateReservationNumber(
  random: Random,
  isActive: (number: string) => boolean | Promise<boolean>,
  attempts = RESERVATION_NUMBER_ATTEMPTS,
): Promise<string> {
  for (let i = 0; i < attempts; i++) {
    const number = randomReservationNumber(random);
    if (!(await isActive(number))) return number;
  }
  throw new DomainError('reservation.numberExhausted', {}, `${attempts} draws were all active`);
}

/** What a person typed (full-width digits, spaces, hyphens) → 8 digits, or null. */
export function normalizeReservationNumber(input: string): string | null {
  const digits = input.normalize('NFKC').replace(/[\s-]/g, '');
  return RESERVATION_NUMBER.test(digits) ? digits : null;
}

/* ---- Certificate numbers ---- */

export const CERTIFICATE_NUMBER = /^SHM-([0-9]{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})$/;

/**
 * Luhn mod 32 check character over `chars` (all in ALPHABET). Detects every single-character error
 * and every swap of two different neighbours but one: 0 and Z (ALPHABET's first and last), the
 * algorithm's blind spot, as 09 and 90 are in decimal Luhn.
 */
export function checkCharacter(chars: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const code = ALPHABET.indexOf(chars[i]!);
    if (code < 0) throw new RangeError(`not in alphabet: ${chars[i]}`);
    const addend = factor * code;
    factor = factor === 2 ? 1 : 2;
    sum += Math.floor(addend / 32) + (addend % 32);
  }
  return ALPHABET[(32 - (sum % 32)) % 32]!;
}

/** A new random certificate number for `year`. Uniqueness: the caller retries on a clash (see `generateCertificateNumber`). */
export function randomCertificateNumber(random: Random, year: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError('year');
  const body = randomAlphabetString(random, 7);
  const check = checkCharacter(`${year}${body}`);
  return `SHM-${year}-${body.slice(0, 4)}-${body.slice(4)}${check}`;
}

/** A certificate number `isTaken` does not know, drawing again on a clash (35 random bits a year). */
export async function generateCertificateNumber(
  random: Random,
  year: number,
  isTaken: (number: string) => boolean | Promise<boolean> = () => false,
  attempts = 10,
): Promise<string> {
  for (let i = 0; i < attempts; i++) {
    const number = randomCertificateNumber(random, year);
    if (!(await isTaken(number))) return number;
  }
  throw new Error(`no free certificate number after ${attempts} draws`);
}

/** Upper case, half width, no spaces; I/L → 1 and O → 0 (Crockford), for characters after the year. */
const normalizeAlphabet = (s: string): string =>
  s
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212\u30fc]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');

/** What a person typed → the canonical `SHM-YYYY-XXXX-XXXX` when it is well formed with a correct check character, else null. */
export function normalizeCertificateNumber(input: string): string | null {
  let s = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212\u30fc]/g, '');
  if (s.startsWith('SHM')) s = s.slice(3);
  s = normalizeAlphabet(s);
  if (!/^[0-9]{4}[0-9A-HJKMNP-TV-Z]{8}$/.test(s)) return null;
  const number = `SHM-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
  return isValidCertificateNumber(number) ? number : null;
}

/** Canonical form and correct check character. */
export function isValidCertificateNumber(number: string): boolean {
  const m = CERTIFICATE_NUMBER.exec(number);
  if (!m) return false;
  const chars = `${m[1]}${m[2]}${m[3]}`;
  return checkCharacter(chars.slice(0, 11)) === chars[11];
}

/* ---- Verification codes ---- */

export const VERIFICATION_CODE_LENGTH = 10;
export const VERIFICATION_CODE = /^[0-9A-HJKMNP-TV-Z]{10}$/;

/** 10 random characters of ALPHABET: 50 bits. Stored and compared without the display hyphen. */
export const generateVerificationCode = (random: Random): string => randomAlphabetString(random, VERIFICATION_CODE_LENGTH);

/** `XXXXX-XXXXX` for print and screens. */
export const formatVerificationCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** What a person typed → the 10 stored characters, or null. */
export function normalizeVerificationCode(input: string): string | null {
  const s = normalizeAlphabet(input);
  return VERIFICATION_CODE.test(s) ? s : null;
}
