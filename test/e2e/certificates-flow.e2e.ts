import { expect, test, type Page } from '@playwright/test';
import { startService, type RunningService } from '../support/service.js';
import { chooseLanguage, env, expectAccessible, expectButtonOrder, expectSelectsFit, signInWithMail, snap } from './support.js';

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
    typeLimit: '1回の申請で10部まで',
    overTypeLimit: 'この証明書は1回の申請で10部まで発行できます。',
    creating: '証明書を作成しています（3部）',
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
    typeLimit: 'Up to 10 copies per request',
    overTypeLimit: 'Up to 10 copies of this certificate can be issued per request.',
    creating: 'Creating your certificates (3 copies)',
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

  test('a student orders a convenience-store certificate through every screen and sees the reservation number, which is also mailed', async ({
    page,
  }, testInfo) => {
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

    // 21 copies of one certificate: kept as typed, the limit is next to the field, and 確認 refuses.
    await expect(page.getByTestId('issue-copies-enrollment-ja-limit')).toHaveText(L.typeLimit);
    await copies(page, 'enrollment', 21);
    await expect(page.getByTestId('issue-copies-enrollment-ja')).toHaveValue('21');
    await expect(page.getByTestId('issue-copies-enrollment-ja-error')).toHaveText(L.overTypeLimit);
    await expect(page.getByTestId('issue-copies-enrollment-ja')).toHaveAttribute('aria-invalid', 'true');
    await page.getByTestId('issue-check').click();
    await expect(page.getByRole('heading', { level: 1, name: L.issue })).toBeVisible();
    await expect(page.getByTestId('issue-copies-enrollment-ja')).toBeFocused();
    await expect(page.getByTestId('issue-copies-enrollment-ja')).toHaveValue('21');
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-01b-copies-over-type-limit-${language}`);

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
    await expectButtonOrder(page);

    // 申請 while the service works (its answer held back here): what is happening, an indeterminate
    // bar, and the buttons disabled — a second press sends nothing.
    let posted = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/certificates/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      posted += 1;
      const answer = await route.fetch();
      await held;
      await route.fulfill({ response: answer });
    });
    await page.getByTestId('issue-apply').click();
    const progress = page.getByRole('progressbar', { name: L.creating });
    await expect(progress).toBeVisible();
    await expect(progress).not.toHaveAttribute('aria-valuenow');
    await expect(page.getByTestId('issue-apply')).toBeDisabled();
    await expect(page.getByTestId('issue-back')).toBeDisabled();
    await page.getByTestId('issue-apply').click({ force: true });
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-02b-applying-${language}`);
    release();

    // 申請完了: the 予約番号, big, with its expiry; the same number is in the mail.
    await expect(page.getByRole('heading', { level: 1, name: L.done })).toBeVisible();
    const shown = page.getByTestId('reservation-number');
    await expect(shown).toBeVisible();
    const number = (await shown.getAttribute('data-number'))!;
    expect(number).toMatch(/^\d{8}$/);
    await expect(page.getByTestId('order-status')).toHaveText(L.reserved);
    await expect(page.getByTestId('reservation-expiry')).not.toBeEmpty();
    await expect(page.getByTestId('order-mail-sent')).toBeVisible();
    expect(posted).toBe(1);
    await page.unrouteAll();
    // The certificates: every name and number on one line, inside the card, nothing scrolls sideways
    // (on a phone each line is a card of its own).
    expect(await orderLinesLayout(page)).toEqual({ lines: 2, pageFits: true, namesOnOneLine: true, numbersOnOneLine: true, numbersInside: true });
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-flow-03-reservation-${language}`);
    // The same screen in the other language passes axe too.
    await inOtherLanguage(page, language, async () => {
      expect(await orderLinesLayout(page)).toMatchObject({ pageFits: true, namesOnOneLine: true, numbersInside: true });
      await expectAccessible(page);
      await snap(page, testInfo, `certificates-flow-03b-reservation-${language === 'ja' ? 'en' : 'ja'}`);
    });

    // Sent by the outbox worker just after the order's answer.
    const reservationMail = () => svc.deps.devMailbox!.list().find((m) => m.to === address && m.text.includes(number));
    await expect.poll(() => reservationMail() !== undefined, { message: 'the reservation mail' }).toBe(true);
    const mail = reservationMail();
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
    await expectSelectsFit(page);
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

/** Where the order's lines are drawn: every certificate name and number on one line and inside its card. */
function orderLinesLayout(page: Page) {
  return page.getByTestId('order-lines').evaluate((table) => {
    const lineCount = (el: Element) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
    };
    const card = table.closest('.card')!.getBoundingClientRect();
    const names = Array.from(table.querySelectorAll('[data-testid="order-line-name"]'));
    const numbers = Array.from(table.querySelectorAll('[data-testid="order-line-number"]'));
    return {
      lines: names.length,
      pageFits: document.documentElement.scrollWidth <= window.innerWidth,
      namesOnOneLine: names.every((n) => lineCount(n) === 1),
      numbersOnOneLine: numbers.every((n) => lineCount(n) === 1),
      numbersInside: numbers.every((n) => n.getBoundingClientRect().right <= card.right),
    };
  });
}

/** Runs `check` on the current screen in the other language (chosen on 印刷先選択), then switches back. */
async function inOtherLanguage(page: Page, language: Language, check: () => Promise<void>) {
  const here = page.url();
  await page.goto(new URL('/home', here).href);
  await chooseLanguage(page, language === 'ja' ? 'en' : 'ja');
  await page.goto(here);
  await check();
  await page.goto(new URL('/home', here).href);
  await chooseLanguage(page, language);
  await page.goto(here);
}

/** The home screen is up (the destinations are links now). */
async function homeLinksReady(page: Page) {
  await expect(page.getByTestId('destination-convenience')).toHaveAttribute('href', /\/certificates\/new\?destination=convenience/);
}
