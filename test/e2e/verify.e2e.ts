import { expect, test, type Page } from '@playwright/test';
import { formatVerificationCode } from '../../service/domain/certificates/numbers.js';
import { loadOrCreateOfflineKey } from '../../service/adapters/files/offline-key.js';
import type { IssuedCertificate } from '../../service/domain/certificates/model.js';
import { startService, type RunningService } from '../support/service.js';
import { enrollmentType, issuedCertificate, revoked } from '../support/verify-fixtures.js';
import { account } from '../support/factories.js';
import { chooseLanguage, env, expectAccessible, snap } from './support.js';

const HOLDER = '山田 太郎';
const BIRTH = '2004-04-05';

const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

async function checkOnline(page: Page, c: IssuedCertificate, number = c.number, code = formatVerificationCode(c.verificationCode).toLowerCase()) {
  await page.getByTestId('verify-field-number').fill(number);
  await page.getByTestId('verify-field-code').fill(code);
  await page.getByTestId('verify-submit').click();
  await expect(page.getByTestId('verify-result')).toBeVisible();
}

test.describe('public verification at /verify', () => {
  // A service of this test's own: certificates are put straight into its store, signed with its key.
  let svc: RunningService;
  let valid: IssuedCertificate;
  let revokedOne: IssuedCertificate;
  /** The issuing university as the service's profile (大学情報) names it. */
  let institution: { ja: string; en: string };

  test.beforeAll(async () => {
    svc = await startService({});
    const key = await loadOrCreateOfflineKey(svc.dataDir);
    valid = issuedCertificate({ holderNameKanji: HOLDER, birthDate: BIRTH }, key);
    revokedOne = revoked(issuedCertificate({ holderNameKanji: HOLDER, birthDate: BIRTH }, key), '記載内容の誤りのため再発行');
    await svc.deps.certificates.store.types.put(enrollmentType);
    await svc.deps.certificates.store.certificates.insertMany([valid, revokedOne]);
    institution = (await svc.deps.institution.profile())!.name;
  });
  test.afterAll(async () => {
    await svc?.stop();
  });

  test('a verifier checks a valid and a revoked certificate by number and code, in Japanese and in English', async ({ page }, testInfo) => {
    env('E2E_DEMO_URL'); // the global setup ran
    await page.goto(`${svc.url}/verify`);
    await expect(page.getByRole('heading', { level: 1, name: '証明書の真偽確認' })).toBeVisible();
    // The page names the university, asks for the code by the name printed on the paper, and its
    // examples have the printed formats.
    await expect(page.getByTestId('verify-lead')).toContainText(`${institution.ja}が発行した証明書`);
    await expect(page.getByLabel('照合コード', { exact: true })).toBeVisible();
    await expect(page.locator('#verify-code-hint')).toContainText(/例: [0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}/);
    await expect(page.locator('#verify-number-hint')).toContainText(/例: SHM-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await expect(page.getByText('確認コード')).toHaveCount(0);
    await expectAccessible(page);

    // Empty form: translated field errors, focus on the first.
    await page.getByTestId('verify-submit').click();
    await expect(page.getByTestId('verify-error-number')).toHaveText('入力してください。');
    await expect(page.getByTestId('verify-field-number')).toBeFocused();

    // Typed loosely: spaces for hyphens, lower case, the code in full-width letters with a space.
    const loose = toFullWidth(formatVerificationCode(valid.verificationCode).toLowerCase().replace('-', ' '));
    await checkOnline(page, valid, valid.number.replace(/-/g, ' ').toLowerCase(), loose);
    await expect(page.getByTestId('verify-status')).toHaveText('有効');
    await expect(page.getByTestId('verify-status-body')).toHaveText(`この証明書は${institution.ja}が発行した有効な証明書です。`);
    await expect(page.getByTestId('verify-issuer')).toHaveText(institution.ja);
    await expect(page.getByTestId('verify-type')).toHaveText('在学証明書');
    await expect(page.getByTestId('verify-issue-date')).toHaveText('2026/11/24');
    // Kanji first, the roman name below it, both with only the family name shown.
    await expect(page.getByTestId('verify-holder').locator('span')).toHaveText(['山田 ＊＊', 'T*** Yamada']);
    await expectAccessible(page);
    await snap(page, testInfo, 'verify-valid-ja');

    await checkOnline(page, revokedOne);
    await expect(page.getByTestId('verify-status')).toHaveText('失効');
    await expect(page.getByTestId('verify-revoked-reason')).toHaveText('記載内容の誤りのため再発行');

    await chooseLanguage(page, 'en');
    await expect(page.getByRole('heading', { level: 1, name: 'Certificate Verification' })).toBeVisible();
    await expect(page.getByTestId('verify-lead')).toContainText(`issued by ${institution.en}`);
    await expect(page.getByLabel('Verification code', { exact: true })).toBeVisible();
    await checkOnline(page, valid);
    await expect(page.getByTestId('verify-status')).toHaveText('Valid');
    await expect(page.getByTestId('verify-issuer')).toHaveText(institution.en);
    await expect(page.getByTestId('verify-type')).toHaveText('Certificate of Enrollment');
    // The roman name first in English, then the kanji.
    await expect(page.getByTestId('verify-holder').locator('span')).toHaveText(['T*** Yamada', '山田 ＊＊']);
    await expectAccessible(page);
    await snap(page, testInfo, 'verify-valid-en');
    await checkOnline(page, revokedOne);
    await expect(page.getByTestId('verify-status')).toHaveText('Revoked');
    await expect(page.getByTestId('verify-revoked-reason')).toHaveText('記載内容の誤りのため再発行');
    await expectAccessible(page);
    await snap(page, testInfo, 'verify-revoked-en');

    const never = issuedCertificate();
    await checkOnline(page, { ...never, verificationCode: valid.verificationCode });
    await expect(page.getByTestId('verify-status')).toHaveText('Not found');
  });

  test('the QR code verifies in the browser with the network to the service blocked, and the holder check tells a match from a mismatch', async ({
    page,
  }, testInfo) => {
    const url = `${svc.url}/verify#c=${valid.offlinePayload}`;
    // Once online: the page fetches the published keys and keeps them.
    await page.goto(url);
    await expect(page.getByTestId('verify-offline-valid')).toContainText('署名は有効です');
    await expect(page.getByTestId('verify-offline-number')).toHaveText(valid.number);

    // Then no API at all: the page still loads (HTML and scripts) but every /api/ call fails.
    await page.route('**/api/**', (route) => route.abort());
    await page.reload();
    await expect(page.getByTestId('verify-offline-valid')).toContainText('署名は有効です');
    await expect(page.getByTestId('verify-offline-number')).toHaveText(valid.number);
    // The type by its name and the university (published with the keys and cached with them).
    await expect(page.getByTestId('verify-offline-type')).toHaveText('在学証明書');
    await expect(page.getByTestId('verify-offline-issuer')).toHaveText(institution.ja);
    await expect(page.getByTestId('verify-offline-valid')).toContainText(`${institution.ja}の鍵で署名されています`);
    await expect(page.getByTestId('verify-offline-issue-date')).toHaveText('2026/11/24');

    await page.getByTestId('verify-holder-name').fill('山田　太郎');
    await page.getByTestId('verify-holder-birth').fill('２００４/4/5');
    await page.getByTestId('verify-holder-check').click();
    await expect(page.getByTestId('verify-holder-match')).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, 'verify-offline-match');

    await page.getByTestId('verify-holder-name').fill('山田 次郎');
    await page.getByTestId('verify-holder-check').click();
    await expect(page.getByTestId('verify-holder-nomatch')).toBeVisible();
    await page.getByTestId('verify-holder-name').fill(HOLDER);
    await page.getByTestId('verify-holder-birth').fill('2004-04-06');
    await page.getByTestId('verify-holder-check').click();
    await expect(page.getByTestId('verify-holder-nomatch')).toBeVisible();

    // A changed payload does not verify.
    const tampered = valid.offlinePayload.slice(0, 40) + (valid.offlinePayload[40] === 'A' ? 'B' : 'A') + valid.offlinePayload.slice(41);
    await page.goto(`${svc.url}/verify#c=${tampered}`);
    await expect(page.getByTestId('verify-offline-invalid')).toBeVisible();

    // Back online: the online check starts with the number filled in.
    await page.unroute('**/api/**');
    await page.goto(url);
    await expect(page.getByTestId('verify-offline-valid')).toBeVisible();
    await page.getByTestId('verify-online').click();
    await expect(page.getByTestId('verify-field-number')).toHaveValue(valid.number);
    await expect(page.getByTestId('verify-field-code')).toBeFocused();
    await page.getByTestId('verify-field-code').fill(valid.verificationCode);
    await page.getByTestId('verify-submit').click();
    await expect(page.getByTestId('verify-status')).toHaveText('有効');
    await expect(page.getByTestId('verify-online-hint')).toContainText('照合コード');

    // In English the QR check names the university in English too.
    await chooseLanguage(page, 'en');
    await expect(page.getByTestId('verify-offline-valid')).toContainText(`signed with the key of ${institution.en}`);
    await expect(page.getByTestId('verify-offline-issuer')).toHaveText(institution.en);
    await expectAccessible(page);
    await snap(page, testInfo, 'verify-offline-en');
  });

  test('a verifier pastes the digital certificate (VC) a holder downloaded and sees that it is valid', async ({ page }, testInfo) => {
    const { credential } = await svc.deps.certificates.credentials.download(account({ id: valid.accountId }), valid.number);
    await page.goto(`${svc.url}/verify`);
    await page.getByLabel('デジタル証明書', { exact: true }).fill(credential);
    await page.getByTestId('credential-submit').click();
    await expect(page.getByTestId('credential-status')).toHaveText('有効');
    await expect(page.getByTestId('credential-status-body')).toContainText(`${institution.ja}が発行した有効な証明書です`);
    await expect(page.getByTestId('credential-number')).toHaveText(valid.number);
    await expect(page.getByTestId('credential-holder')).toHaveText(HOLDER);
    await expectAccessible(page);
    await snap(page, testInfo, 'verify-credential-valid-ja');
  });
});
