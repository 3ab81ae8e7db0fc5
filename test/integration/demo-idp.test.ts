import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../service/config.js';
import { assertDemoIdpAllowed, createDemoIdp, DEMO_USERS_FILE, type DemoUser } from '../../service/demo/demo-idp.js';
import { HttpBrowser, parseForms } from '../support/http-browser.js';
import { startService, type RunningService } from '../support/service.js';

const demoUsers = JSON.parse(readFileSync(DEMO_USERS_FILE, 'utf8')) as DemoUser[];

describe('the built-in demo IdP', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({});
  });
  afterAll(() => svc?.stop());

  it('signs a demo student in through a clearly labelled demo page', async () => {
    const browser = new HttpBrowser();
    const idpPage = await browser.get(`${svc.url}/saml/login?returnTo=/home`);
    expect(idpPage.url.startsWith(`${svc.url}/demo-idp/sso?SAMLRequest=`)).toBe(true);
    expect(idpPage.status).toBe(200);
    expect(idpPage.body).toContain('デモ用 IdP / Demo IdP — not a real university sign-in');
    for (const u of demoUsers) expect(idpPage.body).toContain(u.nameKanji);
    // Strict CSP: no inline scripts or styles.
    expect(idpPage.body).not.toMatch(/<script(?![^>]*\ssrc=)/i);
    expect(idpPage.body).not.toMatch(/\sstyle=|<style/i);

    const student = demoUsers[1]!;
    const index = parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === '1');
    const autopost = await browser.submit(idpPage, {}, index);
    expect(autopost.status).toBe(200);
    expect(autopost.body).toContain('<script src="/demo-idp/autopost.js"></script>');
    expect(autopost.body).toMatch(/<button type="submit">/);
    const form = parseForms(autopost.body, autopost.url)[0]!;
    expect(form.action).toBe(`${svc.url}/saml/acs`);

    const done = await browser.submit(autopost, {}, 0, { stopAt: (u) => new URL(u).pathname === '/mail/register' || new URL(u).pathname === '/login' });
    expect(done.trail.at(-1)).toBe(`${svc.url}/mail/register`);
    const me = await browser.request('GET', `${svc.url}/api/me`, { headers: { accept: 'application/json' } });
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ suggestedMail: student.mail, studentIds: [student.studentId] });
    const account = await svc.stores.store.accounts.findByIdentity(`${svc.url}/demo-idp/metadata`, student.eppn);
    expect(account).toMatchObject({ nameKanji: student.nameKanji, nameKana: student.nameKana, nameRoman: student.nameRoman, displayName: student.nameRoman });
  });

  it('explains itself at /demo-idp, lists every demo student and starts a sign-in from there', async () => {
    const browser = new HttpBrowser();
    for (const path of ['/demo-idp', '/demo-idp/']) {
      const page = await browser.get(`${svc.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html lang="ja">');
      expect(page.body).toContain('デモ用 IdP — 実在の大学の認証ではありません');
      for (const u of demoUsers) {
        expect(page.body).toContain(u.nameKanji);
        expect(page.body).toContain(u.studentId);
      }
      // The student with a graduate-school ID is pointed at 学籍番号追加登録.
      const graduate = demoUsers.find((u) => u.graduateStudentId)!;
      expect(page.body).toContain(`大学院の学籍番号 ${graduate.graduateStudentId}`);
      expect(page.body).toContain('href="/dev/mailbox/"');
      expect(page.body).toContain('<code>admin</code>（管理者）、<code>reviewer</code>（審査担当）');
      expect(page.body).toContain('<a href="/demo-idp?lang=en" hreflang="en" lang="en">English</a>');
      expect(page.body).not.toMatch(/<script|\sstyle=|<style/i);
    }
    const home = await browser.get(`${svc.url}/demo-idp`);
    const start = /<a class="start" href="([^"]+)">ログインを始める<\/a>/.exec(home.body)?.[1];
    expect(start).toBe('/saml/login');
    const chooser = await browser.get(`${svc.url}${start}`);
    expect(chooser.url.startsWith(`${svc.url}/demo-idp/sso?SAMLRequest=`)).toBe(true);
    expect(chooser.body).toContain('Choose the student to sign in as');
  });

  it('speaks English when asked by ?lang=en or by the language chosen in the service', async () => {
    const byQuery = await new HttpBrowser().get(`${svc.url}/demo-idp?lang=en`);
    const chosen = new HttpBrowser();
    chosen.setCookie(svc.url, 'shomei_lang', 'en');
    const byCookie = await chosen.get(`${svc.url}/demo-idp`);
    for (const page of [byQuery, byCookie]) {
      expect(page.body).toContain('<html lang="en">');
      expect(page.body).toContain('Demo IdP — not a real university sign-in');
      expect(page.body).toContain('Start signing in');
      expect(page.body).toContain(`<strong>${demoUsers[0]!.nameRoman}</strong> (<span lang="ja">${demoUsers[0]!.nameKanji}`);
      expect(page.body).toContain('<a href="/demo-idp?lang=ja" hreflang="ja" lang="ja">日本語</a>');
      expect(page.body).toContain('<code>admin</code> (administrator), <code>reviewer</code> (reviewer)');
    }
    // ?lang wins over the cookie, and anything else falls back to the cookie.
    expect((await chosen.get(`${svc.url}/demo-idp?lang=ja`)).body).toContain('<html lang="ja">');
    expect((await chosen.get(`${svc.url}/demo-idp?lang=fr`)).body).toContain('<html lang="en">');
  });

  it('serves its script, style sheet and metadata', async () => {
    const b = new HttpBrowser();
    const js = await b.request('GET', `${svc.url}/demo-idp/autopost.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await b.request('GET', `${svc.url}/demo-idp/demo-idp.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    const md = await b.request('GET', `${svc.url}/demo-idp/metadata`);
    expect(md.body).toContain('IDPSSODescriptor');
  });

  it('refuses an AuthnRequest that our SP did not sign', async () => {
    const b = new HttpBrowser();
    const login = await b.request('GET', `${svc.url}/saml/login`);
    const url = new URL(login.headers.get('location')!);
    url.searchParams.delete('Signature');
    const r = await b.request('GET', url.toString());
    expect(r.status).toBe(400);
    expect(r.body).toContain('Demo IdP');
  });

  it('refuses to run with SAML_IDP_METADATA set or in production', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-demo-guard-'));
    try {
      const withIdp = loadConfig({ DATA_DIR: dir, SAML_IDP_METADATA: 'https://idp.example.ac.jp/metadata', DEMO: '1' });
      expect(() => assertDemoIdpAllowed(withIdp)).toThrow(/SAML_IDP_METADATA/);
      await expect(createDemoIdp(withIdp)).rejects.toThrow(/SAML_IDP_METADATA/);
      const production = { ...loadConfig({ DATA_DIR: dir }), production: true };
      await expect(createDemoIdp(production)).rejects.toThrow(/NODE_ENV=production/);
      expect(() => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production' })).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not mounted when a real IdP is configured', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-demo-off-'));
    // Some other IdP's metadata: the demo IdP's own, from another data directory.
    const other = await createDemoIdp(loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'https://idp.example.ac.jp' }));
    const metadataFile = path.join(dir, 'idp-metadata.xml');
    writeFileSync(metadataFile, other.metadataXml);
    const real = await startService({ SAML_IDP_METADATA: metadataFile, DEMO: '1' });
    try {
      const b = new HttpBrowser();
      const login = await b.request('GET', `${real.url}/saml/login`);
      expect(login.headers.get('location')).toMatch(/^https:\/\/idp\.example\.ac\.jp\/demo-idp\/sso\?/);
      for (const path of ['/demo-idp', '/demo-idp/', '/demo-idp/sso']) {
        const page = await b.request('GET', `${real.url}${path}`);
        expect(page.status).toBe(404);
        expect(page.body).not.toContain('Demo IdP');
      }
    } finally {
      await real.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
