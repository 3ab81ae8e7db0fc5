import { expect, test, type Page } from '@playwright/test';
import { startService, type RunningService } from '../support/service.js';
import { env, expectAccessible, signInWithMail, snap } from './support.js';

/**
 * 証明書を発行 through every screen: 印刷先選択 → the issue form → 確認 → 申請 → 申請完了.
 * Japanese on the phone, English at kiosk size (a personal browser: no kiosk User-Agent).
 */
const TEXT = {
  ja: {
    home: '印刷先選択',
    issue: '証明書を発行',
    confirm: '申請内容の確認',
    done: '申請完了',
    enrollment: '在学証明書',
    notEligible: 'この学籍番号の在籍状況では、この証明書は発行できません。',
    notForMail: 'この証明書は「郵送」では発行できません。',
    postalCodeInvalid: '郵便番号は7桁の数字で入力してください(例:123-4567)。',
    waiting: '学内印刷待ち',
    awaitingShipment: '発送待ち',
    reserved: '印刷待ち',
    total: '3部(1回の申請で20部まで)',
    fee: '700円',
    overLimit: '1回の申請で発行できるのは合計20部までです。',
  },
  en: {
    home: 'Select printing destination',
    issue: 'Issue certificate',
    confirm: 'Check your application',
    done: 'Application complete',
    enrollment: 'Certificate of Enrollment',
    notEligible: 'This certificate cannot be issued for the enrollment status of this student ID.',
    notForMail: 'This certificate cannot be issued by "Mail".',
    postalCodeInvalid: 'Please enter the postal code as 7 digits (example: 123-4567).',
    waiting: 'Waiting for on-campus printing',
    awaitingShipment: 'Waiting for shipment',
    reserved: 'Waiting to be printed',
    total: '3 (up to 20 per application)',
    fee: '¥700',
    overLimit: 'Up to 20 copies in total can be issued per request.',
  },
} as const;

type Language = keyof typeof TEXT;

/** Sets the copies of one type in one language (each language of a type has its own stepper). */
async function copies(page: Page, typeCode: string, n: number, language: Language = 'ja') {
  const input = page.getByTestId(`issue-copies-${typeCode}-${language}`);
  await input.fill(String(n));
  await input.blur();
}

test.describe('証明書を発行', () => {
  let svc: RunningService;
  test.beforeAll(async () => {
    svc = await startService({});
  });
  test.afterAll(async () => {
    await svc?.stop();
  });

  const languageOf = (project: string): Language => (project === 'phone' ? 'ja' : 'en');

  test('a student orders a convenience-store certificate through every screen and sees the reservation number, which is also mailed', async ({ page }, testInfo) => {
    env('E2E_DEMO_URL'); // the global setup ran
    const language = languageOf(testInfo.project.name);
    const L = TEXT[language];
    const address = `flow-store.${testInfo.project.name}@example.jp`;
    await signInWithMail(page, svc.url, '山田 太郎', address, language);
    await homeLinksReady(page);

    // 印刷先選択 → コンビニ
    await page.getByTestId('destination-convenience').click();
    await expect(page).toHaveURL(/\/certificates\/new\?destination=convenience/);
    await expect(page.getByRole('heading', { level: 1, name: L.issue })).toBeVisible();
    await expect(page.getByTestId('issue-destination-convenience')).toBeChecked();
    await expect(page.getByTestId('issue-student')).toHaveText('2101001');
    // A graduation certificate is not for an enrolled student: shown, disabled, with the reason.
    await expect(page.getByTestId('issue-type-graduation-reason')).toHaveText(L.notEligible);
    await expect(page.getByTestId('issue-copies-graduation-ja')).toHaveCount(0);
    await expect(page.getByTestId('issue-copies-graduation-en')).toHaveCount(0);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-01-form-${language}`);

    // Nothing chosen → translated message, nothing sent.
    await page.getByTestId('issue-check').click();
    await expect(page.getByTestId('issue-order-error')).toBeVisible();

    // Too many copies: the running total says so.
    await copies(page, 'enrollment', 10);
    await copies(page, 'transcript', 10);
    await page.getByTestId('issue-copies-exp-graduation-ja-plus').click();
    await expect(page.getByTestId('issue-order-error')).toHaveText(L.overLimit);

    await copies(page, 'transcript', 0);
    await copies(page, 'transcript', 1, 'en');
    await copies(page, 'exp-graduation', 0);
    await copies(page, 'enrollment', 1);
    await page.getByTestId('issue-copies-enrollment-ja-plus').click();
    await expect(page.getByTestId('issue-total-copies')).toHaveText(L.total);
    await expect(page.getByTestId('issue-total-fee')).toHaveText(L.fee);
    await expect(page.getByTestId('issue-order-error')).toHaveCount(0);

    // 確認, 戻る keeps everything, 確認 again, 申請.
    await page.getByTestId('issue-check').click();
    await expect(page.getByRole('heading', { level: 1, name: L.confirm })).toBeVisible();
    await expect(page.getByTestId('confirm-lines')).toContainText(L.enrollment);
    await expect(page.getByTestId('confirm-total-fee')).toHaveText(L.fee);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-02-confirm-${language}`);
    await page.getByTestId('issue-back').click();
    await expect(page.getByTestId('issue-copies-enrollment-ja')).toHaveValue('2');
    await expect(page.getByTestId('issue-copies-transcript-en')).toHaveValue('1');
    await expect(page.getByTestId('issue-copies-transcript-ja')).toHaveValue('0');
    await page.getByTestId('issue-check').click();
    await page.getByTestId('issue-apply').click();

    // 申請完了: the 予約番号, big, with its expiry; the same number is in the mail.
    await expect(page.getByRole('heading', { level: 1, name: L.done })).toBeVisible();
    const shown = page.getByTestId('reservation-number');
    await expect(shown).toBeVisible();
    const number = (await shown.getAttribute('data-number'))!;
    expect(number).toMatch(/^\d{8}$/);
    await expect(page.getByTestId('order-status')).toHaveText(L.reserved);
    await expect(page.getByTestId('reservation-expiry')).not.toBeEmpty();
    await expect(page.getByTestId('order-mail-sent')).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-03-reservation-${language}`);

    const mail = svc.deps.devMailbox!.list().find((m) => m.to === address && m.text.includes(number));
    expect(mail, 'the reservation mail').toBeTruthy();
    expect(mail!.subject).toBe(language === 'ja' ? '【証明書発行サービス】予約番号のお知らせ' : '[Certificate Issuance Service] Your reservation number');

    await page.getByTestId('order-home').click();
    await expect(page.getByRole('heading', { level: 1, name: L.home })).toBeVisible();
  });

  test('a student orders by mail to a domestic address; a bad postal code shows a translated field error and keeps the input', async ({ page }, testInfo) => {
    const language = languageOf(testInfo.project.name);
    const L = TEXT[language];
    await signInWithMail(page, svc.url, '佐藤 花子', `flow-mail.${testInfo.project.name}@example.jp`, language);

    await page.getByTestId('destination-mail').click();
    await expect(page.getByTestId('issue-destination-mail')).toBeChecked();
    // 学割証 is not mailed: explained for this destination.
    await expect(page.getByTestId('issue-type-discount-reason')).toHaveText(L.notForMail);
    await copies(page, 'enrollment', 1);
    await page.getByTestId('address-postalCode').fill('12-345');
    await page.getByTestId('address-prefecture').selectOption('東京都');
    await page.getByTestId('address-line1').fill('千代田区千代田1-1');
    await page.getByTestId('issue-check').click();

    await expect(page.getByTestId('address-error-postalCode')).toHaveText(L.postalCodeInvalid);
    await expect(page.getByTestId('address-postalCode')).toBeFocused();
    await expect(page.getByTestId('address-postalCode')).toHaveValue('12-345');
    await expect(page.getByTestId('address-line1')).toHaveValue('千代田区千代田1-1');
    await expect(page.getByTestId('issue-copies-enrollment-ja')).toHaveValue('1');
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-04-address-error-${language}`);

    // Full-width digits without a hyphen are fine.
    await page.getByTestId('address-postalCode').fill('１０００００１');
    await expect(page.getByTestId('address-error-postalCode')).toHaveCount(0);
    await page.getByTestId('address-line2').fill('デモ大学 本部棟 101');
    await page.getByTestId('issue-check').click();
    await expect(page.getByTestId('confirm-address')).toContainText('〒100-0001');
    await expect(page.getByTestId('confirm-address')).toContainText('東京都千代田区千代田1-1');
    await expectAccessible(page);
    await page.getByTestId('issue-apply').click();

    await expect(page.getByRole('heading', { level: 1, name: L.done })).toBeVisible();
    await expect(page.getByTestId('order-address')).toContainText('〒100-0001');
    await expect(page.getByTestId('order-address')).toContainText('デモ大学 本部棟 101');
    await expect(page.getByTestId('order-status')).toHaveText(L.awaitingShipment);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-05-mail-${language}`);
  });

  test('a student orders on-campus printing from a personal browser and sees it waiting, without a print button', async ({ page }, testInfo) => {
    const language = languageOf(testInfo.project.name);
    const L = TEXT[language];
    await signInWithMail(page, svc.url, '鈴木 一郎', `flow-campus.${testInfo.project.name}@example.jp`, language);

    await page.getByTestId('destination-campus').click();
    await expect(page.getByTestId('issue-destination-campus')).toBeChecked();
    // The destination can still be changed here.
    await page.getByTestId('issue-destination-mail').check();
    await expect(page).toHaveURL(/destination=mail/);
    await expect(page.getByTestId('issue-address')).toBeVisible();
    await page.getByTestId('issue-destination-campus').check();
    await expect(page.getByTestId('issue-address')).toHaveCount(0);
    await page.getByTestId('issue-copies-discount-ja-plus').click();
    await page.getByTestId('issue-check').click();
    await expect(page.getByTestId('confirm-destination')).toBeVisible();
    await page.getByTestId('issue-apply').click();

    await expect(page.getByRole('heading', { level: 1, name: L.done })).toBeVisible();
    await expect(page.getByTestId('order-campus')).toBeVisible();
    await expect(page.getByTestId('order-status')).toHaveText(L.waiting);
    await expect(page.getByTestId('campus-print-button')).toHaveCount(0);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-06-campus-${language}`);

    // Another account's order is not shown.
    const url = page.url();
    await page.context().clearCookies();
    await signInWithMail(page, svc.url, '高橋 美咲', `flow-other.${testInfo.project.name}@example.jp`, language);
    await page.goto(url);
    await expect(page.getByTestId('order-load-failed')).toBeVisible();
    await expect(page.getByTestId('order-campus')).toHaveCount(0);
  });
});

/** The home screen is up (the destinations are links now). */
async function homeLinksReady(page: Page) {
  await expect(page.getByTestId('destination-convenience')).toHaveAttribute('href', /\/certificates\/new\?destination=convenience/);
}
