/** A credential check as JSON (contract/verify.ts CredentialVerifyResponse). */
import type { CredentialVerifyResponse } from '../../contract/verify.js';
import type { CredentialCheck } from '../../domain/credentials/verify-credential.js';

export function credentialVerifyResponse(check: CredentialCheck): CredentialVerifyResponse {
  if (!('facts' in check)) return { status: check.status };
  const { number, typeCode, typeName, holderName, issueDate, validUntil, issuerName } = check.facts;
  return { status: check.status, facts: { number, typeCode, typeName, holderName, issueDate, validUntil, issuerName } };
}
