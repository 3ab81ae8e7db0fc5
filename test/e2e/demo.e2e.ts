import { expect, test } from '@playwright/test';
import { env, expectAccessible, mailboxRow, snap } from './support.js';

/** `npm start` with no configuration: the built-in demo IdP and the dev mailbox. */
test('in demo mode a demo student signs in at the demo IdP, registers a mail read at /dev/mailbox, and reaches 印刷先選択', async ({ page }, testInfo) => {
  const base = env('E2E_DEMO_URL');
  // One demo student per viewport: both runs share the demo service.
  const student = testInfo.project.name === 'phone' ? '佐藤 花子' : '鈴木 一郎';
  const address = `demo.${testInfo.project.name}.${Date.now()}@example.jp`;

  // Opened at 127.0.0.1 although the demo's address (PUBLIC_URL) is localhost: the browser is
  // sent to localhost, where the sign-in's cookies and the IdP's answer will be.
  const otherHost = base.replace('//localhost:', '//127.0.0.1:');
  await page.goto(`${otherHost}/demo-idp?lang=en`);
  await expect(page).toHaveURL(`${base}/demo-idp?lang=en`);

  // /demo-idp says what the demo IdP is, lists the demo students and starts a sign-in.
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'About the demo IdP' })).toBeVisible();
  await expect(page.getByText('Demo IdP — not a real university sign-in')).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, 'demo-00-idp-about-en');
  await page.getByRole('link', { name: '日本語' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'デモ用 IdP について' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: student })).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, 'demo-00-idp-about-ja');
  await page.getByRole('link', { name: 'ログインを始める' }).click();

  // The demo IdP's sign-in page says what it is, and lists the demo students.
  await expect(page).toHaveURL(/\/demo-idp\/sso/);
  await expect(page.getByText(/Demo IdP/).first()).toBeVisible();
  await snap(page, testInfo, 'demo-01-idp');
  await page.getByRole('button', { name: new RegExp(student) }).click();

  await expect(page).toHaveURL(/\/mail\/register/);
  await page.getByTestId('mail-input').fill(address);
  await page.getByTestId('mail-confirm-input').fill(address);
  await page.getByTestId('submit-button').click();
  await expect(page).toHaveURL(/\/mail\/sent/);

  // The mail is in the dev mailbox; its one-time link leads to the confirmation page.
  const row = await mailboxRow(page, base, (p) => p.getByRole('row', { name: new RegExp(address.replace(/\./g, '\\.')) }));
  await snap(page, testInfo, 'demo-02-mailbox');
  await row.getByRole('link').first().click();
  const link = await page.locator('pre a[href*="/mail/confirm#token="]').first().getAttribute('href');
  expect(link).toBeTruthy();
  await page.goto(link!);
  await page.getByTestId('confirm-button').click();
  await expect(page.getByTestId('move-to-login')).toBeVisible();
  await page.getByTestId('move-to-login').click();
  await expect(page.getByTestId('demo-notice')).toBeVisible();
  await page.getByTestId('login-button').click();
  await page.getByRole('button', { name: new RegExp(student) }).click();

  await expect(page).toHaveURL(/\/home/);
  await expect(page.getByRole('heading', { name: '印刷先選択' })).toBeVisible();
  await expect(page.getByTestId('previous-login')).toHaveText(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
  await expect(page.getByText(student)).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, 'demo-03-home');
});
