import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SAML_ATTRIBUTES, defaultPdfWorkers, loadConfig } from '../../service/config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('configuration contract', () => {
  it('with no variables runs the demo on port 3000 with eduPerson attribute names', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.demo).toBe(true);
    expect(c.saml.entityId).toBe('http://localhost:3000/saml/metadata');
    expect(c.saml.acsUrl).toBe('http://localhost:3000/saml/acs');
    expect(c.saml.attributes.userId).toBe('urn:oid:1.3.6.1.4.1.5923.1.1.1.6');
    expect(c.saml.attributes.mail).toBe('urn:oid:0.9.2342.19200300.100.1.3');
    expect(c.mail.smtpUrl).toBeNull();
    expect(c.secureCookies).toBe(false);
  });

  it('renders certificates on one worker per core, on the main thread with one core, unless PDF_WORKERS says otherwise (0: the main thread)', () => {
    expect(loadConfig({}).pdfWorkers).toBe(defaultPdfWorkers(os.availableParallelism()));
    expect([1, 2, 8].map(defaultPdfWorkers)).toEqual([0, 2, 8]);
    expect(loadConfig({ PDF_WORKERS: '0' }).pdfWorkers).toBe(0);
    expect(loadConfig({ PDF_WORKERS: '3' }).pdfWorkers).toBe(3);
    expect(problemsOf({ PDF_WORKERS: 'many' }).join('\n')).toMatch(/PDF_WORKERS/);
    expect(problemsOf({ PDF_WORKERS: '-1' }).join('\n')).toMatch(/PDF_WORKERS: must be 0–64/);
  });

  it('derives the SAML endpoints and cookie security from PUBLIC_URL', () => {
    const c = loadConfig({ PUBLIC_URL: 'https://cert.example.ac.jp/', SAML_IDP_METADATA: '/etc/idp.xml' });
    expect(c.saml.acsUrl).toBe('https://cert.example.ac.jp/saml/acs');
    expect(c.secureCookies).toBe(true);
    expect(c.demo).toBe(false);
  });

  it('merges SAML_ATTRIBUTES over the defaults', () => {
    const c = loadConfig({ SAML_ATTRIBUTES: JSON.stringify({ studentId: 'studentNumber', mail: 'email' }) });
    expect(c.saml.attributes.studentId).toBe('studentNumber');
    expect(c.saml.attributes.mail).toBe('email');
    expect(c.saml.attributes.nameKanji).toBe(DEFAULT_SAML_ATTRIBUTES.nameKanji);
  });

  it('names every bad value in one clear message', () => {
    const problems = problemsOf({ PORT: 'eighty', PUBLIC_URL: 'ftp://x', SMTP_URL: 'mail.example' });
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/PUBLIC_URL/);
    expect(problems.join('\n')).toMatch(/SMTP_URL/);
  });

  it('refuses SAML_ATTRIBUTES that is not JSON or names an unknown field', () => {
    expect(problemsOf({ SAML_ATTRIBUTES: '{mail:' })[0]).toMatch(/SAML_ATTRIBUTES: must be a JSON object/);
    expect(problemsOf({ SAML_ATTRIBUTES: '{"email":"x"}' })[0]).toMatch(/unknown field "email"/);
  });

  it('refuses production without a real IdP, and half an SP key pair', () => {
    expect(problemsOf({ NODE_ENV: 'production' })[0]).toMatch(/SAML_IDP_METADATA: required when NODE_ENV=production/);
    expect(problemsOf({ SAML_SP_KEY: '/k.pem' })[0]).toMatch(/set both or neither/);
  });

  it('takes the time-stamping authority from TSA_URL and its CA from TSA_CA_FILE, which needs TSA_URL', () => {
    expect(loadConfig({}).certificates).toMatchObject({ timestampUrl: null, timestampCaFile: null });
    expect(loadConfig({ TSA_URL: 'https://tsa.example.jp/tsr', TSA_CA_FILE: '/etc/tsa-ca.pem' }).certificates).toMatchObject({
      timestampUrl: 'https://tsa.example.jp/tsr',
      timestampCaFile: '/etc/tsa-ca.pem',
    });
    expect(problemsOf({ TSA_URL: 'tsa.example.jp' })[0]).toMatch(/TSA_URL: must be an http:\/\/ or https:\/\/ URL/);
    expect(problemsOf({ TSA_CA_FILE: '/etc/tsa-ca.pem' })[0]).toMatch(/TSA_CA_FILE: only with TSA_URL/);
  });

  it('checks DATABASE_URL and DATABASE_POOL_MAX, and never repeats the password in a refusal', () => {
    const refused = problemsOf({ DATABASE_URL: 'mysql://shomei:s3cret-pw@db/shomei', DATABASE_POOL_MAX: '1' });
    expect(refused).toEqual([expect.stringContaining('DATABASE_URL: must be a postgres:// URL'), expect.stringContaining('DATABASE_POOL_MAX: must be 4–100')]);
    expect(refused.join('\n')).not.toContain('s3cret-pw');
    expect(loadConfig({ DATABASE_URL: 'postgres://shomei:pw@db.example.ac.jp/shomei' }).database).toEqual({
      url: 'postgres://shomei:pw@db.example.ac.jp/shomei',
      poolMax: 10,
    });
    expect(loadConfig({}).database).toBeNull();
  });
});
