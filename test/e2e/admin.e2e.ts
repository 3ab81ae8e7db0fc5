import { expect, test, type Page } from '@playwright/test';
import type { Application, ApplicationForm } from '../../service/domain/applications/model.js';
import { account } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { readDemoStaffCredentials } from '../support/staff.js';
import { chooseLanguage, expectAccessible, snap } from './support.js';

/**
 * The staff console in Chromium against its own demo-mode service (started here, in-process,
 * serving the built renderer), so that the applications it reviews can be put in place directly.
 * Staff log in with the demo credentials file, as any e2e test can (see test/support/staff.ts).
 */
let service: RunningService;
let credentials: Record<string, { role: string; password: string }>;

test.beforeAll(async () => {
  service = await startService();
  credentials = readDemoStaffCredentials(service.dataDir);
});
test.afterAll(async () => {
  await service?.stop();
});

let serial = 0;
async function pendingApplication(form: Partial<ApplicationForm> = {}): Promise<Application> {
  serial += 1;
  const owner = account({ mail: `console${serial}.${Date.now()}@example.ac.jp`, language: 'en' });
  await service.stores.store.accounts.insert(owner);
  return service.deps.applications.submit({
    kind: 'studentId',
    accountId: owner.id,
    form: {
      nameKanji: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      nameRoman: 'Taro Yamada',
      universityCode: 'DEMO',
      facultyCode: 'ENG',
      departmentCode: 'INF',
      studentId: '2101001',
      graduationYearMonth: '2027-03',
      leaveType: 'graduated',
      ...form,
    },
    mail: owner.mail!,
    language: 'en',
  });
}

async function logIn(page: Page, username: 'admin' | 'reviewer') {
  await page.getByTestId('admin-username').fill(username);
  await page.getByTestId('admin-password').fill(credentials[username]!.password);
  await page.getByTestId('admin-login-button').click();
  await expect(page.getByTestId('admin-user')).toBeVisible();
}

test('staff log in, find an application, compare it with the registry and ask for resubmission; the audit log shows who and when', async ({
  page,
}, testInfo) => {
  const application = await pendingApplication({ nameKana: 'ヤマダ タロ' });

  await page.goto(`${service.url}/admin`);
  await expect(page).toHaveURL(/\/admin\/login\?returnTo=/);
  await expect(page.getByRole('heading', { level: 1, name: 'スタッフログイン' })).toBeVisible();
  await expect(page.getByTestId('admin-demo-notice')).toContainText('demo-staff-credentials.txt');
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-01-login');

  // Bad input: translated messages at the fields; a wrong password keeps the user name.
  await page.getByTestId('admin-login-button').click();
  await expect(page.getByTestId('field-error-username')).toHaveText('入力してください。');
  await expect(page.getByTestId('field-error-password')).toBeVisible();
  await page.getByTestId('admin-username').fill('reviewer');
  await page.getByTestId('admin-password').fill('not the password');
  await page.getByTestId('admin-login-button').click();
  await expect(page.getByTestId('error-message')).toHaveText('ユーザー名またはパスワードが正しくありません。');
  await expect(page.getByTestId('admin-username')).toHaveValue('reviewer');
  await expectAccessible(page);

  await logIn(page, 'reviewer');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('admin-user')).toContainText('Demo Reviewer');
  // Reviewers see no registry import and no staff list.
  await expect(page.getByTestId('admin-nav-registry')).toHaveCount(0);
  await expect(page.getByTestId('admin-nav-staff')).toHaveCount(0);

  await page.getByTestId('filter-status').selectOption('pending');
  await page.getByTestId('filter-search').fill('2101001');
  await page.getByTestId('filter-apply').click();
  await expect(page).toHaveURL(/status=pending/);
  const row = page.getByTestId(`queue-row-${application.id}`);
  await expect(row).toContainText('山田 太郎');
  await expect(row).toContainText('審査待ち');
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-02-queue');

  await row.getByTestId('queue-open').click();
  await expect(page.getByRole('heading', { level: 1, name: '申請の詳細' })).toBeVisible();
  await expect(page.getByTestId('match-row-nameKanji')).toContainText('一致');
  await expect(page.getByTestId('match-row-nameKana').getByTestId('match-mismatch')).toHaveText('不一致');
  await expect(page.getByTestId('match-some')).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-03-detail');

  // A reason is required to ask for resubmission; what was chosen stays.
  await page.getByTestId('decision-resubmit').check();
  await page.getByTestId('decision-check').click();
  await expect(page.getByTestId('field-error-reason')).toHaveText('入力してください。');
  await expect(page.getByTestId('decision-resubmit')).toBeChecked();
  await page.getByTestId('decision-reason').fill('フリガナを確認してください。');
  await page.getByTestId('decision-check').click();
  await expect(page.getByTestId('decision-confirm')).toContainText('再申請を依頼します');
  await expectAccessible(page);
  await page.getByTestId('decision-submit').click();
  await expect(page.getByTestId('decision-result')).toContainText('再申請を依頼しました');
  await expect(page.getByTestId('application-summary').getByTestId('status-resubmit')).toBeVisible();
  await expect(page.getByTestId('decided-by')).toContainText('Demo Reviewer');
  await snap(page, testInfo, 'admin-04-decided');
  expect((await service.deps.applications.get(application.id))?.status).toBe('resubmit');

  await page.getByTestId('admin-nav-audit').click();
  await page.getByTestId('audit-filter-target').fill(application.id);
  await page.getByTestId('audit-apply').click();
  const entry = page.locator('[data-testid="audit-row"][data-action="application.resubmit"]');
  await expect(entry.getByTestId('audit-actor')).toHaveText('Demo Reviewer');
  await expect(entry).toContainText('再申請を依頼');
  await expect(entry).toContainText(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-05-audit');

  await page.getByTestId('admin-logout').click();
  await expect(page).toHaveURL(/\/admin\/login\?loggedOut=1/);
  await expect(page.getByTestId('logged-out')).toBeVisible();
  await page.goto(`${service.url}/admin/audit`);
  await expect(page).toHaveURL(/\/admin\/login/);
});

test('an administrator approves in English, sees the staff list, and a reviewer is kept out of it', async ({ page }, testInfo) => {
  // A graduate of the demo university, exactly as the registry has her.
  const application = await pendingApplication({
    nameKanji: '高橋 美咲',
    nameKana: 'タカハシ ミサキ',
    nameRoman: 'Misaki Takahashi',
    studentId: '2101004',
    graduationYearMonth: '2024-03',
  });

  await page.goto(`${service.url}/admin/login`);
  await chooseLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Staff login' })).toBeVisible();
  await logIn(page, 'admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Applications' })).toBeVisible();
  await page.goto(`${service.url}/admin/applications/${application.id}`);
  await expect(page.getByTestId('match-all')).toHaveText('Every field matches the registry.');
  await page.getByTestId('decision-approve').check();
  await page.getByTestId('decision-check').click();
  await page.getByTestId('decision-submit').click();
  await expect(page.getByTestId('decision-result')).toContainText('The application is approved.');
  await expectAccessible(page);

  await page.getByTestId('admin-nav-staff').click();
  await expect(page.getByTestId('staff-row-reviewer')).toContainText('Reviewer');
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-06-staff-en');

  await page.getByTestId('admin-nav-registry').click();
  await expect(page).toHaveURL(/\/admin\/registry/);
  await page.getByTestId('admin-logout').click();
  await expect(page.getByTestId('logged-out')).toBeVisible();

  await logIn(page, 'reviewer');
  await page.goto(`${service.url}/admin/staff`);
  await expect(page).toHaveURL(/\/admin\?error=auth\.forbidden/);
  await expect(page.getByTestId('error-message')).toHaveText('You are not allowed to do this.');
});
