import { expect, test } from '@playwright/test';
import { encodeRgbaPng } from '../../service/adapters/images/png.js';
import { TEST_INSTITUTION, TEST_SEAL_SVG } from '../support/institution.js';
import { ApiClient, runStaffCli } from '../support/staff.js';
import { chooseLanguage, env, expectAccessible, snap } from './support.js';

/**
 * The console's setup screens on the production-like service (set up as 北辰工業大学 by the global
 * setup and shared by every e2e test): a new administrator reads the checklist, edits 大学情報 and
 * its seal, and adds, retires and deletes a certificate type. Whatever it changes is put back,
 * so the service stays open to students.
 */

/** A red ring on transparent ground, as a PNG of 200 × 200. */
function sealPng(): Buffer {
  const size = 200;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size / 2, y - size / 2);
      if (r > 70 && r < 90) rgba.set([176, 16, 26, 255], (y * size + x) * 4);
    }
  }
  return Buffer.from(encodeRgbaPng(rgba, size, size));
}

test('an administrator reads the checklist, edits 大学情報 and the seal, and adds, retires and deletes a certificate type', async ({ page }, testInfo) => {
  const base = env('E2E_REAL_URL');
  const username = `console-${testInfo.project.name}`;
  const password = `console-${testInfo.project.name}-password-2026`;
  const created = await runStaffCli(['create-user', '--username', username, '--role', 'administrator', '--display-name', '北辰 管理', '--password-stdin'], {
    databaseUrl: env('E2E_REAL_DATABASE_URL'),
    stdin: `${password}\n`,
  });
  expect(created.code, created.stderr).toBe(0);
  const api = new ApiClient(base);
  expect((await api.staffLogin(username, password)).status).toBe(200);
  const typeCode = `e2e-${testInfo.project.name}`;

  try {
    await page.goto(`${base}/admin/login`);
    await page.getByTestId('admin-username').fill(username);
    await page.getByTestId('admin-password').fill(password);
    await page.getByTestId('admin-login-button').click();
    await expect(page).toHaveURL(/\/admin$/);

    // The front page: setup is complete on this service, so it says the service is open.
    await expect(page.getByTestId('setup-open')).toHaveText('利用開始の準備はすべて完了しています。学生はこのサービスを利用できます。');
    await expectAccessible(page);
    await chooseLanguage(page, 'en');
    await expect(page.getByTestId('setup-open')).toHaveText('Setup is complete. The service is open to students.');
    await expectAccessible(page);
    await snap(page, testInfo, 'console-setup-01-front-en');
    await chooseLanguage(page, 'ja');

    // 大学情報: the stored profile; a bad phone number is explained at its field and nothing typed is lost.
    await page.getByTestId('admin-nav-institution').click();
    await expect(page.getByRole('heading', { level: 1, name: '大学情報' })).toBeVisible();
    await expect(page.getByTestId('inst-name.ja')).toHaveValue('北辰工業大学');
    await expect(page.getByTestId('inst-officer.title.en')).toHaveValue('President');
    await page.getByTestId('inst-contact.hours.ja').fill('平日 8:30〜17:00');
    await page.getByTestId('inst-contact.phone').fill('お電話で');
    await page.getByTestId('institution-save').click();
    await expect(page.getByTestId('field-error-contact.phone')).toHaveText('電話番号は半角数字とハイフンで入力してください(例:03-1234-5678)。');
    await expect(page.getByTestId('inst-contact.phone')).toBeFocused();
    await expect(page.getByTestId('inst-contact.hours.ja')).toHaveValue('平日 8:30〜17:00');
    await expectAccessible(page);
    await snap(page, testInfo, 'console-setup-02-institution-error');
    await page.getByTestId('inst-contact.phone').fill('011-555-0123');
    await page.getByTestId('institution-save').click();
    await expect(page.getByTestId('institution-saved')).toHaveText('大学情報を保存しました。');
    expect((await api.get('/api/admin/institution')).body.profile.contact.hours.ja).toBe('平日 8:30〜17:00');

    // The seal: a file that is no image is refused with the reason; a PNG and an SVG replace it, shown as previews.
    const preview = page.getByTestId('image-seal-preview');
    const before = await preview.getAttribute('src');
    await page.getByTestId('image-seal-file').setInputFiles({ name: 'seal.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a not a seal') });
    await page.getByTestId('image-seal-upload').click();
    await expect(page.getByTestId('image-seal-error')).toHaveText('PNG または SVG の画像を選んでください。');
    await expect(page.getByTestId('image-seal-file')).toBeFocused();
    await expect(preview).toHaveAttribute('src', before!);
    for (const file of [
      { name: 'seal.png', mimeType: 'image/png', buffer: sealPng() },
      { name: 'seal.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(TEST_SEAL_SVG) },
    ]) {
      const shown = await preview.getAttribute('src');
      await page.getByTestId('image-seal-file').setInputFiles(file);
      await page.getByTestId('image-seal-upload').click();
      await expect(page.getByTestId('image-seal-done')).toHaveText('画像を登録しました。');
      await expect(preview).not.toHaveAttribute('src', shown!);
      await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    }
    await chooseLanguage(page, 'en');
    await expect(page.getByRole('heading', { level: 1, name: 'Institution' })).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, 'console-setup-03-institution-en');
    await chooseLanguage(page, 'ja');

    // The catalogue: a code that exists is refused at the code field; a new type is added, retired, reinstated and deleted.
    await page.getByTestId('admin-nav-certificate-types').click();
    await expect(page.getByRole('heading', { level: 1, name: '証明書の種類' })).toBeVisible();
    await page.getByTestId('type-add').click();
    await page.getByTestId('type-code').fill('enrollment');
    await page.getByTestId('type-template').selectOption('enrollment');
    await page.getByTestId('type-nameJa').fill('在籍期間証明書');
    await page.getByTestId('type-nameEn').fill('Certificate of Enrollment Period');
    await page.getByTestId('type-fee').fill('400');
    await page.getByTestId('type-save').click();
    await expect(page.getByTestId('field-error-code')).toHaveText('このコードは既に別の証明書で使われています。');
    await expect(page.getByTestId('type-code')).toBeFocused();
    await expect(page.getByTestId('type-nameJa')).toHaveValue('在籍期間証明書');
    await expectAccessible(page);
    await snap(page, testInfo, 'console-setup-04-type-duplicate');

    await page.getByTestId('type-code').fill(typeCode);
    await page.getByTestId('type-save').click();
    await expect(page.getByTestId('type-saved')).toHaveText('「在籍期間証明書」を追加しました。');
    const row = page.getByTestId(`type-row-${typeCode}`);
    await expect(row.getByTestId('type-active')).toHaveText('受付中');
    await row.getByTestId(`type-retire-${typeCode}`).click();
    await expect(page.getByTestId('type-saved')).toContainText('「在籍期間証明書」を廃止しました。');
    await expect(row.getByTestId('type-active')).toHaveText('廃止');
    await row.getByTestId(`type-reinstate-${typeCode}`).click();
    await expect(row.getByTestId('type-active')).toHaveText('受付中');
    await row.getByTestId(`type-delete-${typeCode}`).click();
    await expect(page.getByTestId('type-confirm')).toContainText('「在籍期間証明書」を削除しますか?');
    await chooseLanguage(page, 'en');
    await expect(page.getByTestId('type-confirm')).toContainText('Delete "Certificate of Enrollment Period"?');
    await expectAccessible(page);
    await snap(page, testInfo, 'console-setup-05-types-en');
    await page.getByTestId('type-confirm-yes').click();
    await expect(page.getByTestId('type-saved')).toHaveText('"Certificate of Enrollment Period" was deleted.');
    await expect(row).toHaveCount(0);
  } finally {
    // The shared service as the global setup left it.
    await api.call('PUT', '/api/admin/institution', { body: TEST_INSTITUTION });
    await api.call('PUT', '/api/admin/institution/seal', { raw: { bytes: TEST_SEAL_SVG, type: 'image/svg+xml' } });
    await api.call('DELETE', `/api/admin/certificate-types/${typeCode}`);
  }
});
