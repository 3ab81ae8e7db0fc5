import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeyPair } from '../../service/adapters/saml/keys.js';
import { createSamlIdentityProvider, type SamlIdentityProvider } from '../../service/adapters/saml/samlify-idp.js';
import { validateSamlSchema } from '../../service/adapters/saml/schema.js';
import { XmlRejected } from '../../service/adapters/saml/xml.js';
import { loadConfig } from '../../service/config.js';
import { DomainError } from '../../service/domain/errors.js';
import { createDemoIdp, demoLoginResponse, type DemoIdp } from '../../service/demo/demo-idp.js';
import { assertion, edit, encode, first, resign, response } from '../support/saml-forge.js';

/**
 * Every login response is checked against the SAML 2.0 schemas (protocol, assertion, XML-DSig,
 * XML-Enc) as well as by our own rules: a response signed by the IdP's own key is still refused
 * when it breaks the schema.
 */

let dir: string;
let idp: DemoIdp;
let sp: SamlIdentityProvider;
const config = () => loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'https://shomei.example.ac.jp', LOG_LEVEL: 'silent' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-saml-schema-'));
  idp = await createDemoIdp(config());
  const spKeys = await loadOrCreateKeyPair(dir, 'sp', 'sp');
  sp = createSamlIdentityProvider({
    config: config(),
    spKey: spKeys.key,
    spCert: spKeys.cert,
    idpMetadataXml: idp.metadataXml,
    clock: { now: () => new Date() },
  });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signedResponse = () => demoLoginResponse(idp, idp.users[0]!, '_req1', new Date());

/** The refusal reason of verifyLoginResponse, or null when it accepts. */
async function refusal(xml: string): Promise<string | null> {
  try {
    await sp.verifyLoginResponse(encode(xml));
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('saml.invalid');
    return (e as DomainError).detail ?? '';
  }
}

// Each keeps every check of ours satisfied; only the schema forbids it.
const SCHEMA_BREAKS: [string, (xml: string) => string][] = [
  ['an IssueInstant that is not an xs:dateTime', (xml) => edit(xml, (d) => assertion(d).setAttribute('IssueInstant', 'yesterday'))],
  ['an attribute the Assertion type does not have', (xml) => edit(xml, (d) => assertion(d).setAttribute('Role', 'admin'))],
  ['the Assertion without its required Version', (xml) => edit(xml, (d) => assertion(d).removeAttribute('Version'))],
  [
    'an unknown element in the Subject',
    (xml) =>
      edit(xml, (d) => {
        const subject = first(d, 'Subject');
        subject.appendChild(d.createElementNS('urn:oasis:names:tc:SAML:2.0:assertion', 'saml:Trusted'));
      }),
  ],
  ['a Status after the Assertion', (xml) => edit(xml, (d) => response(d).appendChild(first(d, 'Status', 'urn:oasis:names:tc:SAML:2.0:protocol')))],
];

describe('the SAML schema', () => {
  it('accepts a well-formed signed login response', async () => {
    expect(() => validateSamlSchema(signedResponse())).not.toThrow();
    expect(await refusal(signedResponse())).toBeNull();
  });

  it.each(SCHEMA_BREAKS)('refuses a response signed by the IdP with %s', async (_, breakIt) => {
    const forged = resign(breakIt(signedResponse()), idp.keys);
    expect(() => validateSamlSchema(forged)).toThrow(XmlRejected);
    expect(await refusal(forged)).toMatch(/^schema: /);
  });

  it('names the offending element in the reason', () => {
    const forged = edit(signedResponse(), (d) => assertion(d).setAttribute('IssueInstant', 'yesterday'));
    expect(() => validateSamlSchema(forged)).toThrow(/IssueInstant/);
  });
});
