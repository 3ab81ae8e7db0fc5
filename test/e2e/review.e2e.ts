import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO_USERS_FILE, type DemoUser } from '../../service/demo/demo-idp.js';
import { startService, type RunningService } from '../support/service.js';
import { readDemoStaffCredentials } from '../support/staff.js';
import { env, expectAccessible, linkFromMailbox, mailboxRow, signInWithMail, snap } from './support.js';

const demoUsers = JSON.parse(readFileSync(DEMO_USERS_FILE, 'utf8')) as DemoUser[];

/** Staff sign in to the console in a browser of their own (their session is separate from students'). */
async function staffConsole(browser: Browser, base: string, username: string, password: string, language: 'ja' | 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/admin/login`);
  if (language === 'en') {
    await page.getByTestId('lang-select').selectOption({ label: 'LANG:English' });
  }
  await page.getByTestId('admin-username').fill(username);
  await page.getByTestId('admin-password').fill(password);
  await page.getByTestId('admin-login-button').click();
  await expect(page.getByTestId('admin-user')).toBeVisible();
  return page;
}

/** Opens the application of `studentId` from the queue and decides it in the console. */
async function decideInConsole(page: Page, studentId: string, action: 'approve' | 'reject' | 'resubmit', reason: string | null) {
  await page.getByTestId('filter-search').fill(studentId);
  await page.getByTestId('filter-apply').click();
  await page.getByTestId('queue-open').first().click();
  await expect(page.getByTestId('match-section')).toBeVisible();
  await page.getByTestId(`decision-${action}`).check();
  if (reason) await page.getByTestId('decision-reason').fill(reason);
  await page.getByTestId('decision-check').click();
  await expect(page.getByTestId('decision-confirm')).toBeVisible();
  await page.getByTestId('decision-submit').click();
  await expect(page.getByTestId('decision-result')).toBeVisible();
}

test.describe('staff decide in the console', () => {
  // A demo-mode service of this test's own: the demo registry, the demo staff users, the dev mailbox.
  let svc: RunningService;
  test.beforeAll(async () => {
    svc = await startService({});
  });
  test.afterAll(async () => {
    await svc?.stop();
  });

  test('staff ask for resubmission in the console, the student resubmits, staff approve, and the student sees both student IDs and the result mail', async ({
    page,
    browser,
  }, testInfo) => {
    const ja = testInfo.project.name === 'phone';
    const language = ja ? 'ja' : 'en';
    const student = demoUsers.find((u) => u.graduateStudentId)!;
    const address = `console.${testInfo.project.name}.${Date.now()}@example.jp`;
    const base = svc.url;
    env('E2E_DEMO_URL'); // the global setup ran (chromium settings, screenshots folder)

    // The student applies for the graduate-school ID through the mailed link.
    await signInWithMail(page, base, student.nameKanji, address, language);
    await page.getByTestId('menu-button').click();
    await page.getByRole('menuitem', { name: ja ? '学籍番号追加登録' : 'Additional registration of student ID number' }).click();
    await page.getByRole('button', { name: ja ? '送信' : 'Send' }).click();
    await page.getByTestId('app-ok').click();
    await page.goto(await linkFromMailbox(page, base, address, '/applications/student-id#token='));
    await page.getByTestId('app-field-nameKanji').fill(student.nameKanji);
    await page.getByTestId('app-field-nameKana').fill(student.nameKana);
    await page.getByTestId('app-field-nameRoman').fill('Takahashi Misaki');
    await page.getByTestId('app-field-universityCode').selectOption('DEMO');
    await page.getByTestId('app-field-facultyCode').selectOption('GSE');
    await page.getByTestId('app-field-departmentCode').selectOption('INFS');
    await page.getByTestId('app-field-studentId').fill(student.graduateStudentId!);
    await page.getByTestId('app-field-graduationYear').fill('2025');
    await page.getByTestId('app-field-graduationMonth').selectOption('03');
    await page.getByTestId('app-field-leaveType-graduated').check();
    await page.getByTestId('app-check').click();
    await page.getByTestId('app-submit').click();
    await expect(page.getByTestId('app-done')).toBeVisible();

    // Staff see the field-by-field match and ask for resubmission (the graduation month differs from the registry).
    const credentials = readDemoStaffCredentials(svc.dataDir);
    const staff = await staffConsole(browser, base, 'reviewer', credentials.reviewer!.password, language);
    const reason = ja ? '卒業年月が学籍記録と異なります。確認してください。' : 'The graduation date differs from our records.';
    await staff.getByTestId('filter-search').fill(student.graduateStudentId!);
    await staff.getByTestId('filter-apply').click();
    await staff.getByTestId('queue-open').first().click();
    await expect(staff.getByTestId('match-row-studentId')).toBeVisible();
    await expect(staff.getByTestId('match-row-graduationYearMonth')).toBeVisible();
    await expectAccessible(staff);
    await snap(staff, testInfo, `console-01-detail-${language}`);
    await staff.getByTestId('back-to-queue').click();
    await decideInConsole(staff, student.graduateStudentId!, 'resubmit', reason);

    // The student sees 再申請依頼 with the reason, edits and sends again.
    await page.goto(`${base}/home`);
    const current = page.getByTestId('current-applications');
    await expect(current.getByTestId('app-status')).toHaveText(ja ? '再申請依頼' : 'Resubmission requested');
    await expect(current.getByTestId('app-item-reason')).toContainText(reason);
    await current.getByTestId('app-edit').click();
    await page.getByTestId('app-field-graduationYear').fill('2026');
    await page.getByTestId('app-check').click();
    await page.getByTestId('app-submit').click();
    await expect(page.getByTestId('app-done')).toBeVisible();

    // Staff approve it in the console; the audit log names who decided.
    await staff.goto(`${base}/admin`);
    await decideInConsole(staff, student.graduateStudentId!, 'approve', null);
    await snap(staff, testInfo, `console-02-approved-${language}`);
    await staff.goto(`${base}/admin/audit`);
    const approvedEntry = staff.locator('[data-testid="audit-row"][data-action="application.approved"]').first();
    await expect(approvedEntry.getByTestId('audit-action')).toHaveText(ja ? '申請を承認' : 'Application approved');
    await expect(approvedEntry.getByTestId('audit-actor')).toHaveText('Demo Reviewer');
    await expectAccessible(staff);

    // The student now has both student IDs, and got 利用申請結果のお知らせ naming the new one.
    await page.goto(`${base}/home`);
    await expect(page.getByTestId('student-ids')).toContainText(student.studentId);
    await expect(page.getByTestId('student-ids')).toContainText(student.graduateStudentId!);
    await expect(page.getByTestId('application-list').getByTestId('app-item-approved')).toBeVisible();
    await snap(page, testInfo, `console-03-student-both-ids-${language}`);
    const resultRow = await mailboxRow(page, base, (p) =>
      p.getByRole('row', { name: new RegExp(ja ? '利用申請結果のお知らせ' : 'Result of your application') }),
    );
    await resultRow.getByRole('link').first().click();
    await expect(page.locator('pre')).toContainText(student.graduateStudentId!);
  });
});
