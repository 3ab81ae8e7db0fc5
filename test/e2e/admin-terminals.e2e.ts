import { expect, test } from '@playwright/test';
import { parseTerminalKey } from '../../main/terminal-key.js';
import { startService, type RunningService } from '../support/service.js';
import { readDemoStaffCredentials } from '../support/staff.js';
import { proofHeaders } from '../support/terminal.js';
import { chooseLanguage, env, expectAccessible, snap } from './support.js';

/**
 * 端末 / Terminals in the staff console (a demo-mode service of this file's own): an administrator
 * enrols a terminal and sees its key once, the terminal's shell checks in with that key and the
 * list shows it, and a revoked terminal's key is refused from its next request. Then メール送信状況:
 * a mail the relay refused shows there, masked, and is sent again.
 */
let service: RunningService;

test.beforeAll(async () => {
  service = await startService();
});
test.afterAll(async () => {
  await service?.stop();
});

const TEXT = {
  ja: { active: '有効', revoked: '取り消し済み', ready: '使用可能', required: '入力してください。', failed: '送信失敗', waiting: '再試行待ち' },
  en: { active: 'Active', revoked: 'Revoked', ready: 'Ready', required: 'Please fill in this field.', failed: 'Failed', waiting: 'Waiting to retry' },
};

/** A mail the relay refused at its last attempt (enqueued a minute ahead, so the service's worker leaves it to this test's claim). */
async function failedMail(id: string, to: string): Promise<void> {
  const outbox = service.stores.mailOutbox;
  const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  await outbox.enqueue({
    id,
    message: { to, language: 'ja', subject: '【証明書発行サービス】証明書を発送しました', text: 'shipped', html: '<p>shipped</p>' },
    enqueuedAt: at(1),
  });
  await outbox.claim(at(1), at(2), 'e2e', 1);
  await outbox.markFailed(id, 'e2e', '550 5.1.1 mailbox unavailable');
}

test('an administrator enrols a terminal (its key shown once), sees its check-in, revokes it, then sends a failed mail again', async ({ page }, testInfo) => {
  env('E2E_DEMO_URL'); // the global setup ran
  const language = testInfo.project.name === 'phone' ? 'ja' : 'en';
  const L = TEXT[language];
  const base = service.url;
  const checkIn = (key: string) => {
    const url = `${base}/api/terminal`;
    return fetch(url, { headers: { accept: 'application/json', ...proofHeaders(parseTerminalKey(key)!, 'GET', url) } });
  };

  await page.goto(`${base}/admin/terminals`);
  await expect(page).toHaveURL(/\/admin\/login\?returnTo=/);
  await chooseLanguage(page, language);
  await page.getByTestId('admin-username').fill('admin');
  await page.getByTestId('admin-password').fill(readDemoStaffCredentials(service.dataDir).admin!.password);
  await page.getByTestId('admin-login-button').click();
  await expect(page.getByTestId('admin-nav-terminals')).toHaveAttribute('aria-current', 'page');

  // A name is required; the field says so and keeps the focus.
  await page.getByTestId('terminal-location').fill('Library 1F');
  await page.getByTestId('terminal-enroll-submit').click();
  await expect(page.getByTestId('field-error-name')).toHaveText(L.required);
  await expect(page.getByTestId('terminal-name')).toBeFocused();
  await expect(page.getByTestId('terminal-location')).toHaveValue('Library 1F');

  await page.getByTestId('terminal-name').fill('LIB-1F-01');
  await page.getByTestId('terminal-enroll-submit').click();
  const panel = page.getByTestId('terminal-key');
  await expect(panel).toBeFocused();
  const settings = JSON.parse(await page.getByTestId('terminal-key-settings').innerText()) as { serverUrl: string; terminalKey: string };
  expect(settings.serverUrl).toBe(base);
  expect(settings.terminalKey).toMatch(/^stk1\./);
  const download = page.waitForEvent('download');
  await page.getByTestId('terminal-key-download').click();
  expect((await download).suggestedFilename()).toBe('kiosk.json');
  await expectAccessible(page);
  await snap(page, testInfo, `admin-terminals-01-key-${language}`);

  // The terminal's shell checks in with that key; once closed, the key is nowhere on the page.
  expect((await checkIn(settings.terminalKey)).status).toBe(200);
  await page.getByTestId('terminal-key-done').click();
  await expect(panel).toHaveCount(0);
  await page.reload();
  const row = page.locator('[data-testid^="terminal-row-"][data-name="LIB-1F-01"]');
  await expect(row.getByTestId('terminal-status')).toHaveText(L.active);
  await expect(row.getByTestId('terminal-shell-version')).toHaveText('0.1.0-test');
  await expect(row.getByTestId('terminal-printer')).toHaveText(L.ready);
  expect(await page.content()).not.toContain(settings.terminalKey.split('.')[2]);

  // Revoking asks first; from its next request the terminal is an ordinary browser.
  await row.getByRole('button', { name: new RegExp(language === 'ja' ? '登録を取り消す' : 'Revoke') }).click();
  await expect(page.getByTestId('terminal-confirm')).toBeFocused();
  await expectAccessible(page);
  await page.getByTestId('terminal-confirm-yes').click();
  await expect(page.locator(':focus').getByTestId('terminal-notice')).toBeVisible();
  await expect(row.getByTestId('terminal-status')).toHaveText(L.revoked);
  expect((await checkIn(settings.terminalKey)).status).toBe(403);
  await expectAccessible(page);
  await snap(page, testInfo, `admin-terminals-02-revoked-${language}`);

  // メール送信状況: the failed mail, its recipient masked; sent again, it waits for the sender.
  await failedMail(`mail-${language}`, 'taro.yamada@example.ac.jp');
  await page.getByTestId('admin-nav-mail').click();
  const mailRow = page.getByTestId(`mail-row-mail-${language}`);
  await expect(mailRow.getByTestId('mail-status')).toHaveText(L.failed);
  await expect(mailRow).toContainText('ta*********@example.ac.jp');
  await expect(mailRow).toContainText('550 5.1.1 mailbox unavailable');
  expect(await page.content()).not.toContain('taro.yamada@');
  await expectAccessible(page);
  await snap(page, testInfo, `admin-mail-01-failed-${language}`);
  await page.getByTestId(`mail-retry-mail-${language}`).click();
  await expect(page.locator(':focus').getByTestId('mail-notice')).toBeVisible();
  await expect(mailRow.getByTestId('mail-status')).toHaveText(L.waiting);
  await expect(mailRow.getByTestId('mail-attempts')).toHaveText('0');
});
