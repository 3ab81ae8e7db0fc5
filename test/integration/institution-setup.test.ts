import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRgbaPng } from '../../service/adapters/images/png.js';
import { loadConfig } from '../../service/config.js';
import { createDemoIdp } from '../../service/demo/demo-idp.js';
import { loadCertificateTypes } from '../../service/adapters/files/certificate-types.js';
import { signingKeyEnv, TEST_INSTITUTION, TEST_SEAL_SVG } from '../support/institution.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { ApiClient, runStaffCli } from '../support/staff.js';
import { databaseEnv } from '../support/service-database.js';

/** A small, well-formed PNG whose header claims `width` × `height` pixels (a decompression bomb's shape). */
function pngClaiming(width: number, height: number): Uint8Array {
  const png = Buffer.from(encodeRgbaPng(new Uint8Array(4).fill(200), 1, 1));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return new Uint8Array(png);
}

/**
 * A fresh production install (DEMO=0, a real IdP's metadata, SMTP): closed to students until an
 * administrator has entered 大学情報 with its seal, an active certificate type exists and the
 * configured signing certificate names the institution.
 */
describe('setting up a fresh install', () => {
  let work: string;
  let dataDir: string;
  let metadataFile: string;
  let smtp: TestSmtpServer;
  let svc: RunningService | null = null;
  let logLines: Array<Record<string, unknown>> = [];
  // Every restart on the same data: DATA_DIR, and the same database when the tests run on PostgreSQL.
  let database: Record<string, string> = {};

  const start = async (extra: Record<string, string> = {}) => {
    await svc?.stop();
    logLines = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    svc = await startService(
      { ...database, DATA_DIR: dataDir, DEMO: '0', SAML_IDP_METADATA: metadataFile, SMTP_URL: smtp.url, MAIL_FROM: 'shomei@hokushin-tech.example', ...extra },
      { logger },
    );
    return svc;
  };
  const admin = async () => {
    const api = new ApiClient(svc!.url);
    expect((await api.staffLogin('kanri', 'kanri-password-2026')).status).toBe(200);
    return api;
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'shomei-setup-'));
    dataDir = path.join(work, 'data');
    database = await databaseEnv({});
    // Some other IdP's metadata (a demo IdP of another host): the service only needs it to start.
    const other = await createDemoIdp(loadConfig({ DATA_DIR: path.join(work, 'idp'), PUBLIC_URL: 'https://idp.hokushin-tech.example' }));
    metadataFile = path.join(work, 'idp-metadata.xml');
    writeFileSync(metadataFile, other.metadataXml);
    smtp = await startSmtpServer();
    await start();
    for (const [username, role] of [
      ['kanri', 'administrator'],
      ['shinsa', 'reviewer'],
    ]) {
      const made = await runStaffCli(['create-user', '--username', username!, '--role', role!, '--password-stdin'], {
        dataDir,
        databaseUrl: database.DATABASE_URL,
        stdin: `${username}-password-2026\n`,
      });
      expect(made.code).toBe(0);
    }
  });

  afterAll(async () => {
    await svc?.stop();
    await smtp?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('is closed to students at first, says why in the log, and lists every missing item', async () => {
    expect(logLines.some((l) => l.level === 40 && String(l.msg).includes('CERT_SIGNING_KEY'))).toBe(true);
    const visitor = new ApiClient(svc!.url);
    const session = await visitor.get('/api/session');
    expect(session.body).toMatchObject({ open: false, institution: null, demo: false });
    // Nobody is sent to the IdP; the login screen shows the "not open yet" page.
    const login = await fetch(new URL('/saml/login', svc!.url), { redirect: 'manual' });
    expect([login.status, login.headers.get('location')]).toEqual([303, '/login']);
    visitor.csrfToken = session.body.csrfToken;
    const graduate = await visitor.post('/api/graduates/login', { mail: 'a@example.jp', password: 'x', secondPassword: 'y' });
    expect(graduate.status).toBe(503);
    expect(graduate.body.error.code).toBe('service.notOpen');

    const api = await admin();
    const setup = await api.get('/api/admin/setup');
    expect(setup.body).toEqual({
      open: false,
      items: [
        { code: 'profile', done: false, problem: 'missing' },
        { code: 'seal', done: false, problem: 'missing' },
        { code: 'certificateType', done: false, problem: 'missing' },
        { code: 'signingKey', done: false, problem: 'missing' },
      ],
      signingCertificate: null,
    });
  });

  it('refuses a profile with field codes and keeps nothing of it', async () => {
    const api = await admin();
    const bad = await api.call('PUT', '/api/admin/institution', {
      body: {
        ...TEST_INSTITUTION,
        name: { ja: ' ', en: 'Hokushin Institute of Technology' },
        contact: { ...TEST_INSTITUTION.contact, phone: 'call us', mail: 'office', webUrl: 'http://plain.example' },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({
      'name.ja': 'required',
      'contact.phone': 'institution.phoneInvalid',
      'contact.mail': 'institution.mailInvalid',
      'contact.webUrl': 'institution.urlInvalid',
    });
    expect((await api.get('/api/admin/institution')).body.profile).toBeNull();
  });

  it('lets a reviewer read but not change 大学情報', async () => {
    const reviewer = new ApiClient(svc!.url);
    await reviewer.staffLogin('shinsa', 'shinsa-password-2026');
    expect((await reviewer.get('/api/admin/institution')).status).toBe(200);
    expect((await reviewer.call('PUT', '/api/admin/institution', { body: TEST_INSTITUTION })).status).toBe(403);
    expect((await reviewer.call('PUT', '/api/admin/institution/seal', { raw: { bytes: TEST_SEAL_SVG, type: 'image/svg+xml' } })).status).toBe(403);
  });

  it('stores the profile with an audit entry, and refuses unusable seal images with a reason', async () => {
    const api = await admin();
    const saved = await api.call('PUT', '/api/admin/institution', { body: TEST_INSTITUTION });
    expect(saved.status).toBe(200);
    expect(saved.body.profile).toEqual(TEST_INSTITUTION);
    const audit = await api.get('/api/admin/audit?action=institution.profile.updated');
    expect(audit.body.items[0]).toMatchObject({ actor: { id: expect.any(String) }, before: null, after: { name: TEST_INSTITUTION.name } });

    const upload = (bytes: Uint8Array, type = 'application/octet-stream') => api.call('PUT', '/api/admin/institution/seal', { raw: { bytes, type } });
    const code = async (bytes: Uint8Array) => (await upload(bytes)).body.error.code;
    expect(await code(new TextEncoder().encode('GIF89a not a seal'))).toBe('institution.imageType');
    expect(await code(encodeRgbaPng(new Uint8Array(200 * 200 * 4), 200, 200))).toBe('institution.imageEmpty');
    expect(await code(encodeRgbaPng(new Uint8Array(20 * 20 * 4).fill(90), 20, 20))).toBe('institution.imageTooSmall');
    expect(await code(new TextEncoder().encode('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "x">]><svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'institution.imageInvalid',
    );
    expect(await code(encodeRgbaPng(new Uint8Array(200 * 200 * 4).fill(90), 200, 200).subarray(0, 60))).toBe('institution.imageInvalid');
    expect(await code(pngClaiming(20_000, 20_000))).toBe('institution.imageInvalid');
    const huge = await upload(new Uint8Array(3 * 1024 * 1024).fill(0x20));
    expect([huge.status, huge.body.error.code]).toEqual([413, 'institution.imageTooLarge']);
    expect((await api.get('/api/admin/institution')).body.seal).toBeNull();

    const seal = await upload(TEST_SEAL_SVG, 'image/svg+xml');
    expect(seal.status).toBe(200);
    expect(seal.body.seal).toMatchObject({ uploadedType: 'image/svg+xml', width: 600, height: 600 });
    // The seal is shown to staff only: it is what makes paper official.
    const cookie = [...api.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const image = await fetch(new URL(seal.body.seal.url, svc!.url), { headers: { cookie } });
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
    const anonymous = await fetch(new URL(seal.body.seal.url, svc!.url));
    expect(anonymous.status).toBe(401);
  });

  it('serves the logo to everyone under a versioned URL', async () => {
    const api = await admin();
    const logo = await api.call('PUT', '/api/admin/institution/logo', { raw: { bytes: TEST_SEAL_SVG, type: 'image/svg+xml' } });
    expect(logo.status).toBe(200);
    const session = await new ApiClient(svc!.url).get('/api/session');
    expect(session.body.institution.logoUrl).toBe(logo.body.logo.url);
    const res = await fetch(new URL(logo.body.logo.url, svc!.url));
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('stays closed with the types in place while the signing key is missing, then names a key of another institution', async () => {
    const api = await admin();
    for (const type of await loadCertificateTypes())
      expect((await api.call('PUT', `/api/admin/certificate-types/${type.code}`, { body: type })).status).toBe(200);
    expect((await api.get('/api/admin/setup')).body.items.filter((i: { done: boolean }) => !i.done)).toEqual([
      { code: 'signingKey', done: false, problem: 'missing' },
    ]);

    await start(await signingKeyEnv(work, 'Some Other College'));
    const setup = (await (await admin()).get('/api/admin/setup')).body;
    expect(setup.open).toBe(false);
    expect(setup.items.at(-1)).toEqual({ code: 'signingKey', done: false, problem: 'subjectMismatch' });
    expect(setup.signingCertificate).toMatchObject({ source: 'configured', subject: expect.stringContaining('CN=Some Other College') });
  });

  it('opens once the configured certificate names the institution; students go to the IdP and mails carry its name', async () => {
    await start(await signingKeyEnv(work));
    expect((await (await admin()).get('/api/admin/setup')).body.open).toBe(true);
    const visitor = new ApiClient(svc!.url);
    const session = await visitor.get('/api/session');
    expect(session.body).toMatchObject({ open: true, institution: { name: TEST_INSTITUTION.name, contact: TEST_INSTITUTION.contact } });
    const login = await fetch(new URL('/saml/login', svc!.url), { redirect: 'manual' });
    expect([login.status, new URL(login.headers.get('location')!).host]).toEqual([302, 'idp.hokushin-tech.example']);

    visitor.csrfToken = session.body.csrfToken;
    const since = Date.now();
    expect((await visitor.post('/api/graduates/apply', { mail: 'alumna@mail.example', mailConfirm: 'alumna@mail.example' })).status).toBe(200);
    const mail = await smtp.waitForMail('alumna@mail.example', { since });
    expect(mail.text).toContain('北辰工業大学 証明書発行サービス');
    expect(mail.text).toContain('011-555-0123');
    expect(mail.html).toContain('学生支援課 証明書窓口');
    expect(`${mail.subject} ${mail.text} ${mail.html}`).not.toMatch(/デモ|Demo/);
  });
});
