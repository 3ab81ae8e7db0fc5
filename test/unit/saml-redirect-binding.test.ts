import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SamlLib } from 'samlify';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loadOrCreateKeyPair, type KeyPair } from '../../service/adapters/saml/keys.js';
import { createSamlIdentityProvider, type SamlIdentityProvider } from '../../service/adapters/saml/samlify-idp.js';
import { certBody } from '../../service/adapters/saml/xml.js';
import { loadConfig } from '../../service/config.js';
import type { IncomingSamlMessage } from '../../service/domain/login.js';

/**
 * The HTTP-Redirect messages we send (AuthnRequest, LogoutRequest, LogoutResponse) and the ones
 * we receive are signed and verified by OpenSSL through node:crypto, never by node-rsa (an RSA in
 * JavaScript that samlify depends on, with an open timing side-channel report).
 */

// samlify reaches node-rsa through these two functions only (src/libsaml.js): the detached
// signatures of the HTTP-Redirect and SimpleSign bindings, made and checked.
const NODE_RSA_USERS = ['constructMessageSignature', 'verifyMessageSignature'] as const;
const nodeRsaSpies: MockInstance[] = [];
const root = path.resolve(import.meta.dirname, '../..');

const IDP = 'https://idp.example.ac.jp/idp/shibboleth';
const SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
let dir: string;
let spKeys: KeyPair;
let idpKeys: KeyPair;
let sp: SamlIdentityProvider;
const config = loadConfig({ DATA_DIR: '/nonexistent', PUBLIC_URL: 'https://shomei.example.ac.jp' });

const metadata = (cert: string) =>
  `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${IDP}">` +
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
  `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
  `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.ac.jp/slo?tenant=1"/>` +
  `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.ac.jp/sso"/>` +
  `</md:IDPSSODescriptor></md:EntityDescriptor>`;

/** What an IdP reads from our redirect URL: the signed octets as sent, the decoded values, the XML. */
function received(url: string) {
  const query = url.slice(url.indexOf('?') + 1);
  const raw = new Map(query.split('&').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
  const message = raw.has('SAMLRequest') ? 'SAMLRequest' : 'SAMLResponse';
  const octets = [message, 'RelayState', 'SigAlg']
    .filter((n) => raw.has(n))
    .map((n) => `${n}=${raw.get(n)}`)
    .join('&');
  const value = (n: string) => (raw.has(n) ? decodeURIComponent(raw.get(n)!) : undefined);
  return {
    params: [...raw.keys()],
    relayState: value('RelayState'),
    sigAlg: value('SigAlg'),
    xml: inflateRawSync(Buffer.from(value(message)!, 'base64')).toString('utf8'),
    verifiesWith: (cert: string) => verify('sha256', Buffer.from(octets), createPublicKey(cert), Buffer.from(value('Signature')!, 'base64')),
  };
}

/** A LogoutRequest from the IdP as it arrives on our SLO endpoint, signed with `key`. */
function idpLogoutRequest(key: string, sigAlg = SHA256, digest = 'sha256'): IncomingSamlMessage {
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_idp1" Version="2.0"` +
    ` IssueInstant="${new Date().toISOString()}" Destination="${config.saml.sloUrl}"><saml:Issuer>${IDP}</saml:Issuer>` +
    `<saml:NameID>student-1</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>`;
  const SAMLRequest = deflateRawSync(Buffer.from(xml)).toString('base64');
  const octetString = `SAMLRequest=${encodeURIComponent(SAMLRequest)}&RelayState=back&SigAlg=${encodeURIComponent(sigAlg)}`;
  const Signature = sign(digest, Buffer.from(octetString), createPrivateKey(key)).toString('base64');
  return { binding: 'redirect', params: { SAMLRequest, RelayState: 'back', SigAlg: sigAlg, Signature }, octetString };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-saml-redirect-'));
  [spKeys, idpKeys] = await Promise.all([loadOrCreateKeyPair(dir, 'sp', 'sp'), loadOrCreateKeyPair(dir, 'idp', 'idp')]);
  sp = createSamlIdentityProvider({ config, spKey: spKeys.key, spCert: spKeys.cert, idpMetadataXml: metadata(idpKeys.cert), clock: { now: () => new Date() } });
}, 60_000);
afterAll(() => {
  nodeRsaSpies.forEach((s) => s.mockRestore());
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  nodeRsaSpies.splice(0).forEach((s) => s.mockRestore());
  for (const name of NODE_RSA_USERS) nodeRsaSpies.push(vi.spyOn(SamlLib, name));
});
const nodeRsaCalls = () => nodeRsaSpies.reduce((n, s) => n + s.mock.calls.length, 0);

describe('HTTP-Redirect signatures', () => {
  it('sign our AuthnRequest with node:crypto, verifiable with our certificate, never with node-rsa', async () => {
    const requestId = `_${'ab'.repeat(32)}`;
    const { url } = await sp.createLoginRequest({ requestId, forceAuthn: true, relayState: '/orders?x=1&y=2' });
    expect(url.startsWith('https://idp.example.ac.jp/sso?SAMLRequest=')).toBe(true);
    const got = received(url);
    expect(got.params).toEqual(['SAMLRequest', 'RelayState', 'SigAlg', 'Signature']);
    expect(got.relayState).toBe('/orders?x=1&y=2');
    expect(got.sigAlg).toBe(SHA256);
    expect(got.xml).toContain(`ID="${requestId}"`);
    expect(got.xml).toContain('ForceAuthn="true"');
    expect(got.verifiesWith(spKeys.cert)).toBe(true);
    expect(got.verifiesWith(idpKeys.cert)).toBe(false);
    expect(nodeRsaCalls()).toBe(0);
  });

  it('sign our LogoutRequest and LogoutResponse the same way (an endpoint with a query string keeps it)', async () => {
    const request = await sp.createLogoutRequest({ idpEntityId: IDP, nameId: 'student-1', nameIdFormat: null, sessionIndex: '_s1' });
    expect(request!.startsWith('https://idp.example.ac.jp/slo?tenant=1&SAMLRequest=')).toBe(true);
    const sentRequest = received(request!);
    expect(sentRequest.params).toEqual(['tenant', 'SAMLRequest', 'SigAlg', 'Signature']);
    expect(sentRequest.xml).toContain('<saml:NameID>student-1</saml:NameID>');
    expect(sentRequest.verifiesWith(spKeys.cert)).toBe(true);

    const response = received((await sp.createLogoutResponse('_idp1', 'back'))!);
    expect(response.params).toEqual(['tenant', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature']);
    expect(response.xml).toContain('InResponseTo="_idp1"');
    expect(response.verifiesWith(spKeys.cert)).toBe(true);
    expect(nodeRsaCalls()).toBe(0);
  });

  it("verify the IdP's LogoutRequest with node:crypto: its key only, no SHA-1, never with node-rsa", async () => {
    await expect(sp.verifyLogoutRequest(idpLogoutRequest(idpKeys.key))).resolves.toEqual({ requestId: '_idp1', nameId: 'student-1', sessionIndexes: ['_s1'] });
    await expect(sp.verifyLogoutRequest(idpLogoutRequest(spKeys.key))).rejects.toMatchObject({ code: 'saml.invalid' });
    await expect(sp.verifyLogoutRequest(idpLogoutRequest(idpKeys.key, 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'sha1'))).rejects.toMatchObject({
      code: 'saml.invalid',
    });
    const unsigned = idpLogoutRequest(idpKeys.key);
    delete unsigned.params.Signature;
    await expect(sp.verifyLogoutRequest(unsigned)).rejects.toMatchObject({ code: 'saml.invalid' });
    expect(nodeRsaCalls()).toBe(0);
  });
});

describe('node-rsa', () => {
  it('is replaced by a stand-in that refuses to work (package.json overrides), so it ships nowhere', () => {
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; link?: boolean }> };
    const copies = Object.entries(lock.packages).filter(([where]) => where.endsWith('node_modules/node-rsa'));
    expect(copies).toEqual([['node_modules/node-rsa', { resolved: 'vendor/node-rsa-absent', link: true }]]);
    const StandIn = createRequire(import.meta.url)(path.join(root, 'vendor/node-rsa-absent')) as new (...a: unknown[]) => unknown;
    expect(() => new StandIn('-----BEGIN PRIVATE KEY-----', undefined, { signingScheme: 'pkcs1-sha256' })).toThrow(/node:crypto/);
  });
});
