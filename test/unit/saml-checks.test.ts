import { describe, expect, it } from 'vitest';
import { DEFAULT_SAML_ATTRIBUTES, type SamlAttributeMap } from '../../service/config.js';
import { DomainError } from '../../service/domain/errors.js';
import {
  BEARER,
  checkLoginResponse,
  identityFromFacts,
  STATUS_SUCCESS,
  TRANSIENT,
  type LoginExpectations,
  type LoginResponseFacts,
} from '../../service/domain/saml-checks.js';

const NOW = new Date('2026-04-01T09:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();

const expected: LoginExpectations = {
  idpEntityId: 'https://idp.example.ac.jp/idp/shibboleth',
  spEntityId: 'https://shomei.example.ac.jp/saml/metadata',
  acsUrl: 'https://shomei.example.ac.jp/saml/acs',
  now: NOW,
  requireSignedResponse: true,
};

function facts(overrides: Partial<LoginResponseFacts> = {}): LoginResponseFacts {
  return {
    destination: expected.acsUrl,
    inResponseTo: '_req1',
    responseIssuer: expected.idpEntityId,
    statusCode: STATUS_SUCCESS,
    responseSigned: true,
    assertionSigned: true,
    assertionCount: 1,
    assertionId: '_assertion1',
    assertionIssuer: expected.idpEntityId,
    nameId: 'AAdzZWNyZXQx',
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    subjectConfirmations: [{ method: BEARER, recipient: expected.acsUrl, notBefore: null, notOnOrAfter: at(300), inResponseTo: '_req1' }],
    conditions: { notBefore: at(-5), notOnOrAfter: at(300), audienceRestrictions: [[expected.spEntityId]] },
    authnStatements: [{ sessionIndex: '_session1', sessionNotOnOrAfter: null }],
    attributes: [],
    ...overrides,
  };
}

const confirmation = (overrides: Partial<LoginResponseFacts['subjectConfirmations'][number]>) => ({
  subjectConfirmations: [{ ...facts().subjectConfirmations[0]!, ...overrides }],
});
const conditions = (overrides: Partial<NonNullable<LoginResponseFacts['conditions']>>) => ({
  conditions: { ...facts().conditions!, ...overrides },
});

/** The log detail of the saml.invalid the check throws. */
function refusal(f: LoginResponseFacts, e: LoginExpectations = expected): string {
  try {
    checkLoginResponse(f, e);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('saml.invalid');
    return (err as DomainError).detail ?? '';
  }
  throw new Error('the response was accepted');
}

describe('SAML response checks', () => {
  it('accept a well-formed response and give what binding and replay need', () => {
    expect(checkLoginResponse(facts(), expected)).toEqual({
      assertionId: '_assertion1',
      inResponseTo: '_req1',
      replayUntil: at(360),
    });
  });

  describe('audience', () => {
    it('refuses an assertion for another SP', () => {
      expect(refusal(facts(conditions({ audienceRestrictions: [['https://other.example/sp']] })))).toMatch(/Audience/);
    });
    it('refuses an assertion without an audience restriction', () => {
      expect(refusal(facts(conditions({ audienceRestrictions: [] })))).toMatch(/AudienceRestriction/);
    });
    it('requires every audience restriction to name us', () => {
      expect(refusal(facts(conditions({ audienceRestrictions: [[expected.spEntityId], ['https://other.example/sp']] })))).toMatch(/Audience/);
    });
    it('accepts a restriction that lists us among others', () => {
      expect(() =>
        checkLoginResponse(facts(conditions({ audienceRestrictions: [['https://other.example/sp', expected.spEntityId]] })), expected),
      ).not.toThrow();
    });
    it('refuses an assertion without Conditions', () => {
      expect(refusal(facts({ conditions: null }))).toMatch(/Conditions/);
    });
  });

  describe('destination', () => {
    it('refuses a response addressed to another endpoint', () => {
      expect(refusal(facts({ destination: 'https://shomei.example.ac.jp/other/acs' }))).toMatch(/Destination/);
    });
    it('refuses a response without Destination', () => {
      expect(refusal(facts({ destination: null }))).toMatch(/no Destination/);
    });
    it('compares exactly (no trailing-slash or case leniency)', () => {
      expect(refusal(facts({ destination: `${expected.acsUrl}/` }))).toMatch(/Destination/);
      expect(refusal(facts({ destination: expected.acsUrl.toUpperCase() }))).toMatch(/Destination/);
    });
  });

  describe('subject confirmation', () => {
    it('refuses a Recipient other than our ACS', () => {
      expect(refusal(facts(confirmation({ recipient: 'https://evil.example/acs' })))).toMatch(/Recipient/);
    });
    it('refuses a missing Recipient', () => {
      expect(refusal(facts(confirmation({ recipient: null })))).toMatch(/Recipient/);
    });
    it('refuses a method other than bearer', () => {
      expect(refusal(facts(confirmation({ method: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key' })))).toMatch(/method/);
    });
    it('refuses a confirmation without NotOnOrAfter', () => {
      expect(refusal(facts(confirmation({ notOnOrAfter: null })))).toMatch(/NotOnOrAfter/);
    });
    it('refuses a confirmation answering another request', () => {
      expect(refusal(facts(confirmation({ inResponseTo: '_other' })))).toMatch(/InResponseTo/);
      expect(refusal(facts(confirmation({ inResponseTo: null })))).toMatch(/InResponseTo/);
    });
    it('refuses a subject without confirmation', () => {
      expect(refusal(facts({ subjectConfirmations: [] }))).toMatch(/SubjectConfirmation/);
    });
    it('accepts when one of several confirmations is usable', () => {
      const good = facts().subjectConfirmations[0]!;
      const bad = { ...good, recipient: 'https://evil.example/acs' };
      expect(() => checkLoginResponse(facts({ subjectConfirmations: [bad, good] }), expected)).not.toThrow();
    });
  });

  describe('time, with 60 s of clock skew either way', () => {
    it('accepts NotBefore up to 60 s ahead of our clock', () => {
      expect(() => checkLoginResponse(facts(conditions({ notBefore: at(60) })), expected)).not.toThrow();
    });
    it('refuses NotBefore more than 60 s ahead', () => {
      expect(refusal(facts(conditions({ notBefore: at(61) })))).toMatch(/not yet valid/);
    });
    it('accepts NotOnOrAfter up to 60 s behind our clock', () => {
      expect(() => checkLoginResponse(facts(conditions({ notOnOrAfter: at(-59) })), expected)).not.toThrow();
    });
    it('refuses NotOnOrAfter 60 s or more behind', () => {
      expect(refusal(facts(conditions({ notOnOrAfter: at(-60) })))).toMatch(/Conditions expired/);
    });
    it('applies the same window to the bearer confirmation', () => {
      expect(() => checkLoginResponse(facts(confirmation({ notOnOrAfter: at(-59) })), expected)).not.toThrow();
      expect(refusal(facts(confirmation({ notOnOrAfter: at(-60) })))).toMatch(/SubjectConfirmationData expired/);
      expect(refusal(facts(confirmation({ notBefore: at(61) })))).toMatch(/SubjectConfirmationData not yet valid/);
    });
    it('refuses an expired IdP session', () => {
      expect(refusal(facts({ authnStatements: [{ sessionIndex: 's', sessionNotOnOrAfter: at(-61) }] }))).toMatch(/session expired/);
    });
    it('refuses instants that are not UTC xs:dateTime', () => {
      expect(refusal(facts(conditions({ notOnOrAfter: '2026-04-01 09:05:00' })))).toMatch(/xs:dateTime/);
      expect(refusal(facts(conditions({ notOnOrAfter: '2026-04-01T18:05:00+09:00' })))).toMatch(/xs:dateTime/);
    });
    it('keeps the assertion in the replay cache until its last validity plus the skew', () => {
      const r = checkLoginResponse(facts({ ...conditions({ notOnOrAfter: at(120) }), ...confirmation({ notOnOrAfter: at(600) }) }), expected);
      expect(r.replayUntil).toBe(at(660));
    });
  });

  describe('binding and structure', () => {
    it('refuses an unsolicited response (no InResponseTo)', () => {
      expect(refusal(facts({ inResponseTo: null }))).toMatch(/InResponseTo/);
    });
    it('refuses anything but exactly one assertion', () => {
      expect(refusal(facts({ assertionCount: 0 }))).toMatch(/0 assertions/);
      expect(refusal(facts({ assertionCount: 2 }))).toMatch(/2 assertions/);
    });
    it('refuses an assertion no valid signature covers', () => {
      expect(refusal(facts({ responseSigned: false, assertionSigned: false }))).toMatch(/signature/);
    });
    it('requires the Response signature by default, even when the assertion is signed', () => {
      expect(refusal(facts({ responseSigned: false }))).toMatch(/Response itself is not signed/);
      expect(() => checkLoginResponse(facts({ assertionSigned: false }), expected)).not.toThrow();
    });
    it('accepts an assertion signed alone when the Response signature is not required', () => {
      const lenient = { ...expected, requireSignedResponse: false };
      expect(() => checkLoginResponse(facts({ responseSigned: false }), lenient)).not.toThrow();
      expect(() => checkLoginResponse(facts({ assertionSigned: false }), lenient)).not.toThrow();
    });
    it('refuses a status other than Success', () => {
      expect(refusal(facts({ statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Requester' }))).toMatch(/status/);
    });
    it('refuses an assertion issued by someone else', () => {
      expect(refusal(facts({ assertionIssuer: 'https://evil.example/idp' }))).toMatch(/Issuer/);
      expect(refusal(facts({ responseIssuer: 'https://evil.example/idp' }))).toMatch(/Issuer/);
    });
    it('refuses missing assertion ID or AuthnStatement', () => {
      expect(refusal(facts({ assertionId: null }))).toMatch(/no ID/);
      expect(refusal(facts({ authnStatements: [] }))).toMatch(/AuthnStatement/);
    });
  });
});

describe('identity from attributes', () => {
  const map: SamlAttributeMap = {
    ...DEFAULT_SAML_ATTRIBUTES,
    studentId: 'urn:oid:2.16.840.1.113730.3.1.3',
    nameKanji: 'jaDisplayName',
  };
  const attrs = (pairs: Record<string, string[]>) => ({ attributes: Object.entries(pairs).map(([name, values]) => ({ name, values })) });

  it('maps attributes by exact Name through the configured map', () => {
    const identity = identityFromFacts(
      facts(
        attrs({
          [DEFAULT_SAML_ATTRIBUTES.userId]: ['kyoko@univ.example.ac.jp'],
          [DEFAULT_SAML_ATTRIBUTES.mail]: ['kyoko@mail.univ.example.ac.jp'],
          'urn:oid:2.16.840.1.113730.3.1.3': ['B24-0042'],
          jaDisplayName: ['森 今日子'],
          [DEFAULT_SAML_ATTRIBUTES.studentId]: ['ignored: not the configured name'],
          [DEFAULT_SAML_ATTRIBUTES.affiliation]: ['member', 'student', 'member'],
        }),
      ),
      map,
      expected.idpEntityId,
    );
    expect(identity).toMatchObject({
      idpEntityId: expected.idpEntityId,
      userId: 'kyoko@univ.example.ac.jp',
      mail: 'kyoko@mail.univ.example.ac.jp',
      studentId: 'B24-0042',
      nameKanji: '森 今日子',
      nameKana: null,
      affiliation: 'member, student',
      nameId: 'AAdzZWNyZXQx',
      sessionIndex: '_session1',
    });
  });

  it('does not match on a different case or a friendly name', () => {
    const identity = identityFromFacts(facts(attrs({ JADISPLAYNAME: ['x'], mail: ['x@y.example'] })), map, expected.idpEntityId);
    expect(identity.nameKanji).toBeNull();
    expect(identity.mail).toBeNull();
  });

  it('falls back to a persistent NameID when the user-ID attribute is missing', () => {
    expect(identityFromFacts(facts(), map, expected.idpEntityId).userId).toBe('AAdzZWNyZXQx');
  });

  it('refuses a login with neither user-ID attribute nor a lasting NameID', () => {
    expect(() => identityFromFacts(facts({ nameIdFormat: TRANSIENT }), map, expected.idpEntityId)).toThrow(DomainError);
    expect(() => identityFromFacts(facts({ nameId: null }), map, expected.idpEntityId)).toThrow(/saml.invalid/);
  });

  it('ignores blank values', () => {
    const identity = identityFromFacts(
      facts(attrs({ [DEFAULT_SAML_ATTRIBUTES.userId]: ['  '], [DEFAULT_SAML_ATTRIBUTES.mail]: ['', ' a@b.example '] })),
      map,
      expected.idpEntityId,
    );
    expect(identity.userId).toBe('AAdzZWNyZXQx');
    expect(identity.mail).toBe('a@b.example');
  });
});
