import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { selfSigned } from '../support/keys.js';
import { encodeRgbaPng } from '../../service/adapters/images/png.js';
import { startBuiltService, stopBuiltService } from '../support/built-service.js';
import { signingKeyEnv } from '../support/institution.js';
import { findPixels, overlaps, rasterize, textLines } from '../support/poppler.js';
import { freePort } from '../support/ports.js';
import { studentRow, studentsCsv } from '../support/registry-fixtures.js';
import { startSimpleSamlPhp, type RunningSimpleSamlPhp } from '../support/simplesamlphp.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { ApiClient, runStaffCli } from '../support/staff.js';
import { expectAccessible, oneTimeUrl, signInAtSimpleSamlPhp, snap } from './support.js';

/**
 * A fresh production install, as a new university meets it: DEMO=0, its own SimpleSAMLphp IdP,
 * a real SMTP relay, its own registry, seal and people. Closed to students until an administrator
 * made with the CLI has completed the checklist in the console and the signing key is configured;
 * then a student orders and prints, and every header, mail, page and the PDF name this university
 * only — never the demo's.
 */

const UNIVERSITY = {
  name: { ja: '湖北学芸大学', en: 'Kohoku Gakugei University' },
  shortName: { ja: '湖北学芸大', en: 'Kohoku Gakugei' },
  officer: { title: { ja: '学長', en: 'President' }, name: { ja: '桜井 直樹', en: 'Naoki Sakurai' } },
  office: { ja: '教務課 証明書担当', en: 'Academic Affairs Office, Certificates' },
  phone: '0749-20-1234',
  mail: 'kyomu@kohoku-gakugei.example',
  hours: { ja: '月〜金 9:00〜16:30', en: 'Mon–Fri 9:00–16:30' },
  web: 'https://www.kohoku-gakugei.example/shomei',
};
const STUDENT = {
  username: 'aoki.haruka',
  password: 'Kohoku-pw-2026!',
  id: 'KG22A0418',
  kanji: '青木 遥',
  roman: 'Haruka Aoki',
  mail: 'haruka.aoki@mail.kohoku-gakugei.example',
};
const ADMIN = { username: 'kyomu-admin', password: 'kohoku-console-2026' };
const NOT_DEMO = /デモ|Demo/;

/** A round vermilion seal (朱印) on white paper, as a scanned PNG of 320 × 320. */
function scannedSealPng(): Buffer {
  const size = 320;
  const rgba = new Uint8Array(size * size * 4).fill(255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size / 2, y - size / 2);
      if ((r > 128 && r < 150) || (r < 60 && Math.abs(x - y) < 14)) rgba.set([214, 40, 30, 255], (y * size + x) * 4);
    }
  }
  return Buffer.from(encodeRgbaPng(rgba, size, size));
}

const textOf = (mail: ParsedMail) => `${mail.subject ?? ''}\n${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html : ''}`;

/** Everything the page shows, and its HTML, never names the demo. */
async function expectNoDemo(page: Page) {
  expect(await page.locator('body').innerText()).not.toMatch(NOT_DEMO);
  expect(await page.content()).not.toMatch(NOT_DEMO);
}

test.describe('a fresh install set up entirely from the console', () => {
  let work: string;
  let dataDir: string;
  let base: string;
  let port: number;
  let smtp: TestSmtpServer;
  let idp: RunningSimpleSamlPhp;
  let service: ChildProcess | null = null;
  let env: Record<string, string>;

  test.beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'shomei-fresh-'));
    dataDir = path.join(work, 'data');
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const sp = await selfSigned('shomei.kohoku-gakugei.example');
    writeFileSync(path.join(work, 'sp-key.pem'), sp.key, { mode: 0o600 });
    writeFileSync(path.join(work, 'sp-cert.pem'), sp.cert);
    smtp = await startSmtpServer({ user: 'relay', pass: 'relay-secret' });
    idp = await startSimpleSamlPhp({
      users: [
        {
          username: STUDENT.username,
          password: STUDENT.password,
          attributes: {
            'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': [`${STUDENT.username}@kohoku-gakugei.example`],
            'urn:oid:0.9.2342.19200300.100.1.3': [STUDENT.mail],
            'urn:oid:1.3.6.1.4.1.32264.1.1.3': [STUDENT.kanji],
            'urn:oid:2.16.840.1.113730.3.1.241': [STUDENT.roman],
            'urn:oid:1.3.6.1.4.1.32264.1.1.11': [STUDENT.id],
          },
        },
      ],
      sp: { entityId: `${base}/saml/metadata`, acsUrl: `${base}/saml/acs`, sloUrl: `${base}/saml/logout`, certPem: sp.cert },
    });
    env = {
      PORT: String(port),
      PUBLIC_URL: base,
      DATA_DIR: dataDir,
      DEMO: '0',
      SAML_IDP_METADATA: idp.metadataUrl,
      SAML_SP_KEY: path.join(work, 'sp-key.pem'),
      SAML_SP_CERT: path.join(work, 'sp-cert.pem'),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'shomei@kohoku-gakugei.example',
    };
    service = await startBuiltService(env);
  });

  test.afterAll(async () => {
    if (service) await stopBuiltService(service);
    await idp?.stop();
    await smtp?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('students wait on "not open yet" until the administrator has completed the checklist; then they order and print certificates of this university only', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);

    await test.step('before setup, students see the service is not open yet, in Japanese and English', async () => {
      await page.goto(`${base}/login`);
      await expect(page).toHaveURL(/\/not-open$/);
      await expect(page.getByTestId('not-open')).toContainText('このサービスはまだ利用を開始していません');
      await expectAccessible(page);
      await snap(page, testInfo, 'fresh-01-not-open-ja');
      await page.getByTestId('lang-select').selectOption({ label: 'LANG:English' });
      await expect(page.getByTestId('not-open')).toContainText('This service has not opened yet');
      await expectAccessible(page);
      await expectNoDemo(page);
      await page.getByTestId('lang-select').selectOption({ label: 'LANG:日本語' });
      // Going to the IdP directly lands there too.
      await page.goto(`${base}/saml/login`);
      await expect(page).toHaveURL(/\/not-open$/);
    });

    await test.step('an administrator made with the CLI signs in and the front page lists exactly what is missing', async () => {
      const made = await runStaffCli(
        ['create-user', '--username', ADMIN.username, '--role', 'administrator', '--display-name', '教務 管理者', '--password-stdin'],
        {
          dataDir,
          stdin: `${ADMIN.password}\n`,
        },
      );
      expect(made.code, made.stderr).toBe(0);
      await page.goto(`${base}/admin/login`);
      await expectNoDemo(page);
      await page.getByTestId('admin-username').fill(ADMIN.username);
      await page.getByTestId('admin-password').fill(ADMIN.password);
      await page.getByTestId('admin-login-button').click();
      await expect(page).toHaveURL(/\/admin$/);
      for (const item of ['profile', 'seal', 'certificateType', 'signingKey']) {
        await expect(page.getByTestId(`setup-item-${item}`)).toBeVisible();
        await expect(
          page
            .getByTestId(`setup-fix-${item}`)
            .or(page.getByTestId(`setup-detail-${item}`))
            .first(),
        ).toBeVisible();
      }
      await expect(page.getByTestId('setup-open')).toHaveCount(0);
      await expectAccessible(page);
      await snap(page, testInfo, 'fresh-02-checklist');
    });

    await test.step('大学情報 with the seal and the logo, entered in the console', async () => {
      await page.getByTestId('setup-fix-profile').click();
      await expect(page.getByRole('heading', { level: 1, name: '大学情報' })).toBeVisible();
      const fields: Record<string, string> = {
        'name.ja': UNIVERSITY.name.ja,
        'name.en': UNIVERSITY.name.en,
        'shortName.ja': UNIVERSITY.shortName.ja,
        'shortName.en': UNIVERSITY.shortName.en,
        'officer.title.ja': UNIVERSITY.officer.title.ja,
        'officer.title.en': UNIVERSITY.officer.title.en,
        'officer.name.ja': UNIVERSITY.officer.name.ja,
        'officer.name.en': UNIVERSITY.officer.name.en,
        'contact.office.ja': UNIVERSITY.office.ja,
        'contact.office.en': UNIVERSITY.office.en,
        'contact.phone': UNIVERSITY.phone,
        'contact.mail': UNIVERSITY.mail,
        'contact.hours.ja': UNIVERSITY.hours.ja,
        'contact.hours.en': UNIVERSITY.hours.en,
        'contact.webUrl': UNIVERSITY.web,
      };
      for (const [field, value] of Object.entries(fields)) await page.getByTestId(`inst-${field}`).fill(value);
      await page.getByTestId('institution-save').click();
      await expect(page.getByTestId('institution-saved')).toBeVisible();

      await page.getByTestId('image-seal-file').setInputFiles({ name: 'gakucho-in.png', mimeType: 'image/png', buffer: scannedSealPng() });
      await page.getByTestId('image-seal-upload').click();
      await expect(page.getByTestId('image-seal-preview')).toBeVisible();
      await page.getByTestId('image-logo-file').setInputFiles({
        name: 'logo.svg',
        mimeType: 'image/svg+xml',
        buffer: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#0b5d3b"/><path d="M14 46 L32 14 L50 46 Z" fill="#f2f2e9"/></svg>',
        ),
      });
      await page.getByTestId('image-logo-upload').click();
      await expect(page.getByTestId('image-logo-preview')).toBeVisible();
      await expectAccessible(page);
      await snap(page, testInfo, 'fresh-03-institution');
    });

    await test.step('the usual certificate types from the template, in the catalogue', async () => {
      await page.getByTestId('admin-nav-certificate-types').click();
      await page.getByTestId('types-load-template').click();
      await expect(page.getByTestId('type-row-enrollment')).toBeVisible();
      await expect(page.getByTestId('type-row-transcript')).toBeVisible();
      await expectAccessible(page);
    });

    await test.step('only the signing key is left; configured on the server, the checklist says the service is open', async () => {
      await page.goto(`${base}/admin`);
      await expect(page.getByTestId('setup-state-signingKey')).toBeVisible();
      for (const done of ['profile', 'seal', 'certificateType']) await expect(page.getByTestId(`setup-fix-${done}`)).toHaveCount(0);
      await expect(page.getByTestId('setup-detail-signingKey')).toContainText('CERT_SIGNING_KEY');
      await snap(page, testInfo, 'fresh-04-checklist-key-missing');

      // IT configures the university's key and certificate (naming the institution) and restarts.
      await stopBuiltService(service!);
      service = await startBuiltService({ ...env, ...(await signingKeyEnv(work, UNIVERSITY.name.en)) });
      await page.reload();
      await expect(page.getByTestId('setup-open')).toBeVisible();
      await expectNoDemo(page);
      await expect(page.getByTestId('institution-name')).toHaveText(UNIVERSITY.shortName.ja);
      await snap(page, testInfo, 'fresh-05-open');

      // This university's registry (imported as staff do).
      const api = new ApiClient(base);
      expect((await api.staffLogin(ADMIN.username, ADMIN.password)).status).toBe(200);
      const csv = studentsCsv([
        studentRow({
          student_id: STUDENT.id,
          name_kanji: STUDENT.kanji,
          name_kana: 'アオキ ハルカ',
          name_roman: STUDENT.roman,
          birth_date: '2003-10-09',
          university_code: 'KGU',
          university_ja: UNIVERSITY.name.ja,
          university_en: UNIVERSITY.name.en,
          faculty_code: 'EDU',
          faculty_ja: '教育学部',
          faculty_en: 'Faculty of Education',
          department_code: 'ART',
          department_ja: '美術教育専攻',
          department_en: 'Art Education Course',
          enrollment_date: '2022-04-01',
          status: 'enrolled',
          graduation_date: '2026-03-25',
          degree_ja: '',
          degree_en: '',
        }),
      ]);
      const raw = (body: string) => ({ raw: { bytes: new TextEncoder().encode(body), type: 'text/csv' } });
      const preview = await api.call('POST', '/api/admin/registry/import/preview?kind=students', raw(csv));
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect((await api.call('POST', `/api/admin/registry/import/commit?kind=students&previewHash=${preview.body.hash}`, raw(csv))).status).toBe(200);
    });

    await test.step('a student signs in at the university IdP, registers a mail address, and sees this university', async () => {
      await page.context().clearCookies();
      await page.goto(`${base}/login`);
      await expect(page.getByTestId('institution-name')).toHaveText(UNIVERSITY.shortName.ja);
      await expect(page.getByTestId('institution-contact')).toContainText(UNIVERSITY.phone);
      await expectNoDemo(page);
      await page.getByTestId('login-button').click();
      await signInAtSimpleSamlPhp(page, STUDENT.username, STUDENT.password, idp.baseUrl);
      await expect(page).toHaveURL(/\/mail\/register/);
      const since = Date.now();
      await page.getByTestId('mail-input').fill(STUDENT.mail);
      await page.getByTestId('mail-confirm-input').fill(STUDENT.mail);
      await page.getByTestId('submit-button').click();
      await expect(page).toHaveURL(/\/mail\/sent/);
      const mail = await smtp.waitForMail(STUDENT.mail, { since });
      expect(textOf(mail)).toContain(`${UNIVERSITY.name.ja} 証明書発行サービス`);
      expect(textOf(mail)).toContain(UNIVERSITY.phone);
      expect(textOf(mail)).not.toMatch(NOT_DEMO);
      await page.goto(oneTimeUrl(mail));
      await page.getByTestId('confirm-button').click();
      await page.getByTestId('move-to-login').click();
      await page.getByTestId('login-button').click();
      await expect(page).toHaveURL(/\/home/);
      await expectNoDemo(page);
    });

    let number = '';
    await test.step('the student orders an enrollment certificate for the convenience store; the reservation mail names this university', async () => {
      const since = Date.now();
      await page.getByTestId('destination-convenience').click();
      await expect(page.getByTestId('issue-student')).toHaveText(STUDENT.id);
      const copies = page.getByTestId('issue-copies-enrollment-ja');
      await copies.fill('1');
      await copies.blur();
      await page.getByTestId('issue-check').click();
      await page.getByTestId('issue-apply').click();
      const shown = page.getByTestId('reservation-number');
      await expect(shown).toBeVisible();
      number = (await shown.getAttribute('data-number'))!;
      await expectNoDemo(page);
      await snap(page, testInfo, 'fresh-06-reserved');
      const mail = await smtp.waitForMail(STUDENT.mail, { since });
      expect(textOf(mail)).toContain(number);
      expect(textOf(mail)).toContain(UNIVERSITY.office.ja);
      expect(textOf(mail)).not.toMatch(NOT_DEMO);
    });

    let pdfFile = '';
    await test.step('printed at the store: the store page and the signed PDF name this university, and the seal shows on the page', async () => {
      await page.goto(`${base}/store`);
      await expect(page.getByTestId('institution-name')).toHaveText(UNIVERSITY.shortName.ja);
      await page.getByTestId('store-number').fill(number);
      await page.getByTestId('store-next').click();
      await page.getByTestId('store-print').click();
      await expect(page.getByTestId('store-step-done')).toBeVisible();
      await expectNoDemo(page);
      // The terminal hands over documents it already holds (claim → documents → confirm): a download, not a link to the service.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('store-output-download').first().click()]);
      pdfFile = path.join(work, 'certificate.pdf');
      await download.saveAs(pdfFile);
      expect(readFileSync(pdfFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      expect(text).toContain(UNIVERSITY.name.ja);
      expect(text).toContain(UNIVERSITY.officer.name.ja);
      expect(text).toContain(STUDENT.kanji);
      expect(text).not.toMatch(NOT_DEMO);
      const info = execFileSync('pdfsig', [pdfFile], { encoding: 'utf8' });
      expect(info).toContain(`Signer Certificate Common Name: ${UNIVERSITY.name.en}`);
      expect(info).toContain('Signature is Valid');
      // Rendered: the uploaded seal's vermilion stands over the officer's name (nothing else on a certificate is red; no 公印 box).
      expect(text).not.toContain('公印');
      const seal = findPixels(rasterize(pdfFile, { dpi: 72, color: true, out: path.join(work, 'render') }), (r, g, b) => r > 150 && g < 110 && b < 110);
      expect(seal.count).toBeGreaterThan(300);
      const officer = textLines(pdfFile, 1).find((line) => line.text.replace(/\s/g, '').endsWith(UNIVERSITY.officer.name.ja.replace(/\s/g, '')))!;
      expect(overlaps(seal.box!, officer.box)).toBe(true);
      // Kept for people to look at; the folder may not exist yet when the browser suite runs on its own.
      const kept = path.join('artifacts', 'pdf');
      mkdirSync(kept, { recursive: true });
      execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '1', '-singlefile', pdfFile, path.join(kept, `fresh-install-${testInfo.project.name}`)]);
    });

    await test.step('/verify names this university and says the certificate is valid', async () => {
      const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' });
      const certificateNumber = /SHM-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(text)![0];
      const code = /(?:照合コード|Verification code)[:：]\s*([A-Z0-9-]+)/.exec(text)![1]!;
      await page.goto(`${base}/verify`);
      await page.getByTestId('verify-field-number').fill(certificateNumber);
      await page.getByTestId('verify-field-code').fill(code);
      await page.getByTestId('verify-submit').click();
      await expect(page.getByTestId('verify-status')).toHaveText('有効');
      await expect(page.getByTestId('verify-issuer')).toContainText(UNIVERSITY.name.ja);
      await expect(page.getByTestId('verify-holder')).toContainText('青木');
      await expectNoDemo(page);
      await expectAccessible(page);
      await snap(page, testInfo, 'fresh-07-verify');
    });
  });
});
