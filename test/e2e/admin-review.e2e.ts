import { expect, test, type Page } from '@playwright/test';
import { account } from '../support/factories.js';
import { studentRow, studentsCsv } from '../support/registry-fixtures.js';
import { startService, type RunningService } from '../support/service.js';
import { readDemoStaffCredentials } from '../support/staff.js';
import { chooseLanguage, expectAccessible, snap } from './support.js';

/**
 * The console as staff read it, against a demo-mode service of this file's own: the audit log in
 * words and in Japan time (the browser sits in New York), the matching aid with names, the issued
 * certificate's PDF, and no console page wider than the screen.
 */
let service: RunningService;
let password: string;

test.use({ timezoneId: 'America/New_York' });

test.beforeAll(async () => {
  service = await startService();
  password = readDemoStaffCredentials(service.dataDir).admin!.password;
});
test.afterAll(async () => {
  await service?.stop();
});

/** The time as the console must show it: Japan time, whatever the browser's zone. */
const japanTime = (iso: string) =>
  `${new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(iso))} JST`;

/** No page scrolls sideways: on a phone, a too-wide page also widens the layout viewport, so compare with the real screen width. */
async function expectFitsScreen(page: Page) {
  const screen = page.viewportSize()!.width;
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect({ page: page.url(), scrollWidth, innerWidth }).toEqual({ page: page.url(), scrollWidth: Math.min(scrollWidth, screen), innerWidth: screen });
}

test('staff read the audit log in words and Japan time, compare names with the registry, open a certificate PDF, and no console page is wider than the screen', async ({
  page,
}, testInfo) => {
  const project = testInfo.project.name;
  // An application naming another faculty than the registry's record of 2101001 (工学部 情報工学科).
  const applicant = account({ mail: `review.${project}.${Date.now()}@example.ac.jp`, language: 'ja' });
  await service.stores.store.accounts.insert(applicant);
  const application = await service.deps.applications.submit({
    kind: 'studentId',
    accountId: applicant.id,
    form: {
      nameKanji: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      nameRoman: 'Taro Yamada',
      universityCode: 'DEMO',
      facultyCode: 'LIT',
      departmentCode: 'JPN',
      studentId: '2101001',
      graduationYearMonth: '2027-03',
      leaveType: 'graduated',
    },
    mail: applicant.mail!,
    language: 'ja',
  });
  const holder = account({ mail: `holder.${project}.${Date.now()}@example.ac.jp`, studentIds: ['2101001'], nameKanji: '山田 太郎' });
  await service.stores.store.accounts.insert(holder);
  const placed = await service.deps.certificates.orders.placeOrder(
    {
      account: holder,
      studentId: '2101001',
      destination: 'mail',
      items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }],
      postalAddress: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1-1 霞が関ビルディング二十三階', line2: '' },
    },
    new Date(),
  );
  const number = placed.certificates[0]!.number;

  // The login page, then every console page: none scrolls sideways.
  await page.goto(`${service.url}/admin/login`);
  await expectFitsScreen(page);
  await page.getByTestId('admin-username').fill('admin');
  await page.getByTestId('admin-password').fill(password);
  await page.getByTestId('admin-login-button').click();
  await expect(page.getByTestId('admin-user')).toBeVisible();
  for (const path of ['/admin', '/admin/staff', '/admin/certificates', '/admin/mail-orders', '/admin/certificate-types']) {
    await page.goto(`${service.url}${path}`);
    await page.waitForLoadState('networkidle');
    await expect(page.locator('.loading')).toHaveCount(0);
    await expectFitsScreen(page);
  }
  await page.goto(`${service.url}/admin/registry`);
  const csv = studentsCsv([studentRow({ student_id: `39${project === 'phone' ? 3 : 4}0001` }), studentRow({ birth_date: '2001-02-30' })]);
  await page.getByTestId('registry-file').setInputFiles({ name: 'students-with-a-long-file-name.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('registry-preview-button').click();
  await expect(page.getByTestId('registry-error')).toHaveCount(1);
  await expectFitsScreen(page);

  // The matching aid: names in both columns, codes beside them.
  await page.goto(`${service.url}/admin/applications/${application.id}`);
  const faculty = page.getByTestId('match-row-facultyCode');
  await expect(faculty.getByTestId('match-applied')).toContainText('文学部');
  await expect(faculty.getByTestId('match-applied')).toContainText('LIT');
  await expect(faculty.getByTestId('match-registry')).toContainText('工学部');
  await expect(faculty.getByTestId('match-registry')).toContainText('ENG');
  await expect(page.getByTestId('match-row-departmentCode').getByTestId('match-registry')).toContainText('情報工学科');
  await expect(faculty.getByTestId('match-mismatch')).toHaveText('不一致');
  await expectFitsScreen(page);
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-review-01-matching-names');

  // The issued certificate: its signed PDF opens in a new tab, and the look is audited.
  await page.goto(`${service.url}/admin/certificates/${number}`);
  const pdfLink = page.getByTestId('certificate-pdf');
  await expect(pdfLink).toHaveText('証明書PDFを開く(新しいタブ)');
  await expect(pdfLink).toHaveAttribute('target', '_blank');
  const pdf = await page.request.get(new URL((await pdfLink.getAttribute('href'))!, service.url).href);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect(pdf.headers()['content-disposition']).toBe(`inline; filename="${number}.pdf"`);
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expectFitsScreen(page);
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-review-02-certificate-pdf');

  // A decision with a before and an after, then the audit log.
  const staff = (await service.deps.staff.accounts.list()).find((u) => u.username === 'admin')!;
  await service.deps.applications.decide(
    application.id,
    { action: 'resubmit', reason: '学部名を確認してください。' },
    { id: staff.id, name: staff.displayName },
  );
  const decided = (await service.deps.audit.list({ action: 'application.resubmit', targetId: application.id })).items[0]!;

  await page.getByTestId('admin-nav-audit').click();
  await page.getByTestId('audit-filter-action').selectOption({ label: '再申請を依頼' });
  await page.getByTestId('audit-apply').click();
  await expect(page).toHaveURL(/action=application\.resubmit/);
  const entry = page.locator(`[data-testid="audit-row"][data-action="application.resubmit"]`).first();
  await expect(entry.getByTestId('audit-action')).toHaveText('再申請を依頼');
  await expect(entry.getByTestId('audit-time')).toHaveText(japanTime(decided.at));
  await expect(entry.getByTestId('audit-actor')).toHaveText('Demo Administrator');
  await expect(entry.getByTestId('audit-target')).toContainText('申請:');
  await expect(entry.getByTestId('audit-target-link')).toHaveText('山田 太郎 (2101001)');
  const status = entry.locator('[data-testid="audit-change-row"][data-path="status"]');
  await expect(status).toContainText('状態');
  await expect(status.getByTestId('audit-before')).toHaveText('審査待ち');
  await expect(status.getByTestId('audit-after')).toHaveText('再申請依頼中');
  await expect(entry.getByTestId('audit-note')).toHaveText('学部名を確認してください。');
  // The whole entry, as recorded, behind "記録の詳細".
  const details = entry.getByTestId('audit-details');
  await expect(details.locator('pre')).toBeHidden();
  await details.locator('summary').click();
  await expect(details.locator('pre')).toContainText('"action": "application.resubmit"');
  await expectFitsScreen(page);
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-review-03-audit-decision');

  // Only this certificate's entries: its PDF was viewed, by whom, linked to the certificate.
  await page.goto(`${service.url}/admin/audit?action=certificate.`);
  const viewed = page.locator('[data-testid="audit-row"][data-action="certificate.pdf.viewed"]').first();
  await expect(viewed.getByTestId('audit-action')).toHaveText('証明書PDFの表示');
  await expect(viewed.getByTestId('audit-target-link')).toHaveText(number);
  await viewed.getByTestId('audit-only-target').click();
  await expect(page.getByTestId('audit-filter-target')).not.toHaveValue('');
  await expect(page.getByTestId('audit-row').filter({ hasText: '証明書の申込' })).toHaveCount(0);
  await expect(page.locator('[data-testid="audit-row"][data-action="certificate.pdf.viewed"]')).toHaveCount(1);
  await expectFitsScreen(page);
  await snap(page, testInfo, 'admin-review-04-audit-certificate');

  // The same in English.
  await chooseLanguage(page, 'en');
  await page.goto(`${service.url}/admin/audit?action=application.resubmit&target=${application.id}`);
  const english = page.getByTestId('audit-row').first();
  await expect(english.getByTestId('audit-action')).toHaveText('Resubmission requested');
  await expect(english.getByTestId('audit-time')).toHaveText(new RegExp(`, ${japanTime(decided.at).slice(11, 19)} GMT\\+9$`));
  await expect(english.locator('[data-testid="audit-change-row"][data-path="status"]')).toContainText('Status');
  await expect(english.locator('[data-testid="audit-change-row"][data-path="status"]').getByTestId('audit-after')).toHaveText('Resubmission requested');
  await expect(english.getByTestId('audit-target')).toContainText('Application:');
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-review-05-audit-en');

  await page.goto(`${service.url}/admin/applications/${application.id}`);
  await expect(page.getByTestId('match-row-facultyCode').getByTestId('match-registry')).toContainText('Faculty of Engineering');
  await expect(page.getByTestId('match-row-facultyCode').getByTestId('match-applied')).toContainText('Faculty of Letters');
  await expectFitsScreen(page);
  await expectAccessible(page);
  await snap(page, testInfo, 'admin-review-06-matching-names-en');
});
