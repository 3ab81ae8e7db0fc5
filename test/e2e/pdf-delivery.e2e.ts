import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { env, expectAccessible, snap } from './support.js';

/**
 * PDF送付 as the student and the recipient live it, with mail over a real SMTP server: a student sends
 * a transcript to a company from 印刷先選択; the recipient opens the link in their mail (no account),
 * sees the certificate and downloads the signed PDF; the student sees the access in 申請一覧; once
 * the downloads are used up the page refuses. (Expiry by the service clock: test/integration/pdf-delivery.test.ts.)
 */
const RECIPIENT = { organisation: '株式会社サンプル商事', name: '人事部 採用担当', mail: 'recruit@sample.e2e.example.jp' };

test.describe('PDF送付', () => {
  let smtp: TestSmtpServer;
  let svc: RunningService;
  test.beforeAll(async () => {
    smtp = await startSmtpServer();
    // Two downloads keep the walk to the limit short.
    svc = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'certificates@e2e.example.ac.jp', PDF_DELIVERY_MAX_DOWNLOADS: '2' });
  });
  test.afterAll(async () => {
    await svc?.stop();
    await smtp?.stop();
  });

  /** Signs the demo student in at the demo IdP and registers `address` through the mail that arrives over SMTP. */
  async function signIn(page: Page, address: string) {
    await page.goto(`${svc.url}/login`);
    await page.getByTestId('login-button').click();
    await page.getByRole('button', { name: /山田 太郎/ }).click();
    await expect(page).toHaveURL(/\/mail\/register/);
    const since = Date.now();
    await page.getByTestId('mail-input').fill(address);
    await page.getByTestId('mail-confirm-input').fill(address);
    await page.getByTestId('submit-button').click();
    await expect(page).toHaveURL(/\/mail\/sent/);
    const mail = await smtp.waitForMail(address, { since, timeoutMs: 15_000 });
    await page.goto(/(https?:\/\/\S+\/mail\/confirm#token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!);
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('move-to-login').click();
    await page.getByTestId('login-button').click();
    await page.getByRole('button', { name: /山田 太郎/ }).click();
    await expect(page).toHaveURL(/\/home/);
  }

  test('a student sends a transcript to a company, which downloads the signed PDF until the limit, and the student sees it', async ({
    page,
    browser,
  }, testInfo) => {
    env('E2E_DEMO_URL'); // the global setup ran
    const student = `pdf.${testInfo.project.name}@example.jp`;
    const recipientMail = `${testInfo.project.name}.${RECIPIENT.mail}`;
    await signIn(page, student);

    // 印刷先選択 → PDF送付 → the form with the 提出先 fields.
    await page.getByTestId('destination-pdf').click();
    await expect(page).toHaveURL(/\/certificates\/new\?destination=pdf/);
    await expect(page.getByTestId('issue-destination-pdf')).toBeChecked();
    await expect(page.getByTestId('issue-type-discount-reason')).toHaveText('この証明書は「PDF送付」では発行できません。');
    await page.getByTestId('issue-copies-transcript-ja').fill('1');
    await page.getByTestId('issue-copies-transcript-ja').blur();
    // A bad address is explained at its field; nothing typed is lost.
    await page.getByTestId('recipient-organisation').fill(RECIPIENT.organisation);
    await page.getByTestId('recipient-name').fill(RECIPIENT.name);
    await page.getByTestId('recipient-mail').fill('recruit@');
    await page.getByTestId('issue-check').click();
    await expect(page.getByTestId('recipient-error-mail')).toBeVisible();
    await expect(page.getByTestId('recipient-error-language')).toBeVisible();
    await expect(page.getByTestId('recipient-organisation')).toHaveValue(RECIPIENT.organisation);
    await expectAccessible(page);
    await snap(page, testInfo, 'pdf-delivery-01-form-ja');
    await page.getByTestId('recipient-mail').fill(recipientMail);
    await page.getByTestId('recipient-language').selectOption('en');
    await page.getByTestId('issue-check').click();

    // 確認: the recipient as it will be used.
    await expect(page.getByTestId('confirm-recipient')).toContainText(RECIPIENT.organisation);
    await expect(page.getByTestId('confirm-recipient')).toContainText(recipientMail);
    await expectAccessible(page);
    await snap(page, testInfo, 'pdf-delivery-02-confirm-ja');
    const since = Date.now();
    await page.getByTestId('issue-apply').click();
    await expect(page.getByTestId('order-pdf')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('pdf-opened-at')).toHaveText('まだ開かれていません');
    await expect(page.getByTestId('pdf-downloads')).toHaveText('0 / 2回');
    await expectAccessible(page);
    await snap(page, testInfo, 'pdf-delivery-03-done-ja');

    // The recipient's mail (English, as chosen) carries the link; their browser has no session of the student's.
    const mail = await smtp.waitForMail(recipientMail, { since, timeoutMs: 15_000 });
    expect(mail.subject).toContain('Certificate (PDF) of Taro Yamada');
    const link = /(https?:\/\/\S+\/delivery#token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    const recipientContext = await browser.newContext({ ...testInfo.project.use, acceptDownloads: true });
    const recipient = await recipientContext.newPage();
    try {
      await recipient.goto(link);
      // The token is taken out of the address bar before the page shows.
      await expect(recipient).toHaveURL(/\/delivery$/);
      await expect(recipient.locator('html')).toHaveAttribute('lang', 'en');
      await expect(recipient.getByRole('heading', { level: 1, name: 'Certificate download' })).toBeVisible();
      await expect(recipient.getByTestId('delivery-submitted-to')).toHaveText(RECIPIENT.organisation);
      await expect(recipient.getByTestId('delivery-certificate-status')).toHaveText('Valid');
      await expectAccessible(recipient);
      await snap(recipient, testInfo, 'pdf-delivery-04-recipient-en');

      const [download] = await Promise.all([recipient.waitForEvent('download'), recipient.getByTestId('delivery-download').click()]);
      const file = path.join(testInfo.outputDir, download.suggestedFilename());
      await download.saveAs(file);
      expect(download.suggestedFilename()).toMatch(/^SHM-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\.pdf$/);
      expect(execFileSync('pdfsig', [file], { encoding: 'utf8' })).toContain('Signature is Valid');
      await expect(recipient.getByTestId('delivery-downloads')).toHaveText('1 of 2');

      // The student sees the access in 申請一覧.
      await page.goto(`${svc.url}/home`);
      const item = page.getByTestId('order-item').filter({ has: page.getByTestId('pdf-recipient') });
      await expect(item.getByTestId('pdf-recipient')).toHaveText(`${RECIPIENT.organisation} ${RECIPIENT.name}`);
      await expect(item.getByTestId('pdf-opened-at').locator('time')).toBeVisible();
      await expect(item.getByTestId('pdf-downloads')).toHaveText('1 / 2回');
      await expectAccessible(page);
      await snap(page, testInfo, 'pdf-delivery-05-home-ja');

      // The second download uses up the link: the page says so and offers nothing more.
      await Promise.all([recipient.waitForEvent('download'), recipient.getByTestId('delivery-download').click()]);
      await expect(recipient.getByTestId('delivery-refused')).toHaveText(/This link has reached its download limit\./);
      await expect(recipient.getByTestId('delivery-download')).toHaveCount(0);
      await expectAccessible(recipient);
      await snap(recipient, testInfo, 'pdf-delivery-06-exhausted-en');
    } finally {
      await recipientContext.close();
    }
  });
});
