import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startService, type RunningService } from '../support/service.js';
import { claimOverApi, installKioskStandIn, kioskContext, placeOrder } from './campus-support.js';
import { chooseLanguage, env, expectAccessible, expectButtonOrder, signInWithMail, snap } from './support.js';

/**
 * 学内印刷 on the home lists in a demo service of its own: a personal
 * browser only sees the job waiting; a kiosk prints it once through `window.kiosk`; without the
 * shell, a kiosk session's browser stand-in downloads the PDF. Orders are placed over the API.
 */
const TEXT = {
  ja: {
    waiting: '学内印刷待ち',
    printed: '印刷済み',
    cancelled: '取消済み',
    reserved: '予約中',
    print: '印刷する',
    hint: '学内の証明書発行端末でログインすると印刷できます。',
    issue: '証明書を発行',
    showAll: 'すべて表示（5件）',
    showNewest: '新しい3件だけ表示',
    takeThem: 'プリンターから証明書をお取りください',
    logout: 'ログアウト',
  },
  en: {
    issue: 'Issue certificate',
    showAll: 'Show all (5)',
    showNewest: 'Show only the newest 3',
    takeThem: 'Please take your certificates from the printer',
    logout: 'Logout',
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

  test('in a personal browser a campus order waits with a hint and no print button, and a reservation can be cancelled after confirming', async ({
    page,
  }, testInfo) => {
    env('E2E_DEMO_URL'); // the global setup ran
    const base = svc.url;
    const language = testInfo.project.name === 'phone' ? 'ja' : 'en';
    const L = TEXT[language];
    await signInWithMail(page, base, '佐藤 花子', `campus-browser.${testInfo.project.name}.${Date.now()}@example.jp`, language);

    // Several orders: the main action stays at the top, the list shows its newest three.
    const older = [];
    for (let i = 0; i < 3; i++) older.push(await placeOrder(page, base, '2101002', 'campus', language));
    const campus = await placeOrder(page, base, '2101002', 'campus', language);
    const reservation = await placeOrder(page, base, '2101002', 'convenience', language);
    await page.reload();
    await expectIssueInFirstScreen(page, L.issue);

    const current = page.getByTestId('current-applications');
    const toggle = page.getByTestId('current-applications-toggle');
    await expect(toggle).toHaveText(L.showAll);
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(current.getByTestId('order-item')).toHaveCount(3);
    await toggle.click();
    await expect(toggle).toHaveText(L.showNewest);
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(current.getByTestId('order-item')).toHaveCount(5);
    await snap(page, testInfo, `certificates-campus-00-home-all-${language}`);
    const campusItem = current.locator(`[data-order-id="${campus.id}"]`);
    await expect(campusItem.getByTestId('order-status')).toHaveText(L.waiting);
    await expect(campusItem.getByTestId('order-campus-hint')).toHaveText(L.hint);
    await expect(campusItem.getByTestId('order-lines')).toContainText('× 2');
    await expect(page.getByTestId('campus-print-button')).toHaveCount(0);
    // Newest first: the reservation placed last comes before the campus order.
    const ids = await current.getByTestId('order-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-order-id')));
    expect(ids).toEqual([reservation.id, campus.id, ...older.map((o) => o.id).reverse()]);

    const reservationItem = current.locator(`[data-order-id="${reservation.id}"]`);
    await expect(reservationItem.getByTestId('order-status')).toHaveText(L.reserved);
    await expect(reservationItem.getByTestId('order-reservation-number')).toHaveText(reservation.reservation!.number);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-campus-01-waiting-${language}`);
    // The same screen in the other language.
    await chooseLanguage(page, language === 'ja' ? 'en' : 'ja');
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-campus-01b-waiting-${language === 'ja' ? 'en' : 'ja'}`);
    await chooseLanguage(page, language);

    // The API refuses a campus print from here too.
    const refused = await claimOverApi(page, base, campus.campusJob!.id);
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('campus.kioskOnly');

    // 取消 (a destructive action, in red) asks first; 戻る keeps the reservation; confirming cancels
    // it and it moves to 申請一覧.
    await expectDanger(reservationItem.getByTestId('order-cancel'));
    await reservationItem.getByTestId('order-cancel').click();
    await expect(reservationItem.getByTestId('order-cancel-confirm')).toBeVisible();
    await expectDanger(reservationItem.getByTestId('order-cancel-confirm'));
    await expectButtonOrder(page);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-campus-01c-cancel-confirm-${language}`);
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

  test('at a kiosk the print button calls the shell bridge once, the job moves to the list as printed, and it cannot print again', async ({
    browser,
  }, testInfo) => {
    const base = svc.url;
    const language = testInfo.project.name === 'phone' ? 'ja' : 'en';
    const L = TEXT[language];
    const context = await kioskContext(browser, svc);
    // A stand-in for the kiosk shell's preload: records each call, then does what the shell does over HTTP.
    const shell = await installKioskStandIn(context, { idleTimeoutSeconds: 180, countdownSeconds: 30, printer: { name: 'E2E printer', available: true } });
    const prints = () => shell.calls.filter((c) => c.startsWith('print:')).map((c) => c.slice('print:'.length));
    const page = await context.newPage();
    await signInWithMail(page, base, '山田 太郎', `campus-kiosk.${testInfo.project.name}.${Date.now()}@example.jp`, language);
    for (let i = 0; i < 3; i++) await placeOrder(page, base, '2101001', 'convenience', language);
    const order = await placeOrder(page, base, '2101001', 'campus', language);
    await page.reload();
    await expectIssueInFirstScreen(page, L.issue);

    const item = page.getByTestId('current-applications').locator(`[data-order-id="${order.id}"]`);
    await expect(item.getByTestId('order-status')).toHaveText(L.waiting);
    const button = item.getByTestId('campus-print-button');
    await expect(button).toHaveText(L.print);
    await expectAccessible(page);
    await snap(page, testInfo, `certificates-campus-03-kiosk-print-${language}`);

    // A double click prints once; what to do next stays on the screen: take the documents, log out.
    await button.dblclick();
    const notice = page.getByTestId('kiosk-printed');
    await expect(notice).toContainText(L.takeThem);
    await expect(notice.getByRole('button', { name: L.logout })).toBeVisible();
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
    const context = await kioskContext(browser, svc);
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

/** 印刷先選択 at the top of the page: the 証明書を発行 heading is inside the first screen, without scrolling. */
async function expectIssueInFirstScreen(page: Page, issue: string) {
  const heading = page.getByRole('heading', { level: 2, name: issue });
  await expect(page.getByTestId('destination-campus')).toHaveAttribute('href', /destination=campus/);
  await expect(page.getByTestId('current-applications').getByTestId('order-item').first()).toBeVisible();
  const box = (await heading.boundingBox())!;
  const screen = page.viewportSize()!;
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  expect(box.y + box.height).toBeLessThanOrEqual(screen.height);
}

/** A destructive action looks like one: the danger style (red), not the primary or secondary one. */
async function expectDanger(button: Locator) {
  await expect(button).toHaveClass(/(^|\s)btn--danger(\s|$)/);
  await expect(button).toHaveCSS('background-color', 'rgb(179, 38, 30)');
}
