import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startService, type RunningService } from '../support/service.js';
import { claimOverApi, installKioskStandIn, kioskContext, placeOrder } from './campus-support.js';
import { env, expectAccessible, signInWithMail, snap } from './support.js';

/**
 * 学内印刷 on the home lists (issue #4 §2, §5, §7) in a demo service of its own: a personal
 * browser only sees the job waiting; a kiosk prints it once through `window.kiosk`; without the
 * shell, a kiosk session's browser stand-in downloads the PDF. Orders are placed over the API.
 */
const TEXT = {
  ja: { waiting: '学内印刷待ち', printed: '印刷済み', cancelled: '取消済み', reserved: '予約中', print: '印刷する', hint: '学内の証明書発行端末でログインすると印刷できます。' },
  en: {
    waiting: 'Awaiting on-campus printing',
    printed: 'Printed',
    cancelled: 'Cancelled',
    reserved: 'Reserved',
    print: 'Print',
    hint: 'Log in at a certificate terminal on campus to print it.',
  },
};

test.describe('学内印刷 from the home lists', () => {
  let svc: RunningService;
  test.beforeAll(async () => {
    svc = await startService({});
  });
  test.afterAll(async () => {
    await svc?.stop();
  });

  test('in a personal browser a campus order waits with a hint and no print button, and a reservation can be cancelled after confirming', async ({ page }, testInfo) => {
    env('E2E_DEMO_URL'); // the global setup ran
    const base = svc.url;
    const language = testInfo.project.name === 'phone' ? 'ja' : 'en';
    const L = TEXT[language];
    await signInWithMail(page, base, '佐藤 花子', `campus-browser.${testInfo.project.name}.${Date.now()}@example.jp`, language);

    const campus = await placeOrder(page, base, '2101002', 'campus', language);
    const reservation = await placeOrder(page, base, '2101002', 'convenience', language);
    await page.reload();

    const current = page.getByTestId('current-applications');
    const campusItem = current.locator(`[data-order-id="${campus.id}"]`);
    await expect(campusItem.getByTestId('order-status')).toHaveText(L.waiting);
    await expect(campusItem.getByTestId('order-campus-hint')).toHaveText(L.hint);
    await expect(campusItem.getByTestId('order-lines')).toContainText('× 2');
    await expect(page.getByTestId('campus-print-button')).toHaveCount(0);
    // Newest first: the reservation placed second comes before the campus order.
    const ids = await current.getByTestId('order-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-order-id')));
    expect(ids).toEqual([reservation.id, campus.id]);

    const reservationItem = current.locator(`[data-order-id="${reservation.id}"]`);
    await expect(reservationItem.getByTestId('order-status')).toHaveText(L.reserved);
    await expect(reservationItem.getByTestId('order-reservation-number')).toHaveText(reservation.reservation!.number);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-campus-01-waiting-${language}`);

    // The API refuses a campus print from here too.
    const refused = await claimOverApi(page, base, campus.campusJob!.id);
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('campus.kioskOnly');

    // 取消 asks first; 戻る keeps the reservation; confirming cancels it and it moves to 申請一覧.
    await reservationItem.getByTestId('order-cancel').click();
    await expect(reservationItem.getByTestId('order-cancel-confirm')).toBeVisible();
    await expectAccessible(page);
    await reservationItem.getByTestId('order-cancel-back').click();
    await expect(reservationItem.getByTestId('order-cancel-confirm')).toHaveCount(0);
    await reservationItem.getByTestId('order-cancel').click();
    await reservationItem.getByTestId('order-cancel-confirm').click();
    await expect(page.getByTestId('order-notice')).toBeVisible();
    const cancelled = page.getByTestId('application-list').locator(`[data-order-id="${reservation.id}"]`);
    await expect(cancelled.getByTestId('order-status')).toHaveText(L.cancelled);
    await expect(current.locator(`[data-order-id="${reservation.id}"]`)).toHaveCount(0);
    await snap(page, testInfo, `certificates-campus-02-cancelled-${language}`);
  });

  test('at a kiosk the print button calls the shell bridge once, the job moves to the list as printed, and it cannot print again', async ({ browser }, testInfo) => {
    const base = svc.url;
    const language = testInfo.project.name === 'phone' ? 'ja' : 'en';
    const L = TEXT[language];
    const context = await kioskContext(browser);
    // A stand-in for the kiosk shell's preload: records each call, then does what the shell does over HTTP.
    const shell = await installKioskStandIn(context, { idleTimeoutSeconds: 180, countdownSeconds: 30, printer: { name: 'E2E printer', available: true } });
    const prints = () => shell.calls.filter((c) => c.startsWith('print:')).map((c) => c.slice('print:'.length));
    const page = await context.newPage();
    await signInWithMail(page, base, '山田 太郎', `campus-kiosk.${testInfo.project.name}.${Date.now()}@example.jp`, language);
    const order = await placeOrder(page, base, '2101001', 'campus', language);
    await page.reload();

    const item = page.getByTestId('current-applications').locator(`[data-order-id="${order.id}"]`);
    await expect(item.getByTestId('order-status')).toHaveText(L.waiting);
    const button = item.getByTestId('campus-print-button');
    await expect(button).toHaveText(L.print);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-campus-03-kiosk-print-${language}`);

    // A double click prints once.
    await button.dblclick();
    await expect(page.getByTestId('order-notice')).toBeVisible();
    const printed = page.getByTestId('application-list').locator(`[data-order-id="${order.id}"]`);
    await expect(printed.getByTestId('order-status')).toHaveText(L.printed);
    expect(prints()).toEqual([order.campusJob!.id]);
    await expect(page.getByTestId('campus-print-button')).toHaveCount(0);
    await expect(page.getByTestId('current-applications').locator(`[data-order-id="${order.id}"]`)).toHaveCount(0);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-campus-04-kiosk-printed-${language}`);

    // No second print: the service refuses another claim of the same job.
    const again = await claimOverApi(page, base, order.campusJob!.id);
    expect(again.status()).toBe(409);
    expect((await again.json()).error.code).toBe('campus.alreadyPrinted');
    await page.reload();
    await expect(page.getByTestId('application-list').locator(`[data-order-id="${order.id}"]`).getByTestId('order-status')).toHaveText(L.printed);
    await expect(page.getByTestId('campus-print-button')).toHaveCount(0);
    expect(prints()).toHaveLength(1);
    await context.close();
  });

  test('at a kiosk session without the shell, the browser stand-in downloads the signed PDF and marks the job printed', async ({ browser }, testInfo) => {
    const base = svc.url;
    const language = testInfo.project.name === 'phone' ? 'ja' : 'en';
    const L = TEXT[language];
    const context = await kioskContext(browser);
    const page = await context.newPage();
    await signInWithMail(page, base, '鈴木 一郎', `campus-standin.${testInfo.project.name}.${Date.now()}@example.jp`, language);
    const order = await placeOrder(page, base, '2101003', 'campus', language);
    await page.reload();

    const item = page.getByTestId('current-applications').locator(`[data-order-id="${order.id}"]`);
    const downloading = page.waitForEvent('download');
    await item.getByTestId('campus-print-button').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${order.lines[0]!.certificateNumber}.pdf`);
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await expect(page.getByTestId('application-list').locator(`[data-order-id="${order.id}"]`).getByTestId('order-status')).toHaveText(L.printed);
    await expect(page.getByTestId('campus-print-button')).toHaveCount(0);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-campus-05-standin-printed-${language}`);
    await context.close();
  });
});
