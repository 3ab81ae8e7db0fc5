/**
 * Public verification (/verify): what a verifier types → the status of the certificate, with the
 * holder's name partly masked (holder-name.ts). No express or lowdb here: the store is the
 * `CertificateStore` port, time comes from the `Clock`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { VerifyResponse } from '../../contract/verify.js';
import type { CertificateStore } from '../certificates/store.js';
import { normalizeCertificateNumber, normalizeVerificationCode } from '../certificates/numbers.js';
import { DomainError } from '../errors.js';
import type { Clock } from '../ports.js';
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

export interface RateLimitOptions {
  /** Attempts allowed per key within `windowSeconds`. */
  limit: number;
  windowSeconds: number;
}

export const DEFAULT_VERIFY_RATE_LIMIT: RateLimitOptions = { limit: 20, windowSeconds: 600 };

/**
 * A sliding-window limiter per key (the client's IP), in memory: `limit` attempts in any
 * `windowSeconds`. `hit` records an attempt or throws `verify.rateLimited` {seconds} (the wait
 * until the oldest attempt leaves the window). Refused attempts are not recorded.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private prunedAt = 0;
  constructor(
    private readonly clock: Clock,
    private readonly options: RateLimitOptions = DEFAULT_VERIFY_RATE_LIMIT,
  ) {}

  hit(key: string): void {
    const now = this.clock.now().getTime();
    const windowMs = this.options.windowSeconds * 1000;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= this.options.limit) {
      this.hits.set(key, recent);
      const seconds = Math.max(1, Math.ceil((recent[0]! + windowMs - now) / 1000));
      throw new DomainError('verify.rateLimited', { seconds }, `verify limit for ${key}`);
    }
    recent.push(now);
    this.hits.set(key, recent);
    // At most once a second: with many clients in the window a scan per hit would cost more with each one.
    if (this.hits.size > 10_000 && now - this.prunedAt >= 1000) {
      this.prunedAt = now;
      this.prune(now - windowMs);
    }
  }

  private prune(before: number): void {
    for (const [key, times] of this.hits) if (times.every((t) => t <= before)) this.hits.delete(key);
  }
}

const sameCode = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Looks the certificate up by number and compares the code in constant time. Unknown number and
 * wrong code give the same `unknown` answer.
 */
export async function verifyCertificate(store: Pick<CertificateStore, 'certificates' | 'types'>, number: string, code: string): Promise<VerifyResponse> {
  const input = normalizeVerifyInput(number, code);
  const found = await store.certificates.findByNumber(input.number);
  const matches = sameCode(found?.verificationCode ?? 'XXXXXXXXXX', input.code) && found !== null;
  if (!found || !matches) return { status: 'unknown', number: input.number };
  const type = await store.types.get(found.typeCode);
  const answer: VerifyResponse = {
    status: found.status === 'revoked' ? 'revoked' : 'valid',
    number: found.number,
    issueDate: found.issueDate,
    typeName: type ? { ja: type.name.ja, en: type.name.en } : { ja: found.typeCode, en: found.typeCode },
    holderMasked: maskHolderName(found.holderNameKanji),
  };
  if (found.holderNameRoman) answer.holderMaskedRoman = maskRomanName(found.holderNameRoman, found.holderNameKana);
  if (found.status === 'revoked') {
    if (found.revokedAt) answer.revokedAt = found.revokedAt;
    if (found.revocationReason) answer.revokedReason = found.revocationReason;
  }
  return answer;
}
