/** Public verification as JSON (contract/verify.ts): only what a verifier may see of a certificate. */
import type { VerifyResponse } from '../../contract/verify.js';
import type { Verification } from '../../domain/verify/public-verification.js';

export function verifyResponse(verification: Verification): VerifyResponse {
  if (verification.status === 'unknown') return { status: 'unknown', number: verification.number };
  const { status, certificate: c, typeName, holderMasked, holderMaskedRoman } = verification;
  const answer: VerifyResponse = { status, number: c.number, issueDate: c.issueDate, typeName, holderMasked };
  if (holderMaskedRoman !== null) answer.holderMaskedRoman = holderMaskedRoman;
  if (status === 'revoked') {
    if (c.revokedAt) answer.revokedAt = c.revokedAt;
    if (c.revocationReason) answer.revokedReason = c.revocationReason;
  }
  return answer;
}
