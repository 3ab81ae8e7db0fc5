/**
 * Public verification (/verify): what a verifier types → the status of the certificate, with the
 * holder's name partly masked (holder-name.ts). No express or lowdb here: the store is the
 * `CertificateStore` port; the rate limit per client is the caller's (domain/rate-limits.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IssuedCertificate } from '../certificates/model.js';
import type { CertificateStore } from '../certificates/store.js';
import { normalizeCertificateNumber, normalizeVerificationCode } from '../certificates/numbers.js';
import { DomainError } from '../errors.js';
import type { RateLimitRule } from '../rate-limits.js';
import type { LocalizedName } from '../registry/model.js';
import { maskHolderName, maskRomanName } from './holder-name.js';

/** The typed number and code normalised; field errors (`validation.failed`) when malformed. */
export function normalizeVerifyInput(number: string, code: string): { number: string; code: string } {
  const fields: Record<string, string> = {};
  const n = normalizeCertificateNumber(number);
  const c = normalizeVerificationCode(code);
  if (number.trim() === '') fields.number = 'required';
  else if (!n) fields.number = 'verify.numberFormat';
  if (code.trim() === '') fields.code = 'required';
  else if (!c) fields.code = 'verify.codeFormat';
  if (!n || !c) throw new DomainError('validation.failed', {}, JSON.stringify(fields), fields);
  return { number: n, code: c };
}

/**
 * The answer of a verification: `unknown` carries only the number as normalised; a match carries
 * the certificate, its type's name and the holder's name as a verifier may see it (masked).
 */
export type Verification =
  | { status: 'unknown'; number: string }
  | {
      status: 'valid' | 'revoked';
      certificate: IssuedCertificate;
      typeName: LocalizedName;
      holderMasked: string;
      /** Null for certificates issued before the roman name was recorded. */
      holderMaskedRoman: string | null;
    };

export type VerificationStatus = Verification['status'];

/** /verify per client IP: 20 in any 10 minutes. */
export const DEFAULT_VERIFY_RATE_LIMIT: RateLimitRule = { limit: 20, windowSeconds: 600 };

const sameCode = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Looks the certificate up by number and compares the code in constant time. Unknown number and
 * wrong code give the same `unknown` answer.
 */
export async function verifyCertificate(store: Pick<CertificateStore, 'certificates' | 'types'>, number: string, code: string): Promise<Verification> {
  const input = normalizeVerifyInput(number, code);
  const found = await store.certificates.findByNumber(input.number);
  const matches = sameCode(found?.verificationCode ?? 'XXXXXXXXXX', input.code) && found !== null;
  if (!found || !matches) return { status: 'unknown', number: input.number };
  const type = await store.types.get(found.typeCode);
  return {
    status: found.status === 'revoked' ? 'revoked' : 'valid',
    certificate: found,
    typeName: type ? { ja: type.name.ja, en: type.name.en } : { ja: found.typeCode, en: found.typeCode },
    holderMasked: maskHolderName(found.holderNameKanji),
    holderMaskedRoman: found.holderNameRoman ? maskRomanName(found.holderNameRoman, found.holderNameKana) : null,
  };
}
