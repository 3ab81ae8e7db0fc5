import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { OrderView } from '../../service/contract/certificates.js';
import { TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { chooseLanguage, expectAccessible, signInWithMail, snap } from './support.js';

/** Places a convenience-store order as the signed-in student, the way the SPA does (CSRF token from GET /api/session). */
async function reserveThroughApi(page: Page, base: string, language: 'ja' | 'en'): Promise<OrderView> {
  const session = await page.request.get(`${base}/api/session`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const res = await page.request.post(`${base}/api/certificates/orders`, {
    headers: { 'X-CSRF-Token': csrfToken, Accept: 'application/json' },
    data: { studentId: '2101001', destination: 'convenience', items: [{ typeCode: 'enrollment', language, copies: 2 }] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as OrderView;
}

/** Types the number on the on-screen keypad. */
async function typeOnKeypad(page: Page, number: string) {
  for (const digit of number) await page.getByTestId(`store-key-${digit}`).click();
  await expect(page.getByTestId('store-number')).toHaveValue(number);
}

const TEXT = {
  ja: {
    title: 'コンビニ印刷(マルチコピー機)',
    print: '印刷する',
    done: '印刷が完了しました',
    printed: 'この予約番号の証明書は印刷済みです。',
    notFound: '予約番号が見つかりません。番号をご確認ください。',
    expired: 'この予約番号は有効期限が切れています。もう一度申請してください。',
    format: '予約番号は数字8桁で入力してください。',
    type: '在学証明書',
    fee: /円$/,
    failed: '証明書を受け取れなかったため、印刷を取り消しました。証明書は出力されていません。この予約番号はそのまま使えますので、もう一度お試しください。',
    unconfirmed:
      '証明書は受け取りましたが、印刷の完了を記録できませんでした(通信が切れた可能性があります)。確定するまで証明書は出力されません。「もう一度確定する」を押してください。中止すると、この予約番号は数分以内にもう一度使えるようになります。',
  },
  en: {
    title: 'Convenience-Store Printing (Multi-Copy Machine)',
    print: 'Print',
    done: 'Printing complete',
    printed: 'The certificates of this reservation number have already been printed.',
    notFound: 'The reservation number was not found. Please check the number.',
    expired: 'This reservation number has expired. Please request the certificates again.',
    format: 'Please enter the reservation number as 8 digits.',
    type: 'Certificate of Enrollment',
    fee: /^¥/,
    failed:
      'The certificates could not be received, so the print was cancelled. Nothing was printed. The reservation number can still be used: please try again.',
    unconfirmed:
      'The certificates were received, but completing the print could not be recorded (the connection may have been lost). Nothing comes out until it is completed: press “Complete again”. If you cancel, the reservation number can be used again within a few minutes.',
  },
} as const;

test.describe('the convenience-store printer simulator at /store', () => {
  // A demo service of this test's own, with a clock the test can move (for the expired number).
  let svc: RunningService;
  let clock: TestClock;

  test.beforeAll(async () => {
    clock = new TestClock(new Date());
    svc = await startService({}, { clock });
  });
  test.afterAll(async () => {
    await svc?.stop();
  });

  test('a student prints a reservation at the store in Japanese and in English; a second attempt, an unknown and an expired number are refused', async ({
    page,
  }, testInfo) => {
    const name = testInfo.project.name;
    await signInWithMail(page, svc.url, '山田 太郎', `store.${name}@example.jp`, 'ja');
    const orders = {
      ja: await reserveThroughApi(page, svc.url, 'ja'),
      en: await reserveThroughApi(page, svc.url, 'en'),
      expiring: await reserveThroughApi(page, svc.url, 'ja'),
    };

    for (const language of ['ja', 'en'] as const) {
      const text = TEXT[language];
      const order = orders[language];
      const number = order.reservation!.number;
      await page.goto(`${svc.url}/store`);
      if (language === 'en') await chooseLanguage(page, 'en');
      await expect(page.getByRole('heading', { level: 1, name: text.title })).toBeVisible();
      await expect(page.getByTestId('store-simulator-banner')).toBeVisible();
      await expectAccessible(page);
      await snap(page, testInfo, `store-01-enter-${language}`);

      // Too few digits: a translated field error, and what was typed stays.
      await typeOnKeypad(page, number.slice(0, 5));
      await page.getByTestId('store-next').click();
      await expect(page.getByTestId('store-number-error')).toHaveText(text.format);
      await expect(page.getByTestId('store-number')).toHaveValue(number.slice(0, 5));
      await expect(page.getByTestId('store-number')).toBeFocused();
      await page.getByTestId('store-key-clear').click();

      // The number on the keypad → the documents, copies and fee.
      await typeOnKeypad(page, number);
      await page.getByTestId('store-next').click();
      await expect(page.getByTestId('store-step-confirm')).toBeVisible();
      await expect(page.getByTestId('store-confirm-number')).toHaveText(number);
      await expect(page.getByTestId('store-document')).toHaveCount(1);
      await expect(page.getByTestId('store-document')).toContainText(text.type);
      await expect(page.getByTestId('store-total-fee')).toHaveText(text.fee);
      await expectAccessible(page);
      await snap(page, testInfo, `store-02-confirm-${language}`);

      // 印刷, but the first document never arrives: nothing comes out and the number is given back.
      await page.route('**/api/store/documents/**', (route) => route.abort(), { times: 1 });
      await page.getByTestId('store-print').click();
      await expect(page.getByTestId('store-stopped-failed')).toHaveText(text.failed);
      await expect(page.getByTestId('store-output')).toHaveCount(0);
      await expectAccessible(page);
      await snap(page, testInfo, `store-03a-stopped-${language}`);

      // Again; the documents arrive but the confirmation gets no answer: still nothing comes out.
      await page.route('**/api/store/confirm', (route) => route.abort(), { times: 1 });
      await page.getByTestId('store-print-again').click();
      await expect(page.getByTestId('store-stopped-unconfirmed')).toHaveText(text.unconfirmed);
      await expect(page.getByTestId('store-output')).toHaveCount(0);
      await expectAccessible(page);
      await snap(page, testInfo, `store-03b-unconfirmed-${language}`);

      // Completed: only now do the PDFs come out.
      await page.getByTestId('store-confirm-again').click();
      await expect(page.getByTestId('store-step-done')).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: text.done })).toBeVisible();
      const download = page.getByTestId('store-output-download').first();
      const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
      expect(file.suggestedFilename()).toBe(`${order.lines[0]!.certificateNumber}.pdf`);
      expect(
        readFileSync(await file.path())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
      await expectAccessible(page);
      await snap(page, testInfo, `store-03-printed-${language}`);

      // 終了 → back to the start; the same number again says already printed (typed with the keyboard).
      await page.getByTestId('store-finish').click();
      await expect(page.getByTestId('store-number')).toHaveValue('');
      await page.getByTestId('store-number').fill(`${number.slice(0, 4)}-${number.slice(4)}`);
      await page.getByTestId('store-number').press('Enter');
      await expect(page.getByTestId('error-message')).toHaveText(text.printed);
      await expect(page.getByTestId('store-number')).toHaveValue(`${number.slice(0, 4)}-${number.slice(4)}`);

      // A number nobody holds.
      await page.getByTestId('store-key-clear').click();
      await typeOnKeypad(page, order.reservation!.number === '00000000' ? '00000001' : '00000000');
      await page.getByTestId('store-next').click();
      await expect(page.getByTestId('error-message')).toHaveText(text.notFound);
      await expectAccessible(page);
      await snap(page, testInfo, `store-04-unknown-${language}`);
    }

    // Eight days later the third reservation has expired (the page is public: no session needed).
    clock.advance(8 * 86_400);
    for (const language of ['ja', 'en'] as const) {
      await page.goto(`${svc.url}/store`);
      await chooseLanguage(page, language);
      await typeOnKeypad(page, orders.expiring.reservation!.number);
      await page.getByTestId('store-next').click();
      await expect(page.getByTestId('error-message')).toHaveText(TEXT[language].expired);
      await snap(page, testInfo, `store-05-expired-${language}`);
    }
  });
});
