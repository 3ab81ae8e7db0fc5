import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeyPair, loadSpKeys } from '../../service/adapters/saml/keys.js';
import { loadIdpMetadata, parseIdpMetadata } from '../../service/adapters/saml/metadata.js';
import { loadConfig } from '../../service/config.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-saml-adapters-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SP key pair', { timeout: 60_000 }, () => {
  it('is generated into DATA_DIR on first start (key readable by the owner only) and reused after', async () => {
    const config = loadConfig({ DATA_DIR: path.join(dir, 'data1') });
    const first = await loadSpKeys(config);
    expect(first.key).toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    expect(statSync(path.join(config.dataDir, 'sp-key.pem')).mode & 0o777).toBe(0o600);
    expect(await loadSpKeys(config)).toEqual(first);
  });

  it('comes from SAML_SP_KEY / SAML_SP_CERT when set, and must be one pair', async () => {
    const a = await loadOrCreateKeyPair(path.join(dir, 'a'), 'x', 'a');
    const b = await loadOrCreateKeyPair(path.join(dir, 'b'), 'x', 'b');
    writeFileSync(path.join(dir, 'key.pem'), a.key);
    writeFileSync(path.join(dir, 'cert.pem'), a.cert);
    writeFileSync(path.join(dir, 'other-cert.pem'), b.cert);
    const env = { DATA_DIR: path.join(dir, 'unused'), SAML_SP_KEY: path.join(dir, 'key.pem') };
    expect(await loadSpKeys(loadConfig({ ...env, SAML_SP_CERT: path.join(dir, 'cert.pem') }))).toEqual(a);
    await expect(loadSpKeys(loadConfig({ ...env, SAML_SP_CERT: path.join(dir, 'other-cert.pem') }))).rejects.toThrow(/does not belong to the private key/);
    await expect(loadSpKeys(loadConfig({ ...env, SAML_SP_CERT: path.join(dir, 'missing.pem') }))).rejects.toThrow(/Cannot read the SAML key pair/);
  });
});

const entity = (id: string, extra = '') => `
  <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${id}">
    <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>CERT</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>ENC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${id}/slo"/>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${id}/sso-post"/>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${id}/sso"/>
      ${extra}
    </md:IDPSSODescriptor>
  </md:EntityDescriptor>`;

describe('IdP metadata', () => {
  let signing: string;
  let server: Server;
  let base: string;
  let xml: string;
  beforeAll(async () => {
    const keys = await loadOrCreateKeyPair(path.join(dir, 'idp'), 'idp', 'idp');
    const enc = await loadOrCreateKeyPair(path.join(dir, 'enc'), 'enc', 'enc');
    signing = keys.cert.replace(/-----[A-Z ]+-----|\s/g, '');
    const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
    xml = entity('https://idp.example.ac.jp/idp').replace('CERT', signing).replace('ENC', body(enc.cert));
    server = createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      if (req.url === '/ok') res.end(xml);
      else res.writeHead(404).end('no');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('gives the entity ID, the signing certificates only, and the redirect endpoints', () => {
    expect(parseIdpMetadata(xml)).toEqual({
      entityId: 'https://idp.example.ac.jp/idp',
      signingCerts: [signing],
      ssoRedirectUrl: 'https://idp.example.ac.jp/idp/sso',
      sloRedirectUrl: 'https://idp.example.ac.jp/idp/slo',
      sloRedirectResponseUrl: 'https://idp.example.ac.jp/idp/slo',
    });
  });

  it('accepts an EntitiesDescriptor holding exactly one IdP', () => {
    const wrap = (inner: string) => `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${inner}</md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(wrap(xml.replace(/^\s*/, ''))).entityId).toBe('https://idp.example.ac.jp/idp');
    expect(() => parseIdpMetadata(wrap(xml + xml.replace('https://idp.example.ac.jp/idp"', 'https://idp2.example.ac.jp/idp"')))).toThrow(/2 IdPs/);
  });

  it('explains what is missing', () => {
    expect(() => parseIdpMetadata('<x/>')).toThrow(/no EntityDescriptor with an IDPSSODescriptor/);
    expect(() => parseIdpMetadata(xml.replace(/HTTP-Redirect" Location="[^"]*\/sso"/, 'SOAP" Location="x"'))).toThrow(
      /SingleSignOnService with the HTTP-Redirect/,
    );
    expect(() => parseIdpMetadata(`<!DOCTYPE x>${xml}`)).toThrow(/DOCTYPE/);
  });

  it('loads from a file or a URL, naming the source when it cannot', async () => {
    writeFileSync(path.join(dir, 'md.xml'), xml);
    expect(await loadIdpMetadata(path.join(dir, 'md.xml'))).toBe(xml);
    expect(await loadIdpMetadata(`${base}/ok`)).toBe(xml);
    await expect(loadIdpMetadata(path.join(dir, 'none.xml'))).rejects.toThrow(/none\.xml \(SAML_IDP_METADATA\)/);
    await expect(loadIdpMetadata(`${base}/missing`)).rejects.toThrow(new RegExp(`${base}/missing .*HTTP 404`));
    await expect(loadIdpMetadata(`${base}/slow`, { timeoutMs: 200 })).rejects.toThrow(/no answer within 0.2 s/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(loadIdpMetadata(`http://127.0.0.1:${port}/md`)).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}/md .*ECONNREFUSED`));
  });
});
