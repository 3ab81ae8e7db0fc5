import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadConfig } from '../../service/config.js';
import { createDemoIdp } from '../../service/demo/demo-idp.js';
import { startService, type RunningService } from '../support/service.js';
import { readDemoStaffCredentials } from '../support/staff.js';
import { expectAccessible, signInWithMail } from './support.js';

/**
 * Every screen, in Japanese and in English, at this project's size (phone 375 × 812, kiosk
 * 1920 × 1080): axe-core finds no violation. A demo service of this file's own (students, orders and
 * the console), and a fresh install that is not open yet.
 */
let demo: RunningService;
let closed: RunningService;
let work: string;

test.beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'shomei-a11y-'));
  demo = await startService();
  // A production install before setup: some other IdP's metadata, nothing entered yet.
  const other = await createDemoIdp(loadConfig({ DATA_DIR: path.join(work, 'idp'), PUBLIC_URL: 'https://idp.other-university.example' }));
  writeFileSync(path.join(work, 'idp.xml'), other.metadataXml);
  closed = await startService({ DEMO: '0', SAML_IDP_METADATA: path.join(work, 'idp.xml') });
});
test.afterAll(async () => {
  await demo?.stop();
  await closed?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const LANGUAGES = ['ja', 'en'] as const;
type Language = (typeof LANGUAGES)[number];

/** Chooses the language as the LANG pull-down does (cookie, and the account's when signed in). */
async function useLanguage(page: Page, base: string, language: Language) {
  const session = await page.request.get(`${base}/api/session`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const res = await page.request.put(`${base}/api/language`, { headers: { 'X-CSRF-Token': csrfToken }, data: { language } });
  expect(res.status()).toBe(200);
}

/** Opens `url` and checks it once the screen's heading is there, in `language`. */
async function check(page: Page, url: string, language: Language) {
  await page.goto(url);
  await expect(page.locator('h1').first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expectAccessible(page);
}

test('every screen passes axe in Japanese and in English', async ({ page }) => {
  test.setTimeout(420_000);
  const base = demo.url;

  for (const language of LANGUAGES) {
    await test.step(`before setup (${language})`, async () => {
      await useLanguage(page, closed.url, language);
      await check(page, `${closed.url}/login`, language);
      await expect(page).toHaveURL(/\/not-open$/);
      await check(page, `${closed.url}/manual`, language);
    });

    await test.step(`public screens (${language})`, async () => {
      await page.context().clearCookies();
      await useLanguage(page, base, language);
      for (const screen of ['/login', '/verify', '/store', '/graduates/apply', '/graduates/forgot', '/no-such-page', '/admin/login'])
        await check(page, `${base}${screen}`, language);
      await check(page, `${base}/demo-idp?lang=${language}`, language);
    });
  }

  await test.step('a student’s screens', async () => {
    await page.context().clearCookies();
    await signInWithMail(page, base, '山田 太郎', `a11y.${test.info().project.name}@example.jp`, 'ja');
    const session = await page.request.get(`${base}/api/session`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const placed = await page.request.post(`${base}/api/certificates/orders`, {
      headers: { 'X-CSRF-Token': csrfToken },
      data: { studentId: '2101001', destination: 'convenience', items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] },
    });
    expect(placed.status()).toBe(201);
    const order = (await placed.json()) as { id: string };
    for (const language of LANGUAGES) {
      await useLanguage(page, base, language);
      for (const screen of ['/home', '/mail/change', '/applications/student-id/notes', `/certificates/orders/${order.id}`, '/manual'])
        await check(page, `${base}${screen}`, language);
      // The issue form, then its confirmation (an in-page step).
      await check(page, `${base}/certificates/new?destination=convenience`, language);
      const copies = page.getByTestId('issue-copies-enrollment-ja');
      await copies.fill('1');
      await copies.blur();
      await page.getByTestId('issue-check').click();
      await expect(page.getByTestId('issue-apply')).toBeVisible();
      await expectAccessible(page);
    }
  });

  await test.step('the staff console', async () => {
    const { password } = readDemoStaffCredentials(demo.dataDir).admin!;
    await page.goto(`${base}/admin/login`);
    await page.getByTestId('admin-username').fill('admin');
    await page.getByTestId('admin-password').fill(password);
    await page.getByTestId('admin-login-button').click();
    await expect(page).toHaveURL(/\/admin$/);
    const issued = await demo.deps.certificates.store.certificates.search({ limit: 1 });
    const number = issued.items[0]!.number;
    for (const language of LANGUAGES) {
      await useLanguage(page, base, language);
      for (const screen of [
        '/admin',
        '/admin/institution',
        '/admin/certificate-types',
        '/admin/certificates',
        `/admin/certificates/${number}`,
        '/admin/mail-orders',
        '/admin/registry',
        '/admin/audit',
        '/admin/staff',
      ]) {
        await check(page, `${base}${screen}`, language);
      }
    }
  });
});
