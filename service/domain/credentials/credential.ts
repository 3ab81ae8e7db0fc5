/**
 * A certificate as a W3C Verifiable Credential (VC Data Model 2.0) secured with VC-JOSE: a
 * compact JWS (`typ: vc+jwt`, `alg: EdDSA`, `kid` of the published JWK Set) whose payload is the
 * credential itself. No JSON-LD processing: the base context's `@vocab` covers our own terms.
 * The format is documented field by field in docs/verifiable-credentials.md.
 */
import type { OfflineSigningKey } from '../certificates/offline-payload.js';
import type { IssuedCertificate } from '../certificates/model.js';
import type { LocalizedName } from '../registry/model.js';
import { signCompactJws } from './jws.js';
import { statusListPosition } from './status-list.js';

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
/** The credential type of our certificates (after VerifiableCredential). */
export const CERTIFICATE_CREDENTIAL_TYPE = 'UniversityCertificateCredential';
export const JWS_TYPE = 'vc+jwt';
/** The media type of a VC-JOSE credential. */
export const VC_JWT_MEDIA_TYPE = 'application/vc+jwt';

/** A text in Japanese and English, as JSON-LD language-tagged values. */
export type LanguageValues = Array<{ '@value': string; '@language': 'ja' | 'en' }>;
export const languageValues = (name: LocalizedName): LanguageValues => [
  { '@value': name.ja, '@language': 'ja' },
  { '@value': name.en, '@language': 'en' },
];

/** Where the service publishes what a verifier needs, all under PUBLIC_URL. */
export interface CredentialUrls {
  /** The issuer's id: a URL that answers with the issuer's name and key set. */
  issuer: string;
  /** The JWK Set of the signing keys (the QR payloads' keys). */
  keys: string;
  /** Status list `list` (1-based). */
  statusList(list: number): string;
}

export function credentialUrls(publicUrl: string): CredentialUrls {
  const base = publicUrl.replace(/\/+$/, '');
  return { issuer: `${base}/credentials/issuer`, keys: `${base}/api/verify/keys`, statusList: (list) => `${base}/credentials/status/${list}` };
}

export interface CertificateCredentialInput {
  certificate: IssuedCertificate;
  typeName: LocalizedName;
  issuerName: LocalizedName;
  /** Its index over all status lists. */
  statusIndex: number;
  urls: CredentialUrls;
}

/** Japan time: a certificate valid "until" a date is valid through the end of that day there. */
export const endOfDayInJapan = (date: string): string => `${date}T23:59:59+09:00`;

/** The credential (the JWS payload) of one issued certificate. */
export function certificateCredential(input: CertificateCredentialInput): Record<string, unknown> {
  const { certificate: c, urls } = input;
  const at = statusListPosition(input.statusIndex);
  const statusUrl = urls.statusList(at.list);
  // The name as printed on the certificate: roman letters on English ones (when recorded).
  const holderName = c.language === 'en' && c.holderNameRoman ? c.holderNameRoman : c.holderNameKanji;
  return {
    '@context': [VC_CONTEXT_V2],
    type: ['VerifiableCredential', CERTIFICATE_CREDENTIAL_TYPE],
    issuer: { id: urls.issuer, name: languageValues(input.issuerName) },
    validFrom: c.issuedAt,
    ...(c.validUntil ? { validUntil: endOfDayInJapan(c.validUntil) } : {}),
    credentialSubject: {
      type: 'CertificateHolder',
      name: holderName,
      certificate: {
        type: 'IssuedCertificate',
        number: c.number,
        typeCode: c.typeCode,
        typeName: languageValues(input.typeName),
        language: c.language,
        issueDate: c.issueDate,
        ...(c.validUntil ? { validUntil: c.validUntil } : {}),
      },
    },
    credentialStatus: {
      id: `${statusUrl}#${at.position}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(at.position),
      statusListCredential: statusUrl,
    },
  };
}

/** The status list credential of list `list`. */
export function statusListCredential(input: {
  list: number;
  encodedList: string;
  issuerName: LocalizedName;
  urls: CredentialUrls;
  now: Date;
}): Record<string, unknown> {
  const url = input.urls.statusList(input.list);
  return {
    '@context': [VC_CONTEXT_V2],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: input.urls.issuer, name: languageValues(input.issuerName) },
    validFrom: input.now.toISOString(),
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: input.encodedList },
  };
}

/** A credential signed as VC-JOSE with `key`. */
export const signCredential = (credential: Record<string, unknown>, key: OfflineSigningKey): string =>
  signCompactJws({ alg: 'EdDSA', kid: key.keyId, typ: JWS_TYPE }, credential, key.privateKey);
