import { expect, test, type Page } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { chooseLanguage, expectAccessible, expectWebFontCovers, snap } from './support.js';

/**
 * Graduate access in Chromium against its own service (in-process, serving the built renderer,
 * demo registry, mail over a real SMTP server), so that staff approval can be given directly.
 * Phone in Japanese, kiosk in English; each with a demo graduate of its own.
 */
let service: RunningService;
let smtp: TestSmtpServer;

test.beforeAll(async () => {
  smtp = await startSmtpServer();
  service = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'certificates@e2e.example.ac.jp' });
});
test.afterAll(async () => {
  await service?.stop();
  await smtp?.stop();
});

const GRADUATES = {
  phone: {
    language: 'ja' as const,
    // Rare kanji (a surrogate pair, a variant form): the bundled font must draw them.
    nameKanji: '髙﨑　𠮷太',
    nameKana: 'タカサキ キチタ',
    nameRoman: 'Takasaki Kichita',
    faculty: 'LIT',
    department: 'HIS',
    studentId: '1501101',
    year: '2019',
  },
  kiosk: {
    language: 'en' as const,
    nameKanji: '渡辺 由美',
    nameKana: 'ワタナベ ユミ',
    nameRoman: 'Watanabe Yumi',
    faculty: 'ENG',
    department: 'MEC',
    studentId: '1701102',
    year: '2021',
  },
};

const linkIn = (mail: ParsedMail, page: 'register' | 'reset'): string => {
  const m = new RegExp(`(https?://\\S+/graduates/${page}#token=[A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!m?.[1]) throw new Error(`no ${page} link in "${mail.subject ?? ''}":\n${mail.text ?? ''}`);
  return m[1];
};

async function signIn(page: Page, mail: string, password: string, secondPassword: string) {
  await page.getByTestId('graduate-mail-input').fill(mail);
  await page.getByTestId('graduate-password-input').fill(password);
  await page.getByTestId('graduate-secondPassword-input').fill(secondPassword);
  await page.getByTestId('graduate-login-button').click();
}

test('a graduate applies by mail, staff approve, and the graduate signs in with the second password', async ({ page }, testInfo) => {
  const g = GRADUATES[testInfo.project.name as keyof typeof GRADUATES];
  const ja = g.language === 'ja';
  const mail = `${testInfo.project.name}.graduate.${Date.now()}@example.jp`;
  const password = 'autumn-leaves-2019';
  const second = 'river-4242';

  await page.goto(`${service.url}/login`);
  if (!ja) await chooseLanguage(page, 'en');
  const section = page.getByTestId('graduate-login');
  await expect(section.getByRole('heading', { name: ja ? '卒業生の方' : 'Graduates' })).toBeVisible();
  await expect(page.getByTestId('login-button')).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, 'graduates-01-login');

  // 利用申請(新規登録): bad input gets translated messages and keeps what was typed.
  await page.getByTestId('graduate-apply-link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ja ? '利用申請(新規登録)' : 'Apply for access');
  await page.getByTestId('grad-mail-submit').click();
  await expect(page.getByTestId('grad-error-mail')).toHaveText(ja ? '入力してください。' : 'Please fill in this field.');
  await page.getByTestId('grad-field-mail').fill('not-an-address');
  await page.getByTestId('grad-field-mailConfirm').fill('other@example.jp');
  await page.getByTestId('grad-mail-submit').click();
  await expect(page.getByTestId('grad-error-mail')).toContainText(ja ? 'メールアドレスの形式' : 'not a valid mail address');
  await expect(page.getByTestId('grad-error-mailConfirm')).toBeVisible();
  await expect(page.getByTestId('grad-field-mail')).toHaveValue('not-an-address');
  await expectAccessible(page);
  await page.getByTestId('grad-field-mail').fill(mail);
  await page.getByTestId('grad-field-mailConfirm').fill(mail);
  const since = Date.now();
  await page.getByTestId('grad-mail-submit').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ja ? '確認メールを送信しました' : 'Confirmation mail sent');
  await expect(page.getByTestId('grad-sent-to')).toHaveText(mail);
  await snap(page, testInfo, 'graduates-02-sent');

  // The mailed link: the form, with the password rules shown before typing.
  const linkMail = await smtp.waitForMail(mail, { since, timeoutMs: 15_000 });
  await page.goto(linkIn(linkMail, 'register'));
  await expect(page).toHaveURL(/\/graduates\/register$/);
  await expect(page.getByTestId('grad-register-mail')).toHaveText(mail);
  await expect(page.getByText(ja ? 'パスワードの条件' : 'Password rules')).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, 'graduates-03-form');

  await page.getByTestId('grad-check').click();
  await expect(page.getByTestId('app-field-nameKanji')).toBeFocused();
  await expect(page.getByTestId('grad-error-password')).toBeVisible();
  await page.getByTestId('app-field-nameKanji').fill(g.nameKanji);
  await page.getByTestId('app-field-nameKana').fill(g.nameKana);
  await page.getByTestId('app-field-nameRoman').fill(g.nameRoman);
  await page.getByTestId('app-field-universityCode').selectOption('DEMO');
  await page.getByTestId('app-field-facultyCode').selectOption(g.faculty);
  await page.getByTestId('app-field-departmentCode').selectOption(g.department);
  await page.getByTestId('app-field-studentId').fill(g.studentId);
  await page.getByTestId('app-field-graduationYear').fill(g.year);
  await page.getByTestId('app-field-graduationMonth').selectOption('03');
  await page.getByTestId('app-field-leaveType-graduated').check();
  // Secrets against the rules: too short; second password equal to the password.
  await page.getByTestId('grad-field-password').fill('short1');
  await page.getByTestId('grad-field-passwordConfirm').fill('short1');
  await page.getByTestId('grad-field-secondPassword').fill('short1');
  await page.getByTestId('grad-field-secondPasswordConfirm').fill('short1');
  await page.getByTestId('grad-check').click();
  await expect(page.getByTestId('grad-error-password')).toHaveText(ja ? '12文字以上で入力してください。' : 'Please enter at least 12 characters.');
  await expect(page.getByTestId('grad-error-secondPassword')).toHaveText(ja ? '8文字以上で入力してください。' : 'Please enter at least 8 characters.');
  await expect(page.getByTestId('grad-field-password')).toBeFocused();
  await expect(page.getByTestId('app-field-studentId')).toHaveValue(g.studentId);
  await expectAccessible(page);
  await page.getByTestId('grad-field-password').fill(password);
  await page.getByTestId('grad-field-passwordConfirm').fill(password);
  await page.getByTestId('grad-field-secondPassword').fill(password);
  await expect(page.getByTestId('grad-error-secondPassword')).toHaveText(
    ja ? 'パスワードとは異なるものを入力してください。' : 'Please choose a second password different from the password.',
  );
  await page.getByTestId('grad-field-secondPassword').fill(second);
  await page.getByTestId('grad-field-secondPasswordConfirm').fill(second);
  await page.getByTestId('grad-check').click();

  // 確認 → 申請 → 申請を受け付けました.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ja ? '申請内容の確認' : 'Check your application');
  await expect(page.getByTestId('grad-review-step')).toContainText(g.studentId);
  await expect(page.getByTestId('grad-review-step')).toContainText(g.nameKanji);
  await expectWebFontCovers(page, g.nameKanji);
  await expect(page.getByTestId('grad-review-step')).not.toContainText(password);
  await expectAccessible(page);
  await snap(page, testInfo, 'graduates-04-review');
  await page.getByTestId('grad-submit').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ja ? '申請を受け付けました' : 'Your application was received');
  await expect(page.getByTestId('grad-register-done')).toContainText(mail);
  await expectAccessible(page);
  await snap(page, testInfo, 'graduates-05-done');

  // Before approval: the right secrets are told "being reviewed", and nobody is signed in.
  await page.getByTestId('grad-to-login').click();
  await signIn(page, mail, password, second);
  await expect(page.getByTestId('graduate-login-error')).toContainText(ja ? '審査中' : 'being reviewed');

  const account = await service.stores.store.accounts.findByIdentity('urn:shomei:graduate', mail);
  const [application] = await service.deps.applications.listForAccount(account!.id);
  await service.deps.applications.decide(application!.id, { action: 'approve', reason: null }, { id: 'staff-e2e', name: 'E2E Reviewer' });

  // A wrong second password: one message, the secrets cleared, the address kept.
  await signIn(page, mail, password, 'river-4243');
  const failed = ja
    ? 'メールアドレス、パスワードまたは第2パスワードが正しくありません。'
    : 'The mail address, the password or the second password is not correct.';
  await expect(page.getByTestId('graduate-login-error')).toContainText(failed);
  await expect(page.getByTestId('graduate-mail-input')).toHaveValue(mail);
  await expect(page.getByTestId('graduate-password-input')).toHaveValue('');
  await expectAccessible(page);
  await snap(page, testInfo, 'graduates-06-login-failed');

  await signIn(page, mail, password, second);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ja ? '印刷先選択' : 'Select printing destination');
  await expect(page.locator('main')).toContainText(g.studentId);
  await expect(page.locator('html')).toHaveAttribute('lang', g.language);
  await expectAccessible(page);
  await snap(page, testInfo, 'graduates-07-home');
});

test('a graduate who forgot the password resets it by mail and signs in with the new one', async ({ page }, testInfo) => {
  const ja = testInfo.project.name === 'phone';
  const mail = `${testInfo.project.name}.forgetful.${Date.now()}@example.jp`;
  const studentId = ja ? '2101004' : '5251004';
  // Registered and approved through the service (the UI of that is the test above).
  await service.deps.graduates.apply(mail, mail, ja ? 'ja' : 'en', 'e2e');
  const token = /#token=([A-Za-z0-9_-]+)/.exec((await smtp.waitForMail(mail, { timeoutMs: 15_000 })).text ?? '')![1]!;
  const catalogue = await service.deps.registry.catalogue();
  const { application } = await service.deps.graduates.register({
    token,
    form: {
      nameKanji: '高橋 美咲',
      nameKana: 'タカハシ ミサキ',
      nameRoman: 'Takahashi Misaki',
      universityCode: 'DEMO',
      facultyCode: ja ? 'ENG' : 'GSE',
      departmentCode: ja ? 'INF' : 'INFS',
      studentId,
      graduationYearMonth: ja ? '2024-03' : '2026-03',
      leaveType: 'graduated',
    },
    password: 'first-secret-2020',
    passwordConfirm: 'first-secret-2020',
    secondPassword: 'second-2020',
    secondPasswordConfirm: 'second-2020',
    language: ja ? 'ja' : 'en',
    catalogue,
  });
  await service.deps.applications.decide(application.id, { action: 'approve', reason: null }, { id: 'staff-e2e', name: 'E2E Reviewer' });

  await page.goto(`${service.url}/login`);
  if (!ja) await chooseLanguage(page, 'en');
  await page.getByTestId('graduate-forgot-link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ja ? 'パスワードの再設定' : 'Reset your password');
  await expectAccessible(page);
  await page.getByTestId('grad-field-mail').fill(mail);
  const since = Date.now();
  await page.getByTestId('grad-mail-submit').click();
  await expect(page.getByTestId('grad-forgot-sent')).toBeVisible();
  await snap(page, testInfo, 'graduates-08-forgot-sent');

  await page.goto(linkIn(await smtp.waitForMail(mail, { since, timeoutMs: 15_000 }), 'reset'));
  await expect(page.getByTestId('grad-reset-mail')).toHaveText(mail);
  await page.getByTestId('grad-field-password').fill('new-secret-2026');
  await page.getByTestId('grad-field-passwordConfirm').fill('new-secret-2027');
  await page.getByTestId('grad-reset-submit').click();
  await expect(page.getByTestId('grad-error-passwordConfirm')).toHaveText(ja ? '入力したパスワードが一致しません。' : 'The two passwords do not match.');
  await expect(page.getByTestId('grad-field-password')).toHaveValue('new-secret-2026');
  await expectAccessible(page);
  await snap(page, testInfo, 'graduates-09-reset-form');
  await page.getByTestId('grad-field-passwordConfirm').fill('new-secret-2026');
  await page.getByTestId('grad-reset-submit').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ja ? 'パスワードを再設定しました' : 'Your password was reset');

  await page.getByTestId('grad-to-login').click();
  await signIn(page, mail, 'new-secret-2026', 'second-2020');
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.locator('main')).toContainText(studentId);
});
