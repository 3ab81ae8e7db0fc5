import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { DEMO_USERS_FILE, type DemoUser } from '../../service/demo/demo-idp.js';
import { startService, type RunningService } from '../support/service.js';
import { env, expectAccessible, expectButtonOrder, expectSelectsFit, linkFromMailbox, signInWithMail, snap } from './support.js';

const demoUsers = JSON.parse(readFileSync(DEMO_USERS_FILE, 'utf8')) as DemoUser[];

/**
 * 学籍番号追加登録 (manual §2.3) in the demo service (demo IdP, demo registry, dev mailbox):
 * menu → notes → 送信 → 申請完了 → the mailed link → form with mistakes → 確認 → 申請 →
 * 審査中 on the home screen. Japanese on the phone, English on the kiosk.
 */

test('a student applies for an additional student ID through the mailed link, fixing every mistake, and sees it under review', async ({ page }, testInfo) => {
  const base = env('E2E_DEMO_URL');
  const ja = testInfo.project.name === 'phone';
  const language = ja ? 'ja' : 'en';
  // Demo students not used by demo.e2e.ts: 高橋 美咲 has an undergraduate and a graduate-school ID.
  const student = ja ? '高橋 美咲' : '山田 太郎';
  const address = `apply.${testInfo.project.name}.${Date.now()}@example.jp`;
  const L = ja
    ? { menu: '学籍番号追加登録', send: '送信', sent: '申請完了', check: '確認', review: '入力内容の確認', apply: '申請', done: '申請完了', pending: '審査中' }
    : {
        menu: 'Additional registration of student ID number',
        send: 'Send',
        sent: 'Application Completed',
        check: 'Check',
        review: 'Check your input',
        apply: 'Application',
        done: 'Application Completed',
        pending: 'Under review',
      };

  await signInWithMail(page, base, student, address, language);

  // Menu → 学籍番号追加登録: the notes and 送信.
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: L.menu }).click();
  await expect(page).toHaveURL(/\/applications\/student-id\/notes/);
  await expect(page.getByTestId('app-send-to')).toHaveText(address);
  await expectAccessible(page);
  await snap(page, testInfo, `applications-01-notes-${language}`);
  await page.getByRole('button', { name: L.send }).click();

  // 申請完了 with OK.
  await expect(page.getByRole('heading', { level: 1, name: L.sent })).toBeVisible();
  await expect(page.getByTestId('app-sent-to')).toHaveText(address);
  await expectAccessible(page);
  await snap(page, testInfo, `applications-02-sent-${language}`);
  await page.getByTestId('app-ok').click();
  await expect(page).toHaveURL(/\/home/);

  // The mailed one-time URL opens the form; the token leaves the address bar.
  const link = await linkFromMailbox(page, base, address, '/applications/student-id#token=');
  await page.goto(link);
  await expect(page.getByTestId('app-form')).toBeVisible();
  expect(page.url()).not.toContain('token=');
  await expect(page.getByTestId('app-link-expires')).toBeVisible();
  await expectAccessible(page);
  // Every select shows its 「選択してください」 / "Please choose" whole (the month picker cut it short);
  // at full-HD size also in a kiosk's larger type (the class mode.ts gives <html> at a kiosk).
  await expect(page.getByTestId('app-field-graduationMonth')).toHaveValue('');
  await expectSelectsFit(page);
  if (!ja) {
    await page.evaluate(() => document.documentElement.classList.add('kiosk'));
    await expectSelectsFit(page);
    await snap(page, testInfo, `applications-02b-form-kiosk-type-${language}`);
    await page.evaluate(() => document.documentElement.classList.remove('kiosk'));
  }

  // 確認 with nothing filled in: every field says what is missing.
  await page.getByTestId('app-check').click();
  await expect(page.getByTestId('error-message')).toBeVisible();
  for (const field of [
    'nameKanji',
    'nameKana',
    'nameRoman',
    'universityCode',
    'facultyCode',
    'departmentCode',
    'studentId',
    'graduationYearMonth',
    'leaveType',
  ]) {
    await expect(page.getByTestId(`app-error-${field}`)).toBeVisible();
  }
  await expect(page.getByTestId('app-field-nameKanji')).toBeFocused();

  // Wrong input: translated messages next to each field, and what was typed stays.
  const wrong = { nameKanji: '高橋美咲', nameKana: 'たかはし みさき', nameRoman: 'タカハシ ミサキ', studentId: '5251004!', year: '1900' };
  await page.getByTestId('app-field-nameKanji').fill(wrong.nameKanji);
  await page.getByTestId('app-field-nameKana').fill(wrong.nameKana);
  await page.getByTestId('app-field-nameRoman').fill(wrong.nameRoman);
  await page.getByTestId('app-field-studentId').fill(wrong.studentId);
  await page.getByTestId('app-field-graduationYear').fill(wrong.year);
  await page.getByTestId('app-field-graduationMonth').selectOption('03');
  await page.getByTestId('app-check').click();
  const messages = ja
    ? {
        nameKanji: '苗字と名前の間にスペースを入れてください。',
        nameKana: '全角カタカナで入力してください。',
        nameRoman: 'ローマ字(半角英字)で入力してください。',
        studentId: '学籍番号は半角英数字とハイフンで',
        graduationYearMonth: '西暦で入力してください。',
        universityCode: '選択してください。',
      }
    : {
        nameKanji: 'Place a space between the family name and first name.',
        nameKana: 'full-width katakana',
        nameRoman: 'roman characters',
        studentId: 'half-width letters, digits and hyphens',
        graduationYearMonth: 'Western calendar',
        universityCode: 'Please select one.',
      };
  for (const [field, text] of Object.entries(messages)) await expect(page.getByTestId(`app-error-${field}`)).toContainText(text);
  await expect(page.getByTestId('app-field-nameKanji')).toHaveValue(wrong.nameKanji);
  await expect(page.getByTestId('app-field-nameKana')).toHaveValue(wrong.nameKana);
  await expect(page.getByTestId('app-field-nameRoman')).toHaveValue(wrong.nameRoman);
  await expect(page.getByTestId('app-field-studentId')).toHaveValue(wrong.studentId);
  await expect(page.getByTestId('app-field-graduationYear')).toHaveValue(wrong.year);
  await expect(page.getByTestId('app-field-nameKanji')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await snap(page, testInfo, `applications-03-form-errors-${language}`);

  // Corrected (full-width space in the kanji name); the selects cascade from the registry's catalogue.
  await page.getByTestId('app-field-nameKanji').fill(ja ? '高橋　美咲' : '山田　太郎');
  await page.getByTestId('app-field-nameKana').fill(ja ? 'タカハシ ミサキ' : 'ヤマダ タロウ');
  await page.getByTestId('app-field-nameRoman').fill(ja ? 'Takahashi Misaki' : 'Yamada Taro');
  await page.getByTestId('app-field-universityCode').selectOption('DEMO');
  await page.getByTestId('app-field-facultyCode').selectOption('GSE');
  await page.getByTestId('app-field-departmentCode').selectOption('INFS');
  const studentId = ja ? '5251004' : `M${Date.now() % 1_000_000}`;
  await page.getByTestId('app-field-studentId').fill(studentId);
  await page.getByTestId('app-field-graduationYear').fill('2026');
  await page.getByTestId(ja ? 'app-field-leaveType-graduated' : 'app-field-leaveType-withdrawn').check();
  await expect(page.getByTestId('error-message')).toHaveCount(0);
  await snap(page, testInfo, `applications-04-form-${language}`);
  await page.getByRole('button', { name: L.check, exact: true }).click();

  // 確認: everything as it will be sent, names of the catalogue in the current language.
  await expect(page.getByRole('heading', { level: 1, name: L.review })).toBeVisible();
  await expect(page.getByTestId('app-review-nameKanji')).toHaveText(ja ? '高橋 美咲' : '山田 太郎');
  await expect(page.getByTestId('app-review-university')).toHaveText(ja ? 'デモ大学' : 'Demo University');
  await expect(page.getByTestId('app-review-faculty')).toHaveText(ja ? '大学院工学研究科' : 'Graduate School of Engineering');
  await expect(page.getByTestId('app-review-graduation')).toHaveText(ja ? '2026年3月' : '3/2026');
  await expectAccessible(page);
  await expectButtonOrder(page);
  await snap(page, testInfo, `applications-05-review-${language}`);

  // 戻る keeps everything; 確認 again, then 申請.
  await page.getByTestId('app-review-back').click();
  await expect(page.getByTestId('app-field-studentId')).toHaveValue(studentId);
  await page.getByTestId('app-check').click();
  await page.getByRole('button', { name: L.apply, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: L.done })).toBeVisible();
  await expect(page.getByTestId('app-done')).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, `applications-06-done-${language}`);

  // The home screen: the application under review in 現在の申請一覧.
  await page.getByTestId('app-home').click();
  await expect(page).toHaveURL(/\/home/);
  const current = page.getByTestId('current-applications');
  await expect(current.getByTestId('app-status')).toHaveText(L.pending);
  await expect(current.getByTestId('app-item-student-id')).toHaveText(studentId);
  await expectAccessible(page);
  await snap(page, testInfo, `applications-07-home-${language}`);

  // The link was used up: opening it again says so.
  await page.goto(link);
  await expect(page.getByTestId('error-message')).toBeVisible();
  await expect(page.getByTestId('app-link-again')).toBeVisible();
  await expectAccessible(page);
});

test.describe('decisions on the home screen', () => {
  // A service of our own in this process, so the test can decide as staff through the domain
  // (the staff console has its own end-to-end tests).
  let svc: RunningService;
  test.beforeAll(async () => {
    svc = await startService({});
  });
  test.afterAll(async () => {
    await svc?.stop();
  });

  test('staff ask for resubmission, the student edits and sends again; after approval both student IDs show, and a rejection shows its reason', async ({
    page,
  }, testInfo) => {
    const ja = testInfo.project.name === 'phone';
    const language = ja ? 'ja' : 'en';
    const demo = demoUsers.find((u) => u.graduateStudentId)!;
    const address = `decided.${testInfo.project.name}@example.jp`;
    await signInWithMail(page, svc.url, demo.nameKanji, address, language);
    const account = (await svc.stores.store.accounts.findByIdentity(`${svc.url}/demo-idp/metadata`, demo.eppn))!;
    const form = {
      nameKanji: demo.nameKanji,
      nameKana: demo.nameKana,
      nameRoman: 'Takahashi Misaki',
      universityCode: 'DEMO',
      facultyCode: 'GSE',
      departmentCode: 'INFS',
      studentId: demo.graduateStudentId!,
      graduationYearMonth: '2025-03',
      leaveType: 'graduated',
    };
    const staff = { id: 'staff-e2e', name: 'E2E Staff' };
    const application = await svc.deps.applications.submit({ kind: 'studentId', accountId: account.id, form, mail: address, language });
    const reason = ja ? '卒業年月が学籍記録と異なります。確認してください。' : 'The graduation date differs from our records. Please check it.';
    await svc.deps.applications.decide(application.id, { action: 'resubmit', reason }, staff);

    // 現在の申請一覧: 再申請依頼 with the reason and 編集して再申請.
    await page.reload();
    const current = page.getByTestId('current-applications');
    await expect(current.getByTestId('app-status')).toHaveText(ja ? '再申請依頼' : 'Resubmission requested');
    await expect(current.getByTestId('app-item-reason')).toContainText(reason);
    await expectAccessible(page);
    await snap(page, testInfo, `applications-08-resubmit-requested-${language}`);
    await current.getByTestId('app-edit').click();

    // The form comes prefilled; the reason is shown above it.
    await expect(page.getByTestId('app-resubmit-reason')).toContainText(reason);
    await expect(page.getByTestId('app-field-nameKanji')).toHaveValue(demo.nameKanji);
    await expect(page.getByTestId('app-field-departmentCode')).toHaveValue('INFS');
    await expect(page.getByTestId('app-field-graduationYear')).toHaveValue('2025');
    await expectAccessible(page);
    await page.getByTestId('app-field-graduationYear').fill('2026');
    await page.getByTestId('app-check').click();
    await expect(page.getByTestId('app-review-graduation')).toHaveText(ja ? '2026年3月' : '3/2026');
    await page.getByTestId('app-submit').click();
    await expect(page.getByTestId('app-done')).toBeVisible();
    await expectAccessible(page);
    await page.getByTestId('app-home').click();
    await expect(page.getByTestId('current-applications').getByTestId('app-status')).toHaveText(ja ? '審査中' : 'Under review');
    expect((await svc.deps.applications.get(application.id))?.form.graduationYearMonth).toBe('2026-03');

    // Approved: 申請一覧 shows it, and the account has both student IDs.
    await svc.deps.applications.decide(application.id, { action: 'approve', reason: null }, staff);
    const other = await svc.deps.applications.submit({
      kind: 'studentId',
      accountId: account.id,
      form: { ...form, studentId: 'X-0001' },
      mail: address,
      language,
    });
    const rejection = ja ? 'この学籍番号の記録はありません。' : 'There is no record of this student ID.';
    await svc.deps.applications.decide(other.id, { action: 'reject', reason: rejection }, staff);
    await page.reload();
    const past = page.getByTestId('application-list');
    await expect(past.getByTestId('app-item-approved').getByTestId('app-status')).toHaveText(ja ? '承認' : 'Approved');
    await expect(past.getByTestId('app-item-rejected').getByTestId('app-item-reason')).toContainText(rejection);
    await expect(page.getByTestId('student-ids')).toContainText(demo.studentId);
    await expect(page.getByTestId('student-ids')).toContainText(demo.graduateStudentId!);
    await expect(page.getByTestId('current-applications').locator('.empty-state')).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, `applications-09-decided-${language}`);

    // 証明書を発行 now asks which student ID; the choice sticks.
    await page.getByTestId('destination-convenience').click();
    const first = page.getByTestId(`issue-student-${demo.studentId}`);
    const second = page.getByTestId(`issue-student-${demo.graduateStudentId!}`);
    await expect(first).toBeChecked();
    await second.check();
    await expect(second).toBeChecked();
    await expect(first).not.toBeChecked();
    await expectAccessible(page);
  });
});
