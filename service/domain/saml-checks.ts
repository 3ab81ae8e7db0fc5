import { DomainError } from './errors.js';
import type { SamlIdentity } from './model.js';

/**
 * The checks samlify does not do (see DESIGN.md, "Known pitfalls"), as pure functions over
 * facts the adapter extracted from a login response whose signatures it has verified. No
 * XML and no samlify here: the adapter reads, this decides.
 */

/** Our fields that can come from SAML attributes. */
export type SamlAttributeField = 'userId' | 'mail' | 'nameKanji' | 'nameRoman' | 'nameKana' | 'displayName' | 'studentId' | 'affiliation';
/** Which attribute (by its Name) carries each field; the configuration builds it from SAML_ATTRIBUTES. */
export type SamlAttributeMap = Record<SamlAttributeField, string>;

export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
/** Allowed clock difference between us and the IdP, both ways. */
export const CLOCK_SKEW_SECONDS = 60;

export interface SubjectConfirmationFacts {
  method: string | null;
  recipient: string | null;
  notBefore: string | null;
  notOnOrAfter: string | null;
  inResponseTo: string | null;
}

export interface LoginResponseFacts {
  destination: string | null;
  inResponseTo: string | null;
  /** Issuer of the Response (optional in SAML); the assertion's Issuer is required. */
  responseIssuer: string | null;
  statusCode: string | null;
  /** A valid signature by an IdP metadata key whose single reference is this very Response. */
  responseSigned: boolean;
  /** A valid signature by an IdP metadata key whose single reference is this very Assertion. */
  assertionSigned: boolean;
  /** Number of Assertion / EncryptedAssertion elements anywhere in the message. */
  assertionCount: number;
  assertionId: string | null;
  assertionIssuer: string | null;
  nameId: string | null;
  nameIdFormat: string | null;
  subjectConfirmations: SubjectConfirmationFacts[];
  conditions: { notBefore: string | null; notOnOrAfter: string | null; audienceRestrictions: string[][] } | null;
  authnStatements: { sessionIndex: string | null; sessionNotOnOrAfter: string | null }[];
  attributes: { name: string; values: string[] }[];
}

export interface LoginExpectations {
  idpEntityId: string;
  /** Our entity ID: the only acceptable Audience. */
  spEntityId: string;
  /** Our ACS URL: the only acceptable Destination and Recipient. */
  acsUrl: string;
  now: Date;
  skewSeconds?: number;
  /**
   * Require the Response's own signature (default policy): a stripped Response signature is
   * then refused even when the assertion is signed too. Off only for IdPs that sign assertions
   * alone (ADFS, Entra ID defaults).
   */
  requireSignedResponse: boolean;
}

export interface CheckedLogin {
  assertionId: string;
  inResponseTo: string;
  /** Until when the assertion ID must stay in the replay cache. */
  replayUntil: string;
}

const invalid = (reason: string): DomainError => new DomainError('saml.invalid', {}, reason);

const SAML_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function instant(value: string, what: string): number {
  const t = SAML_INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw invalid(`${what} is not a UTC xs:dateTime: ${JSON.stringify(value)}`);
  return t;
}

/** Throws saml.invalid unless `now` is within [notBefore, notOnOrAfter) widened by the skew. */
function checkWindow(notBefore: string | null, notOnOrAfter: string | null, now: number, skewMs: number, what: string): void {
  if (notBefore !== null && instant(notBefore, `${what} NotBefore`) - skewMs > now) {
    throw invalid(`${what} not yet valid (NotBefore ${notBefore})`);
  }
  if (notOnOrAfter !== null && now >= instant(notOnOrAfter, `${what} NotOnOrAfter`) + skewMs) {
    throw invalid(`${what} expired (NotOnOrAfter ${notOnOrAfter})`);
  }
}

/**
 * Decides whether a verified login response may sign someone in. Throws
 * `DomainError('saml.invalid')` with the precise reason in `detail`; the caller still binds
 * InResponseTo to a pending request and the assertion ID to the replay cache.
 */
export function checkLoginResponse(facts: LoginResponseFacts, expected: LoginExpectations): CheckedLogin {
  const now = expected.now.getTime();
  const skewMs = (expected.skewSeconds ?? CLOCK_SKEW_SECONDS) * 1000;

  if (facts.assertionCount !== 1) throw invalid(`${facts.assertionCount} assertions in the response (exactly one required)`);
  // saml-profiles 4.1.3.5: the assertion is protected by its own signature or by the Response's.
  if (!facts.assertionSigned && !facts.responseSigned) throw invalid('no valid IdP signature covers the assertion');
  if (expected.requireSignedResponse && !facts.responseSigned) {
    throw invalid('the Response itself is not signed (SAML_WANT_SIGNED_RESPONSE=0 accepts IdPs that sign only assertions)');
  }
  if (facts.statusCode !== STATUS_SUCCESS) throw invalid(`status ${facts.statusCode ?? '(none)'}`);

  if (facts.assertionIssuer !== expected.idpEntityId) throw invalid(`assertion Issuer ${facts.assertionIssuer ?? '(none)'} is not the IdP`);
  if (facts.responseIssuer !== null && facts.responseIssuer !== expected.idpEntityId) {
    throw invalid(`response Issuer ${facts.responseIssuer} is not the IdP`);
  }
  if (facts.destination === null) throw invalid('response has no Destination');
  if (facts.destination !== expected.acsUrl) throw invalid(`Destination ${facts.destination} is not our ACS`);
  if (!facts.inResponseTo) throw invalid('response has no InResponseTo (unsolicited responses are not accepted)');
  if (!facts.assertionId) throw invalid('assertion has no ID');

  // saml-profiles 4.1.4.2: a bearer confirmation for our ACS, answering our request, still valid.
  const problems: string[] = [];
  const confirmation = facts.subjectConfirmations.find((sc) => {
    const problem =
      sc.method !== BEARER
        ? `method ${sc.method ?? '(none)'}`
        : sc.recipient !== expected.acsUrl
          ? `Recipient ${sc.recipient ?? '(none)'} is not our ACS`
          : sc.inResponseTo !== facts.inResponseTo
            ? `InResponseTo ${sc.inResponseTo ?? '(none)'} differs from the response's`
            : sc.notOnOrAfter === null
              ? 'no NotOnOrAfter'
              : null;
    if (problem) {
      problems.push(problem);
      return false;
    }
    try {
      checkWindow(sc.notBefore, sc.notOnOrAfter, now, skewMs, 'SubjectConfirmationData');
      return true;
    } catch (e) {
      problems.push((e as DomainError).detail ?? 'invalid time');
      return false;
    }
  });
  if (!confirmation) {
    throw invalid(`no usable bearer SubjectConfirmation (${problems.join('; ') || 'none present'})`);
  }

  if (!facts.conditions) throw invalid('assertion has no Conditions');
  checkWindow(facts.conditions.notBefore, facts.conditions.notOnOrAfter, now, skewMs, 'Conditions');
  const restrictions = facts.conditions.audienceRestrictions;
  if (restrictions.length === 0) throw invalid('assertion has no AudienceRestriction');
  // Several AudienceRestriction elements must all be satisfied (saml-core 2.5.1.4).
  const foreign = restrictions.find((audiences) => !audiences.includes(expected.spEntityId));
  if (foreign) throw invalid(`Audience ${foreign.join(', ') || '(empty)'} is not our entity ID`);

  if (facts.authnStatements.length === 0) throw invalid('assertion has no AuthnStatement');
  for (const s of facts.authnStatements) {
    if (s.sessionNotOnOrAfter !== null && now >= instant(s.sessionNotOnOrAfter, 'SessionNotOnOrAfter') + skewMs) {
      throw invalid(`IdP session expired (SessionNotOnOrAfter ${s.sessionNotOnOrAfter})`);
    }
  }

  const ends = [confirmation.notOnOrAfter!, facts.conditions.notOnOrAfter].filter((v): v is string => v !== null).map((v) => instant(v, 'NotOnOrAfter'));
  return {
    assertionId: facts.assertionId,
    inResponseTo: facts.inResponseTo,
    replayUntil: new Date(Math.max(...ends) + skewMs).toISOString(),
  };
}

/**
 * Our identity from the asserted attributes, through `SAML_ATTRIBUTES` (field → attribute
 * Name). Attributes match on their exact Name, whatever their NameFormat; FriendlyName is
 * ignored. The user identifier is the `userId` attribute, else a NameID that is not
 * transient; without one the login is refused. Multi-valued attributes give their first
 * non-empty value (affiliation: all values, comma-separated).
 */
export function identityFromFacts(facts: LoginResponseFacts, attributes: SamlAttributeMap, idpEntityId: string): SamlIdentity {
  const values = (field: keyof SamlAttributeMap): string[] =>
    facts.attributes
      .filter((a) => a.name === attributes[field])
      .flatMap((a) => a.values)
      .map((v) => v.trim())
      .filter((v) => v !== '');
  const first = (field: keyof SamlAttributeMap): string | null => values(field)[0] ?? null;

  const nameId = facts.nameId?.trim() || null;
  const userId = first('userId') ?? (nameId !== null && facts.nameIdFormat !== TRANSIENT ? nameId : null);
  if (userId === null) {
    throw invalid(`no user identifier: attribute ${attributes.userId} missing and NameID ${nameId === null ? 'missing' : 'transient'}`);
  }
  if (nameId === null) throw invalid('assertion has no NameID');
  const affiliation = [...new Set(values('affiliation'))];
  return {
    idpEntityId,
    userId,
    nameId,
    nameIdFormat: facts.nameIdFormat,
    sessionIndex: facts.authnStatements.find((s) => s.sessionIndex !== null)?.sessionIndex ?? null,
    mail: first('mail'),
    displayName: first('displayName'),
    nameKanji: first('nameKanji'),
    nameKana: first('nameKana'),
    nameRoman: first('nameRoman'),
    studentId: first('studentId'),
    affiliation: affiliation.length ? affiliation.join(', ') : null,
  };
}
