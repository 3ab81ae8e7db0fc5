import { expect, test, type Page } from '@playwright/test';
import { startService, type RunningService } from '../support/service.js';
import { claimOverApi, installKioskStandIn, KIOSK_UA, kioskContext, placeOrder } from './campus-support.js';
import { expectAccessible, signInWithMail, snap } from './support.js';

/**
 * The renderer's kiosk behaviour in a demo service of its own, with a
 * stand-in for the shell's `window.kiosk` (the Electron binary cannot run here): the idle countdown,
 * logout and wipe, printing once, the kiosk look; and none of it in a personal browser.
 */
const TEXT = {
  ja: {
    title: 'まだご利用中ですか？',
    continue: '続ける',
    printer: '係員の方へ：プリンターが見つかりません',
    print: '印刷する',
    printed: '印刷済み',
    takeThem: 'プリンターから証明書をお取りください',
    logout: 'ログアウト',
    graduates: '卒業生の方はこちら',
    goToKiosk: '学内の証明書発行端末でログイン',
  },
  en: {
    title: 'Are you still there?',
    continue: 'Continue',
    printer: 'For staff: printer not found',
    print: 'Print',
    printed: 'Printed',
    takeThem: 'Please take your certificates from the printer',
    logout: 'Logout',
    graduates: 'Graduates: log in here',
    goToKiosk: 'Log in at a certificate kiosk',
  },
};

const storageSizes = (page: Page) => page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));

test.describe('kiosk terminal behaviour in the renderer', () => {
  // A fresh demo service for each test: the demo students register their mail at first login, so
  // no test may depend on what another did with the same student.
  let svc: RunningService;
  test.beforeEach(async () => {
    svc = await startService({});
  });
  test.afterEach(async () => {
    await svc?.stop();
  });

  const languageOf = (project: string) => (project === 'phone' ? 'ja' : 'en');

  test('after the idle time a countdown dialog opens; with no input it logs out, the shell wipes once, storage is empty and the next visitor sees the login screen', async ({
    browser,
  }, testInfo) => {
    const base = svc.url;
    const language = languageOf(testInfo.project.name);
    const L = TEXT[language];
    const context = await kioskContext(browser, svc);
    const shell = await installKioskStandIn(context, { idleTimeoutSeconds: 600, countdownSeconds: 3, printer: { name: 'E2E printer', available: true } });
    const page = await context.newPage();
    await signInWithMail(page, base, '山田 太郎', `kiosk-idle.${testInfo.project.name}.${Date.now()}@example.jp`, language);

    // Something for the wipe to clear, then a short idle time (the terminal is asked once per page).
    await page.evaluate(() => {
      localStorage.setItem('probe', 'left by the previous visitor');
      sessionStorage.setItem('probe', 'left by the previous visitor');
      document.cookie = 'probe=1; path=/';
    });
    shell.terminal.idleTimeoutSeconds = 3;
    await page.goto(`${base}/home`);

    const dialog = page.getByRole('alertdialog', { name: L.title });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: L.continue })).toBeFocused();
    await expect(page.getByTestId('kiosk-idle-announcement')).toHaveAttribute('aria-live', 'polite');
    await snap(page, testInfo, `kiosk-01-idle-countdown-${language}`);

    // No input: logout, one sessionEnded, and the shell's /login.
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByTestId('login-button')).toBeVisible();
    expect(shell.calls.filter((c) => c === 'sessionEnded')).toHaveLength(1);
    expect(await storageSizes(page)).toEqual({ local: 0, session: 0, cookie: '' });
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(401);
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await snap(page, testInfo, `kiosk-02-next-visitor-${language}`);
    await context.close();
  });

  test('input during the countdown keeps the session, and the dialog passes axe', async ({ browser }, testInfo) => {
    const base = svc.url;
    const language = languageOf(testInfo.project.name);
    const L = TEXT[language];
    const context = await kioskContext(browser, svc);
    const shell = await installKioskStandIn(context, { idleTimeoutSeconds: 600, countdownSeconds: 60, printer: { name: 'E2E printer', available: true } });
    const page = await context.newPage();
    await signInWithMail(page, base, '佐藤 花子', `kiosk-continue.${testInfo.project.name}.${Date.now()}@example.jp`, language);
    shell.terminal.idleTimeoutSeconds = 3;
    await page.goto(`${base}/home`);

    const dialog = page.getByRole('alertdialog', { name: L.title });
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `kiosk-03-idle-dialog-${language}`);

    await dialog.getByRole('button', { name: L.continue }).click();
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await expect(page).toHaveURL(/\/home$/);
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(200);

    // A key press during the next countdown keeps the session as well.
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Shift');
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await expect(page).toHaveURL(/\/home$/);
    expect(shell.calls).not.toContain('sessionEnded');
    await context.close();
  });

  test('on the order’s page the print button calls the bridge once; afterwards the screen says to take the documents and offers a large logout, and the job is not printed again', async ({
    browser,
  }, testInfo) => {
    const base = svc.url;
    const language = languageOf(testInfo.project.name);
    const L = TEXT[language];
    const context = await kioskContext(browser, svc);
    const shell = await installKioskStandIn(context, { idleTimeoutSeconds: 600, countdownSeconds: 30, printer: { name: 'E2E printer', available: true } });
    const page = await context.newPage();
    await signInWithMail(page, base, '鈴木 一郎', `kiosk-print.${testInfo.project.name}.${Date.now()}@example.jp`, language);
    const order = await placeOrder(page, base, '2101003', 'campus', language);
    // Where 申請 leads at a kiosk: the order's page (申請完了), with 印刷する.
    await page.goto(`${base}/certificates/orders/${order.id}`);

    const button = page.getByTestId('campus-print-button');
    await expect(button).toHaveText(L.print);
    await button.dblclick();
    await expect(page.getByTestId('order-status')).toHaveText(L.printed);
    expect(shell.calls.filter((c) => c.startsWith('print:'))).toEqual([`print:${order.campusJob!.id}`]);
    await expect(page.getByTestId('campus-print-button')).toHaveCount(0);

    // The message stays after the page has reloaded the order, and nothing says to go to a kiosk.
    const notice = page.getByTestId('kiosk-printed');
    await expect(notice).toContainText(L.takeThem);
    await page.waitForTimeout(1_500);
    await expect(notice).toContainText(L.takeThem);
    await expect(page.getByTestId('order-campus')).not.toContainText(L.goToKiosk);
    const logout = notice.getByRole('button', { name: L.logout });
    expect((await logout.boundingBox())!.height).toBeGreaterThanOrEqual(80);
    await expectAccessible(page);
    await snap(page, testInfo, `kiosk-04-printed-${language}`);

    const again = await claimOverApi(page, base, order.campusJob!.id);
    expect(again.status()).toBe(409);
    expect((await again.json()).error.code).toBe('campus.alreadyPrinted');

    // ログアウト: the session ends, the shell wipes, the next visitor gets the login screen.
    await logout.click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByTestId('login-button')).toBeVisible();
    expect(shell.calls.filter((c) => c === 'sessionEnded')).toHaveLength(1);
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(401);
    await context.close();
  });

  test('the kiosk look: kiosk class, touch-sized buttons, a login screen that fits without scrolling (graduates behind a button), no links to other origins, and the staff printer warning', async ({
    browser,
  }, testInfo) => {
    const base = svc.url;
    const language = languageOf(testInfo.project.name);
    const L = TEXT[language];
    const context = await kioskContext(browser, svc);
    await installKioskStandIn(context, { idleTimeoutSeconds: 600, countdownSeconds: 30, printer: { name: 'Campus-Printer-1', available: false } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    if (language === 'en') await page.getByTestId('lang-select').selectOption({ label: 'LANG:English' });
    await expect(page.locator('html')).toHaveClass(/(^|\s)kiosk(\s|$)/);

    const warning = page.getByTestId('kiosk-printer-warning');
    await expect(warning).toContainText(L.printer);
    await expect(warning).toContainText('Campus-Printer-1');
    const login = await page.getByTestId('login-button').boundingBox();
    expect(login!.height).toBeGreaterThanOrEqual(64);
    // One 1920×1080 screen, no scrolling, even with the warning and the demo notice.
    await expect(page.getByTestId('demo-notice')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(1080);
    await expect(page.getByTestId('graduate-login')).toHaveCount(0);
    await expectAccessible(page);
    await snap(page, testInfo, `kiosk-05-login-printer-warning-${language}`);

    // 卒業生の方はこちら opens the graduates' form, and closes it again.
    const graduates = page.getByRole('button', { name: L.graduates });
    await expect(graduates).toHaveAttribute('aria-expanded', 'false');
    await graduates.click();
    await expect(graduates).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('graduate-mail-input')).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `kiosk-05b-login-graduates-${language}`);
    await graduates.click();
    await expect(page.getByTestId('graduate-login')).toHaveCount(0);

    for (const path of ['/login', '/manual']) {
      await page.goto(`${base}${path}`);
      await expect(page.locator('html')).toHaveClass(/(^|\s)kiosk(\s|$)/);
      const foreign = await page.evaluate(() =>
        Array.from(document.querySelectorAll('a[href]'))
          .map((a) => (a as HTMLAnchorElement).href)
          .filter((href) => new URL(href).origin !== location.origin),
      );
      expect(foreign, path).toEqual([]);
    }
    // A link to another origin that appears later is rendered as plain text.
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = 'https://www.example.org/';
      a.textContent = 'outside';
      a.id = 'outside-link';
      document.querySelector('main')!.appendChild(a);
    });
    await expect(page.locator('#outside-link')).not.toHaveAttribute('href', /.*/);
    await snap(page, testInfo, `kiosk-06-manual-${language}`);
    await context.close();
  });

  test('every new visitor starts in the terminal’s default language; a visitor’s own choice sticks until the wipe', async ({ browser }) => {
    const base = svc.url;
    const context = await kioskContext(browser, svc);
    await installKioskStandIn(context, { defaultLanguage: 'en', idleTimeoutSeconds: 600, countdownSeconds: 30, printer: { name: null, available: true } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('lang-select')).toHaveValue('en');
    // The terminal language is this visitor's language on the service too (mails, errors).
    expect((await (await page.request.get(`${base}/api/session`)).json()).language).toBe('en');

    await page.getByTestId('lang-select').selectOption({ label: 'LANG:日本語' });
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByTestId('lang-select')).toHaveValue('ja');

    // The shell's wipe clears the cookies: the next visitor gets the terminal's language again.
    await context.clearCookies();
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await context.close();
  });

  test('before sign-in, a visitor who touched the screen and walked away leaves nothing: the terminal returns to an untouched login screen, once', async ({
    browser,
  }, testInfo) => {
    const base = svc.url;
    const context = await kioskContext(browser, svc);
    const shell = await installKioskStandIn(context, { idleTimeoutSeconds: 3, countdownSeconds: 3, printer: { name: null, available: true } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await page.getByTestId('lang-select').selectOption({ label: 'LANG:English' });
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    const dialog = page.getByRole('alertdialog', { name: TEXT.en.title });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('return to the start screen');
    await snap(page, testInfo, 'kiosk-07-reset-before-sign-in-en');
    await expect.poll(() => shell.calls.filter((c) => c === 'sessionEnded').length).toBe(1);
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    expect(await storageSizes(page)).toEqual({ local: 0, session: 0, cookie: '' });

    // The untouched login screen is left alone: no dialog, no second wipe after another idle time.
    await page.waitForTimeout(7_000);
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    expect(shell.calls.filter((c) => c === 'sessionEnded')).toHaveLength(1);
    await context.close();
  });

  test('at a kiosk session without the shell, the logout button wipes the page’s storage and shows the login screen', async ({ browser }, testInfo) => {
    const base = svc.url;
    const language = languageOf(testInfo.project.name);
    const context = await kioskContext(browser, svc);
    const page = await context.newPage();
    await signInWithMail(page, base, '山田 太郎', `kiosk-logout.${testInfo.project.name}.${Date.now()}@example.jp`, language);
    await expect(page.locator('html')).toHaveClass(/(^|\s)kiosk(\s|$)/);
    await page.evaluate(() => {
      localStorage.setItem('probe', '1');
      sessionStorage.setItem('probe', '1');
      document.cookie = 'probe=1; path=/';
    });
    await page.getByTestId('menu-button').click();
    await page.getByTestId('menu-logout').click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByTestId('login-button')).toBeVisible();
    expect(await storageSizes(page)).toEqual({ local: 0, session: 0, cookie: '' });
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(401);
    await context.close();
  });

  test('a personal browser — even one that sends the kiosk User-Agent, without an enrolled terminal — shows no kiosk class, no kiosk bridge and no countdown dialog, and keeps the graduates’ form open', async ({
    browser,
  }, testInfo) => {
    const base = svc.url;
    const language = languageOf(testInfo.project.name);
    const context = await browser.newContext({ userAgent: KIOSK_UA });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await expect(page.getByTestId('graduate-mail-input')).toBeVisible();
    await expect(page.getByTestId('graduate-disclosure')).toHaveCount(0);
    await signInWithMail(page, base, '佐藤 花子', `kiosk-personal.${testInfo.project.name}.${Date.now()}@example.jp`, language);
    await expect(page).toHaveURL(/\/home/);
    await expect(page.locator('html')).not.toHaveClass(/(^|\s)kiosk(\s|$)/);
    expect(await page.evaluate(() => 'kiosk' in window)).toBe(false);
    await expect(page.getByTestId('kiosk-idle')).toHaveCount(0);
    await expect(page.getByTestId('kiosk-printer-warning')).toHaveCount(0);
    await context.close();
  });
});
