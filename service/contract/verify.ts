/**
 * /api/verify — public verification of issued certificates. Types only (the
 * renderer imports them). Errors have the `ApiError` shape of contract/api.ts. The POST carries
 * `X-CSRF-Token` from `GET /api/session` like every write.
 *
 * Browser route: `/verify` (form), `/verify#c=<payload>` (the QR code: offline check in the
 * browser, see docs/offline-verification.md).
 */

/**
 * POST /api/verify — certificate number + verification code, as typed (spaces, hyphens, case
 * and full width are normalised). A number that is unknown, or known with another code, answers
 * `unknown` (it never says the number exists).
 * 400 `validation.failed` (fields `number`, `code`: `required` | `verify.numberFormat` |
 * `verify.codeFormat` | `tooLong`), 429 `verify.rateLimited` {seconds}.
 */
export interface VerifyRequest {
  number: string;
  code: string;
}

export type VerifyStatus = 'valid' | 'revoked' | 'unknown';

export interface VerifyResponse {
  status: VerifyStatus;
  /** The canonical number (`SHM-YYYY-XXXX-XXXX`), when it was well formed. */
  number?: string;
  /** YYYY-MM-DD; absent for `unknown`. */
  issueDate?: string;
  /** The certificate type's name; absent for `unknown`. */
  typeName?: { ja: string; en: string };
  /** The holder's name in kanji with all but the family name masked: `山田 ＊＊`. */
  holderMasked?: string;
  /**
   * The holder's name in roman letters, masked alike (the family name kept, other parts to their
   * initial: `T*** Yamada`); absent for certificates issued before the roman name was recorded.
   */
  holderMaskedRoman?: string;
  /** ISO time of the revocation (status `revoked`). */
  revokedAt?: string;
  /** The reason given by staff (status `revoked`). */
  revokedReason?: string;
}

/** GET /api/verify/keys — the JWK Set of the offline-verification public keys (current first). */
export interface VerifyKeysResponse {
  keys: Array<{ kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; use: 'sig'; alg: 'EdDSA' }>;
  /**
   * The names of every certificate type by its code (the payload carries only the code), kept with
   * the keys so an offline check can name the type. An extra JWK Set member (RFC 7517 §5: ignored by
   * JWK tools that do not know it).
   */
  typeNames: Record<string, { ja: string; en: string }>;
  /**
   * The university that issues the certificates (大学情報), so an offline check can name it too;
   * null until it is set up. An extra member like `typeNames`.
   */
  institutionName: { ja: string; en: string } | null;
}

/**
 * POST /api/verify/credential — a certificate's verifiable credential (the compact JWS of
 * docs/verifiable-credentials.md, white space ignored) checked by the service: signature by a
 * published key, issuer, validity period and the revocation bit in the status list.
 * 400 `validation.failed` (field `credential`: `required` | `tooLong` | `credential.malformed`),
 * 429 `verify.rateLimited` {seconds} (shared with POST /api/verify).
 */
export interface CredentialVerifyRequest {
  credential: string;
}

export type CredentialVerifyStatus = 'valid' | 'revoked' | 'expired' | 'notYetValid' | 'invalidSignature' | 'notOurs';

export interface CredentialVerifyResponse {
  status: CredentialVerifyStatus;
  /** What the credential states; absent for `invalidSignature` and `notOurs` (nothing in it can be trusted). */
  facts?: {
    number: string;
    typeCode: string;
    typeName: { ja: string; en: string };
    /** The holder's name as printed on the certificate. */
    holderName: string;
    issueDate: string;
    validUntil: string | null;
    issuerName: { ja: string; en: string };
  };
}
