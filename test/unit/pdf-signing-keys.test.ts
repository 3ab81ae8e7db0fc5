import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../service/config.js';
import { generateSigningKeys, loadSigningKeys, signingIdentityOf, SIGNING_CERT_FILE, SIGNING_KEY_FILE } from '../../service/adapters/pdf/signing-keys.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-signing-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('generateSigningKeys', () => {
  it('makes an RSA key with a self-signed certificate for the university, for signing only, valid 5 years', async () => {
    const now = new Date('2026-04-01T00:00:00Z');
    const keys = await generateSigningKeys({ commonName: 'Demo University', keySize: 2048, now });
    const x509 = new X509Certificate(keys.certPem);
    expect(x509.subject).toContain('CN=Demo University');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x509.ca).toBe(false);
    expect(new Date(x509.validTo).getTime() - now.getTime()).toBeGreaterThan(5 * 365 * 24 * 3600e3 - 24 * 3600e3);
    expect(new Date(x509.validTo).getUTCFullYear()).toBe(2031);
    const cert = forge.pki.certificateFromPem(keys.certPem);
    const usage = cert.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean; keyCertSign?: boolean };
    expect(usage).toMatchObject({ digitalSignature: true, nonRepudiation: true, keyCertSign: false });
    expect(keys.chainPems).toEqual([]);
  });

  it('uses a 3072-bit key unless told otherwise', async () => {
    const keys = await generateSigningKeys({ commonName: 'Demo University' });
    expect(new X509Certificate(keys.certPem).publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it('refuses a non-ASCII subject', async () => {
    await expect(generateSigningKeys({ commonName: 'デモ大学', keySize: 2048 })).rejects.toThrow(/ASCII/);
  });
});

describe('loadSigningKeys', () => {
  it('generates the pair into DATA_DIR on first start (demo mode) and reuses it afterwards', async () => {
    const config = loadConfig({ DATA_DIR: dir });
    const first = await loadSigningKeys(config, { commonName: 'Hokushin Institute of Technology', keySize: 2048 });
    expect(first?.source).toBe('generated');
    expect(statSync(path.join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await loadSigningKeys(config, { commonName: 'Hokushin Institute of Technology', keySize: 2048 });
    expect(again).toEqual(first);
    expect(signingIdentityOf(again!)).toMatchObject({ source: 'generated', names: ['Hokushin Institute of Technology', 'Hokushin Institute of Technology'] });
  });

  it('gives no key at all outside demo mode when none is configured, even if an old generated pair lies in DATA_DIR', async () => {
    const config = loadConfig({ DATA_DIR: dir });
    await loadSigningKeys(config, { commonName: 'Old Demo', keySize: 2048 });
    expect(await loadSigningKeys(config, null)).toBeNull();
  });

  it('refuses to make a new identity when one of the two files is missing', async () => {
    const config = loadConfig({ DATA_DIR: dir });
    await loadSigningKeys(config, { commonName: 'Demo University', keySize: 2048 });
    unlinkSync(path.join(dir, SIGNING_CERT_FILE));
    await expect(loadSigningKeys(config, { commonName: 'Demo University', keySize: 2048 })).rejects.toThrow(/missing/);
  });

  it('reads configured PEM files, with the chain after the leaf certificate', async () => {
    const leaf = await generateSigningKeys({ commonName: 'Registrar', keySize: 2048 });
    const ca = await generateSigningKeys({ commonName: 'Some CA', keySize: 2048 });
    writeFileSync(path.join(dir, 'key.pem'), leaf.keyPem);
    writeFileSync(path.join(dir, 'cert.pem'), leaf.certPem + ca.certPem);
    const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), CERT_SIGNING_KEY: path.join(dir, 'key.pem'), CERT_SIGNING_CERT: path.join(dir, 'cert.pem') });
    expect(config.certificates).toEqual({
      signingKeyFile: path.join(dir, 'key.pem'),
      signingCertFile: path.join(dir, 'cert.pem'),
      timestampUrl: null,
      timestampCaFile: null,
    });
    const loaded = await loadSigningKeys(config, null);
    expect(loaded?.source).toBe('configured');
    const keys = loaded!.keys;
    expect(keys.keyPem).toBe(leaf.keyPem);
    expect(new X509Certificate(keys.certPem).subject).toContain('CN=Registrar');
    expect(keys.chainPems.map((p) => new X509Certificate(p).subject)).toEqual([expect.stringContaining('CN=Some CA')]);
    expect(signingIdentityOf(loaded!)).toMatchObject({ source: 'configured', names: ['Registrar', 'Registrar'] });
  });

  it('refuses configured files whose certificate belongs to another key', async () => {
    const a = await generateSigningKeys({ commonName: 'A', keySize: 2048 });
    const b = await generateSigningKeys({ commonName: 'B', keySize: 2048 });
    writeFileSync(path.join(dir, 'key.pem'), a.keyPem);
    writeFileSync(path.join(dir, 'cert.pem'), b.certPem);
    const config = loadConfig({ DATA_DIR: dir, CERT_SIGNING_KEY: path.join(dir, 'key.pem'), CERT_SIGNING_CERT: path.join(dir, 'cert.pem') });
    await expect(loadSigningKeys(config, null)).rejects.toThrow(/does not belong/);
  });
});

describe('the signing key configuration', () => {
  it('is null for both files when unset', () => {
    expect(loadConfig({ DATA_DIR: dir }).certificates).toEqual({ signingKeyFile: null, signingCertFile: null, timestampUrl: null, timestampCaFile: null });
  });

  it('wants CERT_SIGNING_KEY and CERT_SIGNING_CERT together', () => {
    expect(() => loadConfig({ DATA_DIR: dir, CERT_SIGNING_KEY: '/x/key.pem' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dir, CERT_SIGNING_CERT: '/x/cert.pem' })).toThrow(/CERT_SIGNING_KEY and CERT_SIGNING_CERT/);
  });
});
