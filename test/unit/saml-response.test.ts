import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selfSigned } from '../support/keys.js';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyPair } from '../../service/adapters/saml/keys.js';
import { decodeSamlMessage, inspectResponse, responseFacts, verifyEnvelopedSignature } from '../../service/adapters/saml/response.js';
import { certBody, XmlRejected } from '../../service/adapters/saml/xml.js';
import { loadConfig } from '../../service/config.js';
import { createDemoIdp, demoLoginResponse, type DemoIdp } from '../../service/demo/demo-idp.js';
import { assertion, edit, NS, resign, response, setText, unsign } from '../support/saml-forge.js';

/**
 * Our own reading of a login response, independent of samlify: structure, and signatures
 * tied to the very elements we read (samlify has had signature-wrapping bugs).
 */

let dir: string;
let idp: DemoIdp;
let attacker: KeyPair;
let certs: string[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-saml-unit-'));
  idp = await createDemoIdp(loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'https://shomei.example.ac.jp', LOG_LEVEL: 'silent' }));
  certs = [certBody(idp.keys.cert)];
  const pems = await selfSigned('attacker');
  attacker = { key: pems.key, cert: pems.cert };
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signedResponse = () => demoLoginResponse(idp, idp.users[0]!, '_req1', new Date());

/** Runs the adapter's reading steps and returns which parts are validly signed. */
function read(xml: string) {
  const s = inspectResponse(xml);
  const signed = {
    response: verifyEnvelopedSignature(xml, s.doc, s.response, certs),
    assertion: verifyEnvelopedSignature(xml, s.doc, s.assertion, certs),
  };
  return { signed, facts: responseFacts(s, signed) };
}

const refused = (xml: string, reason: RegExp) => {
  expect(() => read(xml)).toThrow(XmlRejected);
  expect(() => read(xml)).toThrow(reason);
};

describe('reading a login response', () => {
  it('reads a doubly signed response and its facts', () => {
    const { signed, facts } = read(signedResponse());
    expect(signed).toEqual({ response: true, assertion: true });
    expect(facts).toMatchObject({
      destination: 'https://shomei.example.ac.jp/saml/acs',
      inResponseTo: '_req1',
      assertionIssuer: idp.entityId,
      conditions: { audienceRestrictions: [['https://shomei.example.ac.jp/saml/metadata']] },
    });
    expect(facts.attributes.find((a) => a.name === 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6')?.values).toEqual([idp.users[0]!.eppn]);
  });

  it('reports an unsigned part as unsigned, not as valid', () => {
    expect(read(unsign(signedResponse(), 'Response')).signed).toEqual({ response: false, assertion: true });
    expect(read(unsign(signedResponse())).signed).toEqual({ response: false, assertion: false });
  });

  it('refuses a value changed after signing', () => {
    const xml = edit(unsign(signedResponse(), 'Response'), (d) => setText(d.getElementsByTagNameNS(NS.assertion, 'AttributeValue')[0]!, 'someone-else@x'));
    refused(xml, /Assertion signature does not verify/);
  });

  it('verifies with the metadata key only, never with a certificate the message brings', () => {
    // Signed by the attacker, whose certificate travels in KeyInfo.
    refused(resign(signedResponse(), attacker), /does not verify with the IdP's metadata keys/);
  });

  it('refuses a signature whose reference names another element', () => {
    const xml = edit(unsign(signedResponse(), 'Response'), (d) => {
      const ref = assertion(d).getElementsByTagNameNS(NS.dsig, 'Reference')[0]!;
      ref.setAttribute('URI', `#${response(d).getAttribute('ID')}`);
    });
    refused(xml, /references #_\w+ instead of #/);
  });

  it('refuses an element ID used twice', () => {
    const xml = edit(unsign(signedResponse(), 'Response'), (d) => {
      const extensions = d.createElementNS(NS.protocol, 'samlp:Extensions');
      const decoy = d.createElementNS('urn:example:decoy', 'x:Decoy');
      decoy.setAttribute('ID', assertion(d).getAttribute('ID')!);
      extensions.appendChild(decoy);
      response(d).insertBefore(extensions, d.getElementsByTagNameNS(NS.protocol, 'Status')[0]!);
    });
    refused(xml, /appears on 2 elements/);
  });

  it('refuses assertion look-alikes in another namespace', () => {
    const xml = edit(signedResponse(), (d) => {
      response(d).appendChild(d.createElementNS('urn:example:evil', 'evil:Assertion'));
    });
    refused(xml, /2 Assertion elements/);
  });

  it('refuses an assertion that is not directly inside the Response', () => {
    const xml = edit(signedResponse(), (d) => {
      const a = assertion(d);
      const wrapper = d.createElementNS(NS.protocol, 'samlp:Extensions');
      response(d).replaceChild(wrapper, a);
      wrapper.appendChild(a);
    });
    refused(xml, /not a SAML assertion directly inside the Response/);
  });

  it('refuses signatures elsewhere than on the Response or the Assertion', () => {
    const xml = edit(signedResponse(), (d) => {
      const sig = assertion(d).getElementsByTagNameNS(NS.dsig, 'Signature')[0]!;
      d.getElementsByTagNameNS(NS.assertion, 'Subject')[0]!.appendChild(sig.cloneNode(true));
    });
    refused(xml, /Signature inside Subject/);
  });

  it('refuses SHA-1 signatures', () => {
    const sig = new SignedXml({
      privateKey: idp.keys.key,
      publicCert: idp.keys.cert,
      signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    sig.addReference({
      xpath: "/*[local-name(.)='Response']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1',
    });
    sig.computeSignature(unsign(signedResponse()), {
      prefix: 'ds',
      location: { reference: "/*[local-name(.)='Response']/*[local-name(.)='Issuer']", action: 'after' },
    });
    refused(sig.getSignedXml(), /algorithm .*rsa-sha1 not allowed/);
  });

  it('refuses encrypted assertions (no decryption key is published)', () => {
    const xml = edit(unsign(signedResponse()), (d) => {
      response(d).replaceChild(d.createElementNS(NS.assertion, 'saml:EncryptedAssertion'), assertion(d));
    });
    refused(xml, /EncryptedAssertion/);
  });

  it('refuses any DOCTYPE before parsing', () => {
    refused(`<!DOCTYPE x [<!ENTITY a "b">]>${signedResponse()}`, /DOCTYPE/);
    refused(signedResponse().replace('<samlp:Response', '<!doctype samlp:Response><samlp:Response'), /DOCTYPE/);
  });

  it('refuses a message that is not base64', () => {
    expect(() => decodeSamlMessage('PHNhbWxwOlJlc3BvbnNlPg==%%')).toThrow(/not base64/);
    expect(
      decodeSamlMessage(
        Buffer.from('<a/>')
          .toString('base64')
          .replace(/(.{2})/, '$1\r\n'),
      ),
    ).toBe('<a/>');
  });
});
