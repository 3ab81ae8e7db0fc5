import { expect, test, type Page } from '@playwright/test';
import type { OrderView } from '../../service/contract/certificates.js';
import { formatVerificationCode } from '../../service/domain/certificates/numbers.js';
import { startService, type RunningService } from '../support/service.js';
import { readDemoStaffCredentials } from '../support/staff.js';
import { chooseLanguage, env, expectAccessible, mailboxRow, signInWithMail, snap } from './support.js';

/**
 * The staff console's certificate screens in Chromium, against a demo-mode service of this file's
 * own (started in-process, serving the built renderer): students order through the real API,
 * staff revoke, ship and edit types in the console, and /verify shows the result.
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

/** Signs a demo student in (registering a mail address) and orders an enrollment certificate by mail through the API. */
async function studentMailOrder(page: Page, student: string, address: string): Promise<OrderView> {
  await signInWithMail(page, service.url, student, address, 'ja');
  const session = await page.request.get(`${service.url}/api/session`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const options = (await (await page.request.get(`${service.url}/api/certificates/options`)).json()) as { students: Array<{ studentId: string }> };
  const studentId = options.students[0]!.studentId;
  const res = await page.request.post(`${service.url}/api/certificates/orders`, {
    headers: { 'X-CSRF-Token': csrfToken },
    data: {
      studentId,
      destination: 'mail',
      items: [{ typeCode: 'enrollment', language: 'ja', copies: 2 }],
      postalAddress: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: 'デモハイツ101' },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as OrderView;
}

async function staffLogIn(page: Page, path: string, username: 'admin' | 'reviewer') {
  await page.goto(`${service.url}${path}`);
  await expect(page).toHaveURL(/\/admin\/login\?returnTo=/);
  await page.getByTestId('admin-username').fill(username);
  await page.getByTestId('admin-password').fill(credentials[username]!.password);
  await page.getByTestId('admin-login-button').click();
  await expect(page.getByTestId('admin-user')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
}

test('staff find a student’s certificate, revoke it with a reason, and /verify then says revoked in Japanese and English', async ({ page }, testInfo) => {
  env('E2E_DEMO_URL'); // the global setup ran
  const order = await studentMailOrder(page, '山田 太郎', `taro.${testInfo.project.name}.${Date.now()}@example.ac.jp`);
  const number = order.lines[0]!.certificateNumber;
  const code = formatVerificationCode((await service.deps.certificates.store.certificates.findByNumber(number))!.verificationCode);

  await staffLogIn(page, '/admin/certificates', 'reviewer');
  await expect(page.getByRole('heading', { level: 1, name: '発行済み証明書' })).toBeVisible();
  await page.getByTestId('filter-number').fill(number.toLowerCase());
  await page.getByTestId('filter-apply').click();
  const row = page.getByTestId(`certificate-row-${number}`);
  await expect(row).toContainText('在学証明書');
  await expect(row).toContainText('郵送');
  await expect(row.getByTestId('status-valid')).toHaveText('有効');
  await expect(page.getByTestId('filter-number')).toHaveValue(number.toLowerCase());
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-certificates-01-search');

  await row.getByTestId('certificate-open').click();
  await expect(page.getByRole('heading', { level: 1, name: '証明書の詳細' })).toBeVisible();
  await expect(page.getByTestId('certificate-number')).toHaveText(number);

  // No reason: a translated message at the field, and nothing is sent.
  await page.getByTestId('revoke-check').click();
  await expect(page.getByTestId('field-error-reason')).toHaveText('入力してください。');
  await expect(page.getByTestId('revoke-reason')).toBeFocused();
  await expectAccessible(page);

  await page.getByTestId('revoke-reason').fill('記載内容の誤りのため再発行');
  await page.getByTestId('revoke-check').click();
  await expect(page.getByTestId('revoke-confirm')).toContainText(number);
  await expect(page.getByTestId('revoke-confirm')).toContainText('記載内容の誤りのため再発行');
  // 修正する keeps what was typed.
  await page.getByTestId('revoke-back').click();
  await expect(page.getByTestId('revoke-reason')).toHaveValue('記載内容の誤りのため再発行');
  await page.getByTestId('revoke-check').click();
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-certificates-02-confirm');
  await page.getByTestId('revoke-submit').click();
  await expect(page.getByTestId('revoke-result')).toBeVisible();
  await expect(page.getByTestId('status-revoked')).toHaveText('失効');
  await expect(page.getByTestId('revocation-reason')).toHaveText('記載内容の誤りのため再発行');
  await expect(page.getByTestId('revoke-closed')).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-certificates-03-revoked');

  await page.goto(`${service.url}/verify`);
  await page.getByTestId('verify-field-number').fill(number);
  await page.getByTestId('verify-field-code').fill(code);
  await page.getByTestId('verify-submit').click();
  await expect(page.getByTestId('verify-status')).toHaveText('失効');
  await expect(page.getByTestId('verify-revoked-reason')).toHaveText('記載内容の誤りのため再発行');

  await chooseLanguage(page, 'en');
  await page.getByTestId('verify-field-number').fill(number);
  await page.getByTestId('verify-field-code').fill(code);
  await page.getByTestId('verify-submit').click();
  await expect(page.getByTestId('verify-status')).toHaveText('Revoked');
  await snap(page, testInfo, 'admin-certificates-04-verify-revoked-en');
});

test('staff ship a mail order with a tracking number, and the student is mailed the tracking number', async ({ page }, testInfo) => {
  const address = `hanako.${testInfo.project.name}.${Date.now()}@example.ac.jp`;
  const order = await studentMailOrder(page, '佐藤 花子', address);

  await staffLogIn(page, '/admin/mail-orders', 'reviewer');
  await expect(page.getByRole('heading', { level: 1, name: '郵送' })).toBeVisible();
  const card = page.locator(`[data-order-id="${order.id}"]`);
  await expect(card.getByTestId('envelope')).toContainText('〒100-0001');
  await expect(card.getByTestId('envelope')).toContainText('東京都千代田区千代田1-1');
  await expect(card.getByTestId('envelope')).toContainText('佐藤 花子 様');
  await expect(card.getByTestId('mail-lines')).toContainText(order.lines[0]!.certificateNumber);

  // A malformed tracking number: a translated message, the input kept.
  await card.getByTestId('tracking-input').fill('追跡 12');
  await card.getByTestId('ship-submit').click();
  await expect(card.getByTestId('field-error-tracking')).toHaveText('追跡番号は4〜30文字の半角英数字とハイフンで入力してください。');
  await expect(card.getByTestId('tracking-input')).toHaveValue('追跡 12');
  await expect(card.getByTestId('tracking-input')).toBeFocused();
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-certificates-05-mail-queue');

  const tracking = `JP-${testInfo.project.name.toUpperCase()}-0001`;
  await card.getByTestId('tracking-input').fill(tracking);
  await card.getByTestId('ship-submit').click();
  await expect(page.getByTestId('ship-result')).toHaveText(/発送済みにしました/);
  await expect(card).toHaveCount(0);

  await page.getByTestId('tab-shipped').click();
  const shipped = page.locator(`[data-order-id="${order.id}"]`);
  await expect(shipped.getByTestId('shipped-tracking')).toHaveText(tracking);
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-certificates-06-shipped');

  const shippedMail = await mailboxRow(page, service.url, (p) =>
    p.getByRole('row', { name: new RegExp(address.replace(/\./g, '\\.')) }).filter({ hasText: '証明書を発送しました' }),
  );
  await shippedMail.getByRole('link').first().click();
  await expect(page.locator('body')).toContainText(`追跡番号:${tracking}`);
});

test('an administrator changes the copies limit of a type; bad input is explained and kept; a reviewer only reads', async ({ page }, testInfo) => {
  await staffLogIn(page, '/admin/certificate-types', 'admin');
  await expect(page.getByRole('heading', { level: 1, name: '証明書の種類' })).toBeVisible();
  await page.getByTestId('type-edit-enrollment').click();
  await expect(page.getByTestId('type-form')).toBeVisible();

  await page.getByTestId('type-maxCopies').fill('abc');
  await page.getByTestId('type-nameJa').fill('');
  await page.getByTestId('type-save').click();
  await expect(page.getByTestId('field-error-nameJa')).toHaveText('入力してください。');
  await expect(page.getByTestId('field-error-maxCopies')).toBeVisible();
  await expect(page.getByTestId('type-maxCopies')).toHaveValue('abc');
  await expect(page.getByTestId('type-nameJa')).toBeFocused();
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-certificates-07-type-errors');

  await page.getByTestId('type-nameJa').fill('在学証明書');
  await page.getByTestId('type-maxCopies').fill('3');
  await page.getByTestId('type-save').click();
  await expect(page.getByTestId('type-saved')).toHaveText('「在学証明書」を保存しました。');
  await expect(page.getByTestId('type-row-enrollment').getByTestId('type-max-copies')).toHaveText('3');
  expect((await service.deps.certificates.store.types.get('enrollment'))?.maxCopies).toBe(3);

  await chooseLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Certificate types' })).toBeVisible();
  await expect(page.getByTestId('type-row-enrollment')).toContainText('Certificate of Enrollment');
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-certificates-08-types-en');

  await page.getByTestId('admin-logout').click();
  await expect(page).toHaveURL(/\/admin\/login/);
  await staffLogIn(page, '/admin/certificate-types', 'reviewer');
  await expect(page.getByTestId('types-read-only')).toBeVisible();
  await expect(page.getByTestId('type-edit-enrollment')).toHaveCount(0);
  await expect(page.getByTestId('type-row-enrollment').getByTestId('type-max-copies')).toHaveText('3');
});
