import { expect, test } from '@playwright/test';
import { sspUser } from './users.js';
import { chooseLanguage, env, expectAccessible, oneTimeUrl, signInAtSimpleSamlPhp, snap, waitForMail } from './support.js';

/** Words the two languages show on each screen (the manual's labels). */
const WORDS = {
  ja: {
    mailSetting: 'メールアドレス設定',
    sent: '確認メールを送信しました',
    complete: 'メールアドレス設定完了',
    home: '印刷先選択',
    previousLogin: '前回ログイン日時',
    registerSubject: /メールアドレス設定の確認/,
    changeSubject: /メールアドレス変更の確認/,
    changedSubject: /メールアドレスが変更されました/,
    mailChange: 'メールアドレス変更',
  },
  en: {
    mailSetting: 'Mail address setting',
    sent: 'A confirmation mail has been sent',
    complete: 'Mail address setting complete',
    home: 'Select printing destination',
    previousLogin: 'Date and time of previous login',
    registerSubject: /Confirm your mail address/,
    changeSubject: /Confirm your new mail address/,
    changedSubject: /Your mail address was changed/,
    mailChange: 'Change mail address',
  },
} as const;

for (const language of ['ja', 'en'] as const) {
  test(`a student signs in with the university IdP, registers and changes a mail address (${language})`, async ({ page }, testInfo) => {
    const w = WORDS[language];
    const user = sspUser(`${testInfo.project.name}-${language}`);
    const base = env('E2E_REAL_URL');
    const stamp = `${testInfo.project.name}-${language}-${Date.now()}`;
    const first = `first.${stamp}@inbox.e2e.example.jp`;
    const second = `second.${stamp}@inbox.e2e.example.jp`;

    // Login screen, in the chosen language.
    await page.goto(`${base}/`);
    await expect(page).toHaveURL(/\/login/);
    if (language === 'en') await chooseLanguage(page, 'en');
    await expect(page.getByTestId('login-button')).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `${language}-01-login`);

    // The university IdP, then back to the first-login mail registration.
    await page.getByTestId('login-button').click();
    await signInAtSimpleSamlPhp(page, user.username, user.password);
    await expect(page).toHaveURL(/\/mail\/register/);
    await expect(page.getByRole('heading', { name: w.mailSetting })).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `${language}-02-mail-registration`);

    // A mismatch is refused in the user's language and keeps what was typed.
    await page.getByTestId('mail-input').fill(first);
    await page.getByTestId('mail-confirm-input').fill(`x${first}`);
    await page.getByTestId('submit-button').click();
    await expect(page.getByTestId('field-error-mailConfirm')).toBeVisible();
    await expect(page.getByTestId('mail-input')).toHaveValue(first);
    await snap(page, testInfo, `${language}-03-mismatch`);

    const sentAt = Date.now();
    await page.getByTestId('mail-confirm-input').fill(first);
    await page.getByTestId('submit-button').click();
    await expect(page).toHaveURL(/\/mail\/sent/);
    await expect(page.getByText(w.sent).first()).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `${language}-04-mail-sent`);

    // The mail arrives over SMTP, in the chosen language, with a one-time URL.
    const registration = await waitForMail(first, sentAt);
    expect(registration.subject).toMatch(w.registerSubject);
    const link = oneTimeUrl(registration);
    expect(link.startsWith(`${base}/mail/confirm#token=`)).toBe(true);

    // Opening the link alone changes nothing (mail scanners); the button completes it.
    await page.goto(link);
    await expect(page.getByTestId('confirm-button')).toBeVisible();
    expect(page.url()).not.toContain('token=');
    await expectAccessible(page);
    await page.getByTestId('confirm-button').click();
    await expect(page.getByRole('heading', { name: w.complete })).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `${language}-05-setting-complete`);

    // The same link a second time is refused with a way forward.
    const reuse = await page.context().newPage();
    await reuse.goto(link);
    await reuse.getByTestId('confirm-button').click();
    await expect(reuse.getByTestId('error-message')).toBeVisible();
    await snap(reuse, testInfo, `${language}-06-link-used`);
    await reuse.close();

    // ログインページへ移動 → login → home with the previous login time.
    await page.getByTestId('move-to-login').click();
    await expect(page).toHaveURL(/\/login/);
    await page.getByTestId('login-button').click();
    await expect(page).toHaveURL(/\/home/);
    await expect(page.getByRole('heading', { name: w.home })).toBeVisible();
    await expect(page.getByText(w.previousLogin)).toBeVisible();
    await expect(page.getByTestId('previous-login')).toHaveText(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    for (const id of ['destination-convenience', 'destination-campus', 'destination-mail']) {
      await expect(page.getByTestId(id)).toBeVisible();
    }
    await expect(page.getByTestId('current-applications')).toBeVisible();
    await expect(page.getByTestId('application-list')).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `${language}-07-home`);

    // Change the mail address from the menu.
    await page.getByTestId('menu-button').click();
    await expectAccessible(page);
    await page.getByTestId('menu-mail-change').click();
    await expect(page.getByRole('heading', { name: w.mailChange })).toBeVisible();
    await expectAccessible(page);
    const changeAt = Date.now();
    await page.getByTestId('mail-input').fill(second);
    await page.getByTestId('mail-confirm-input').fill(second);
    await page.getByTestId('submit-button').click();
    await expect(page).toHaveURL(/\/mail\/sent/);
    const change = await waitForMail(second, changeAt);
    expect(change.subject).toMatch(w.changeSubject);
    await page.goto(oneTimeUrl(change));
    await page.getByTestId('confirm-button').click();
    await expect(page.getByTestId('error-message')).toHaveCount(0);
    await snap(page, testInfo, `${language}-08-change-complete`);
    const notice = await waitForMail(first, changeAt);
    expect(notice.subject).toMatch(w.changedSubject);

    // Logout ends the session on the server.
    await page.goto(`${base}/home`);
    await page.getByTestId('menu-button').click();
    await page.getByTestId('menu-logout').click();
    await expect(page).toHaveURL(/\/login/);
    const me = await page.request.get(`${base}/api/me`);
    expect(me.status()).toBe(401);
  });
}

test('LANG:English on the home screen switches the screens, sticks, and sends the next mail in English', async ({ page }, testInfo) => {
  const user = sspUser(`${testInfo.project.name}-switch`);
  const base = env('E2E_REAL_URL');
  const stamp = `${testInfo.project.name}-switch-${Date.now()}`;
  const address = `ja.${stamp}@inbox.e2e.example.jp`;

  // A Japanese student registers a mail address (Japanese mail).
  await page.goto(`${base}/login`);
  await page.getByTestId('login-button').click();
  await signInAtSimpleSamlPhp(page, user.username, user.password);
  await expect(page).toHaveURL(/\/mail\/register/);
  const t0 = Date.now();
  await page.getByTestId('mail-input').fill(address);
  await page.getByTestId('mail-confirm-input').fill(address);
  await page.getByTestId('submit-button').click();
  expect((await waitForMail(address, t0)).subject).toMatch(WORDS.ja.registerSubject);
  await page.goto(oneTimeUrl(await waitForMail(address, t0)));
  await page.getByTestId('confirm-button').click();
  await page.getByTestId('move-to-login').click();
  await page.getByTestId('login-button').click();
  await expect(page.getByRole('heading', { name: WORDS.ja.home })).toBeVisible();

  // LANG:English on 印刷先選択.
  await chooseLanguage(page, 'en');
  await expect(page.getByRole('heading', { name: WORDS.en.home })).toBeVisible();
  await expect(page.getByText(WORDS.en.previousLogin)).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, 'switch-01-home-en');

  // It sticks: a reload and the next screens are English.
  await page.reload();
  await expect(page.getByRole('heading', { name: WORDS.en.home })).toBeVisible();
  await page.getByTestId('menu-button').click();
  await page.getByTestId('menu-mail-change').click();
  await expect(page.getByRole('heading', { name: WORDS.en.mailChange })).toBeVisible();

  // And the next mail is English.
  const next = `en.${stamp}@inbox.e2e.example.jp`;
  const t1 = Date.now();
  await page.getByTestId('mail-input').fill(next);
  await page.getByTestId('mail-confirm-input').fill(next);
  await page.getByTestId('submit-button').click();
  await expect(page.getByText(WORDS.en.sent).first()).toBeVisible();
  const mail = await waitForMail(next, t1);
  expect(mail.subject).toMatch(WORDS.en.changeSubject);
  expect(mail.text).toMatch(/Due date for the URL: 30 minutes/);

  // The manual opens from the menu, in English.
  await page.goto(`${base}/home`);
  await page.getByTestId('menu-button').click();
  await page.getByTestId('menu-manual').click();
  await expect(page).toHaveURL(/\/manual/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Manual/);
  await expectAccessible(page);
  await snap(page, testInfo, 'switch-02-manual-en');
});
