import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startService, type RunningService } from '../support/service.js';
import { env, expectAccessible, signInWithMail, snap } from './support.js';

/**
 * 共有リンク: the holder makes a link with a PIN on his order's details; a recipient in another
 * browser is refused without the PIN, enters it, sees the certificate and downloads the signed PDF;
 * the holder sees that access in the log and revokes the link; the recipient's page then refuses.
 */
const TEXT = {
  ja: {
    share: '共有リンク',
    shared: '証明書の共有',
    pinRequired: 'PINを入力してください。',
    pinWrong: 'PINが正しくありません。',
    valid: '有効',
    client: 'iPhone の Safari',
    downloaded: 'PDFをダウンロード',
    revoked: '無効',
    refused: 'この共有リンクは証明書の所有者によって無効にされました。証明書は表示できません。',
  },
  en: {
    share: 'Share link',
    shared: 'Shared certificate',
    pinRequired: 'Please enter the PIN.',
    pinWrong: 'The PIN is not correct.',
    valid: 'Valid',
    client: 'Safari on iPhone',
    downloaded: 'Downloaded the PDF',
    revoked: 'Revoked',
    refused: 'This share link was revoked by the holder of the certificate. The certificate cannot be shown.',
  },
} as const;

const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

test.describe('共有リンク', () => {
  let svc: RunningService;
  test.beforeAll(async () => {
    svc = await startService({});
  });
  test.afterAll(async () => {
    await svc?.stop();
  });

  test('a student shares a certificate with a PIN, the recipient downloads it, the student sees the access and revokes the link', async ({
    page,
    browser,
  }, testInfo) => {
    env('E2E_DEMO_URL'); // the global setup ran
    const language = testInfo.project.name === 'phone' ? 'ja' : 'en';
    const L = TEXT[language];
    await signInWithMail(page, svc.url, '山田 太郎', `share.${testInfo.project.name}@example.jp`, language);

    // An order placed as 証明書を発行 places it (that flow has its own test).
    const [account] = await svc.stores.store.accounts.findByStudentId('2101001');
    const placed = await svc.deps.certificates.placeOrder({
      account: account!,
      studentId: '2101001',
      destination: 'convenience',
      items: [{ typeCode: 'enrollment', language, copies: 1 }],
    });
    const number = placed.lines[0]!.certificate.number;

    // 申請の詳細 → 共有リンク
    await page.goto(`${svc.url}/certificates/orders/${placed.order.id}`);
    await expect(page.getByTestId('order-share-link')).toContainText(
      language === 'ja' ? '在学証明書（日本語）の共有リンク' : 'Share link of Certificate of Enrollment (English)',
    );
    await expectAccessible(page);
    await page.getByTestId('order-share-link').click();
    await expect(page.getByRole('heading', { level: 1, name: L.share })).toBeVisible();
    await expect(page.getByTestId('share-certificate-number')).toHaveText(number);
    await expect(page.getByTestId('share-list-empty')).toBeVisible();

    // Days out of range: a translated field error, nothing sent.
    await page.getByTestId('share-days').fill('91');
    await page.getByTestId('share-check').click();
    await expect(page.getByTestId('share-days-error')).toBeVisible();
    await expectAccessible(page);

    await page.getByTestId('share-days').fill('7');
    await page.getByTestId('share-pin').fill('4826');
    await page.getByTestId('share-label').fill('Sample Inc.');
    await page.getByTestId('share-check').click();
    await expect(page.getByTestId('share-confirm-pin')).toHaveText(language === 'ja' ? 'あり' : 'Yes');
    await page.getByTestId('share-create-confirm').click();
    const url = await page.getByTestId('share-created-url').inputValue();
    expect(url).toMatch(new RegExp(`^${svc.url}/shared#token=[A-Za-z0-9_-]{43}$`));
    await expect(page.getByTestId('share-link')).toHaveCount(1);
    await expect(page.getByTestId('share-link-pin')).toHaveText(language === 'ja' ? 'あり' : 'Yes');
    await expectAccessible(page);
    await snap(page, testInfo, `share-links-01-created-${language}`);

    // The recipient, in a browser of his own.
    const recipient = await browser.newContext({ userAgent: IPHONE_SAFARI, viewport: page.viewportSize() ?? undefined, acceptDownloads: true });
    const other = await recipient.newPage();
    await other.goto(svc.url);
    await other.evaluate((lang) => (document.cookie = `shomei_lang=${lang}; path=/`), language);
    await other.goto(url);
    await expect(other.getByRole('heading', { level: 1, name: L.shared })).toBeVisible();
    await expect(other.getByTestId('shared-pin')).toBeVisible();
    await expect(other.getByTestId('shared-certificate')).toHaveCount(0);
    await other.getByTestId('shared-pin-submit').click();
    await expect(other.getByTestId('shared-pin-error')).toHaveText(L.pinRequired);
    await other.getByTestId('shared-pin-input').fill('1111');
    await other.getByTestId('shared-pin-submit').click();
    await expect(other.getByTestId('shared-pin-error')).toHaveText(L.pinWrong);
    await expect(other.getByTestId('shared-download')).toHaveCount(0);
    await expectAccessible(other);
    await other.getByTestId('shared-pin-input').fill('4826');
    await other.getByTestId('shared-pin-submit').click();
    await expect(other.getByTestId('verify-status')).toHaveText(L.valid);
    await expect(other.getByTestId('shared-certificate')).toContainText(number);
    await expectAccessible(other);
    await snap(other, testInfo, `share-links-02-recipient-${language}`);
    const [download] = await Promise.all([other.waitForEvent('download'), other.getByTestId('shared-download').click()]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    expect(
      readFileSync((await download.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await expect(other.getByTestId('shared-downloaded')).toBeVisible();

    // The holder: the access in the log (a coarse client, no address), then 無効にする.
    await page.getByTestId('share-created-done').click();
    await page.reload();
    await page.getByTestId('share-log-toggle').click();
    await expect(page.getByTestId('share-log-entry')).toHaveCount(3);
    await expect(page.getByTestId('share-log-entry').first()).toContainText(L.downloaded);
    await expect(page.getByTestId('share-log-client').first()).toHaveText(L.client);
    await expectAccessible(page);
    await snap(page, testInfo, `share-links-03-log-${language}`);
    await page.getByTestId('share-revoke').click();
    await page.getByTestId('share-revoke-confirm').click();
    await expect(page.getByTestId('share-link-status')).toHaveText(L.revoked);

    // The recipient's page now refuses, and offers no PDF.
    await other.reload();
    await expect(other.getByTestId('shared-refused-reason')).toHaveText(L.refused);
    await expect(other.getByTestId('shared-download')).toHaveCount(0);
    await expectAccessible(other);
    await snap(other, testInfo, `share-links-04-refused-${language}`);
    await recipient.close();
  });
});
