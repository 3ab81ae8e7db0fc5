/**
 * /verify for a credential: the compact JWS as pasted or uploaded → valid / revoked / expired /
 * not yet valid / invalid signature / not ours, with the facts it states. It checks what an
 * outside verifier would (docs/verifiable-credentials.md): the key by `kid` among ours, the
 * Ed25519 signature, the issuer, the validity period, and the bit in our own status list
 * credential (signed and decoded like any other verifier's copy).
 */
import type { KeyObject } from 'node:crypto';
import { DomainError } from '../errors.js';
import type { LocalizedName } from '../registry/model.js';
import { CERTIFICATE_CREDENTIAL_TYPE, JWS_TYPE, type LanguageValues } from './credential.js';
import { jwsSignedBy, parseCompactJws, type ParsedJws } from './jws.js';
import { statusBit } from './status-list.js';

/** Longest text accepted as a credential (ours are about 2 KB). */
export const CREDENTIAL_TEXT_MAX = 16_384;

export interface CredentialFacts {
  number: string;
  typeCode: string;
  typeName: LocalizedName;
  holderName: string;
  issueDate: string;
  /** YYYY-MM-DD, or null when the certificate states no validity. */
  validUntil: string | null;
  issuerName: LocalizedName;
  /** When it was issued (ISO). */
  validFrom: string;
}

export type CredentialCheck = { status: 'valid' | 'revoked' | 'expired' | 'notYetValid'; facts: CredentialFacts } | { status: 'invalidSignature' | 'notOurs' };

export interface CredentialCheckDeps {
  /** Our signing keys by kid (the published JWK Set). */
  keys: ReadonlyMap<string, KeyObject>;
  issuerId: string;
  now: Date;
  /** The status list credential (compact JWS) at `url`, when it is one of ours; null otherwise. */
  statusList(url: string): Promise<string | null>;
}

const malformed = (why: string) => new DomainError('validation.failed', {}, `credential: ${why}`, { credential: 'credential.malformed' });

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** `[{ @value, @language }]` (or a plain string) → { ja, en }. */
function localized(v: unknown): LocalizedName | null {
  if (typeof v === 'string') return { ja: v, en: v };
  if (!Array.isArray(v)) return null;
  const of = (language: string) => text(record((v as LanguageValues).find((x) => record(x)['@language'] === language))['@value']);
  const ja = of('ja');
  const en = of('en');
  return ja || en ? { ja: ja ?? en!, en: en ?? ja! } : null;
}

function factsOf(payload: Record<string, unknown>): CredentialFacts | null {
  const subject = record(payload.credentialSubject);
  const certificate = record(subject.certificate);
  const number = text(certificate.number);
  const typeCode = text(certificate.typeCode);
  const typeName = localized(certificate.typeName);
  const holderName = text(subject.name);
  const issueDate = text(certificate.issueDate);
  const issuerName = localized(record(payload.issuer).name);
  const validFrom = text(payload.validFrom);
  if (!number || !typeCode || !typeName || !holderName || !issueDate || !issuerName || !validFrom) return null;
  return { number, typeCode, typeName, holderName, issueDate, validUntil: text(certificate.validUntil), issuerName, validFrom };
}

/** The revocation bit the credential's status entry points at: 1, 0, or null when the entry or the list is not ours. */
async function revocationBit(payload: Record<string, unknown>, deps: CredentialCheckDeps): Promise<0 | 1 | null> {
  const entry = record(payload.credentialStatus);
  const url = text(entry.statusListCredential);
  const index = text(entry.statusListIndex);
  if (entry.type !== 'BitstringStatusListEntry' || entry.statusPurpose !== 'revocation' || !url || !index || !/^\d{1,9}$/.test(index)) return null;
  const list = await deps.statusList(url);
  const parsed = list === null ? null : parseCompactJws(list);
  if (!parsed || !signedByUs(parsed, deps)) return null;
  const subject = record(parsed.payload.credentialSubject);
  if (subject.statusPurpose !== 'revocation') return null;
  const encoded = text(subject.encodedList);
  return encoded === null ? null : statusBit(encoded, Number(index));
}

function signedByUs(jws: ParsedJws, deps: CredentialCheckDeps): boolean {
  const key = deps.keys.get(text(jws.header.kid) ?? '');
  return jws.header.alg === 'EdDSA' && key !== undefined && jwsSignedBy(jws, key);
}

export async function checkCredential(input: string, deps: CredentialCheckDeps): Promise<CredentialCheck> {
  const compact = input.replace(/\s+/g, '');
  if (compact === '') throw new DomainError('validation.failed', {}, 'credential: empty', { credential: 'required' });
  if (compact.length > CREDENTIAL_TEXT_MAX) throw malformed('too long');
  const jws = parseCompactJws(compact);
  if (!jws) throw malformed('not a compact JWS of JSON objects');
  const kid = text(jws.header.kid);
  const key = kid === null ? undefined : deps.keys.get(kid);
  if (jws.header.alg !== 'EdDSA' || key === undefined) return { status: 'notOurs' };
  if (!jwsSignedBy(jws, key)) return { status: 'invalidSignature' };
  const types = jws.payload.type;
  const facts = factsOf(jws.payload);
  const ours =
    jws.header.typ === JWS_TYPE && Array.isArray(types) && types.includes(CERTIFICATE_CREDENTIAL_TYPE) && record(jws.payload.issuer).id === deps.issuerId;
  if (!ours || !facts) return { status: 'notOurs' };
  const bit = await revocationBit(jws.payload, deps);
  if (bit === null) return { status: 'notOurs' };
  if (bit === 1) return { status: 'revoked', facts };
  const now = deps.now.getTime();
  const until = text(jws.payload.validUntil);
  if (until !== null && !(Date.parse(until) >= now)) return { status: 'expired', facts };
  if (!(Date.parse(facts.validFrom) <= now + 5 * 60_000)) return { status: 'notYetValid', facts };
  return { status: 'valid', facts };
}
