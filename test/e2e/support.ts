import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { mailDirReader } from '../support/smtp-server.js';

const root = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = path.join(root, 'artifacts', 'screenshots');

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through playwright.config.ts (global setup)`);
  return value;
};

/** Keeps a full-page screenshot as an artifact: artifacts/screenshots/<project>-<name>.png. */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${testInfo.project.name}-${name}.png`), fullPage: true });
}

/**
 * Every character of `text` is drawn from a loaded face of the bundled web font (Noto Sans JP), not
 * from whatever the machine has installed, nor as a box: rare kanji in names included.
 */
export async function expectWebFontCovers(page: Page, text: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const uncovered = await page.evaluate((chars) => {
    const inRange = (range: string, code: number) =>
      range.split(',').some((part) => {
        const [lo, hi] = part
          .trim()
          .replace(/^U\+/i, '')
          .split('-')
          .map((h) => parseInt(h, 16));
        return lo !== undefined && code >= lo && code <= (hi ?? lo);
      });
    const faces: FontFace[] = [];
    document.fonts.forEach((f) => {
      if (f.family.replace(/["']/g, '') === 'Noto Sans JP' && f.status === 'loaded') faces.push(f);
    });
    return [...chars].filter((ch) => ch.trim() !== '' && !faces.some((f) => inRange(f.unicodeRange, ch.codePointAt(0) ?? 0)));
  }, text);
  expect(uncovered, `characters of "${text}" without a loaded web font face`).toEqual([]);
}

/** axe-core on the current page: zero violations (WCAG 2.1 A/AA rules and best practices). */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** The first mail to `to` received after `since`, from the real SMTP server's directory. */
export async function waitForMail(to: string, since: number): Promise<ParsedMail> {
  return mailDirReader(env('E2E_SMTP_DIR')).waitForMail(to, { since, timeoutMs: 15_000 });
}

/** The one-time URL in a mail's text part. */
export function oneTimeUrl(mail: ParsedMail): string {
  const m = /(https?:\/\/\S+\/mail\/confirm#token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!m?.[1]) throw new Error(`no one-time URL in mail "${mail.subject ?? ''}":\n${mail.text ?? ''}`);
  return m[1];
}

/** Signs in at the real SimpleSAMLphp IdP's form (shown only when it has no session or ForceAuthn). */
export async function signInAtSimpleSamlPhp(page: Page, username: string, password: string, idpUrl = env('E2E_IDP_URL')): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(idpUrl));
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#password').press('Enter');
}

/** Chooses a language in the LANG pull-down. */
export async function chooseLanguage(page: Page, language: 'ja' | 'en'): Promise<void> {
  await page.getByTestId('lang-select').selectOption({ label: language === 'ja' ? 'LANG:日本語' : 'LANG:English' });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

/**
 * Opens the dev mailbox, again until `row` of it is there (mails are sent by the outbox worker just
 * after the request that queued them), and returns that row.
 */
export async function mailboxRow(page: Page, base: string, row: (page: Page) => Locator): Promise<Locator> {
  await expect(async () => {
    await page.goto(`${base}/dev/mailbox/`);
    await expect(row(page).first()).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  return row(page).first();
}

/** Opens the newest mail to `address` in the dev mailbox and returns the link matching `pattern`. */
export async function linkFromMailbox(page: Page, base: string, address: string, pattern: string): Promise<string> {
  const row = await mailboxRow(page, base, (p) => p.getByRole('row', { name: new RegExp(address.replace(/\./g, '\\.')) }));
  await row.getByRole('link').first().click();
  const link = await page.locator(`pre a[href*="${pattern}"]`).first().getAttribute('href');
  expect(link).toBeTruthy();
  return link!;
}

/** Demo mode: signs a demo student in at the demo IdP and registers `address` (read at /dev/mailbox). */
export async function signInWithMail(page: Page, base: string, student: string, address: string, language: 'ja' | 'en') {
  await page.goto(`${base}/login`);
  if (language === 'en') await chooseLanguage(page, 'en');
  await page.getByTestId('login-button').click();
  await page.getByRole('button', { name: new RegExp(student) }).click();
  await expect(page).toHaveURL(/\/mail\/register/);
  await page.getByTestId('mail-input').fill(address);
  await page.getByTestId('mail-confirm-input').fill(address);
  await page.getByTestId('submit-button').click();
  await expect(page).toHaveURL(/\/mail\/sent/);
  await page.goto(await linkFromMailbox(page, base, address, '/mail/confirm#token='));
  await page.getByTestId('confirm-button').click();
  await page.getByTestId('move-to-login').click();
  await page.getByTestId('login-button').click();
  await page.getByRole('button', { name: new RegExp(student) }).click();
  await expect(page).toHaveURL(/\/home/);
}

/**
 * Every visible select shows its chosen text whole (「選択してください」 was clipped to 「選択してく」):
 * each is at least as wide as the same select with only its chosen option and no width set.
 */
export async function expectSelectsFit(page: Page): Promise<void> {
  const clipped = await page.evaluate(() =>
    Array.from(document.querySelectorAll('select'))
      .filter((select) => select.getClientRects().length > 0)
      .flatMap((select) => {
        const probe = select.cloneNode(false) as HTMLSelectElement;
        const chosen = select.selectedOptions[0];
        if (chosen) probe.append(chosen.cloneNode(true));
        probe.removeAttribute('id');
        // CSSOM, not a style attribute: allowed by the CSP.
        Object.assign(probe.style, { width: 'auto', minWidth: '0', maxWidth: 'none', position: 'absolute', visibility: 'hidden' });
        select.parentElement!.append(probe);
        const needed = probe.getBoundingClientRect().width;
        probe.remove();
        const has = select.getBoundingClientRect().width;
        return has + 0.5 < needed
          ? [`${select.id || select.name}: "${chosen?.text ?? ''}" needs ${Math.ceil(needed)} px, has ${Math.floor(has)} px (${getComputedStyle(select).font})`]
          : [];
      }),
  );
  expect(clipped, `clipped selects on ${page.url()}`).toEqual([]);
}

/**
 * One button order everywhere: in every visible row of buttons (.actions), the primary or
 * destructive action comes after (right of, or below) every secondary one.
 */
export async function expectButtonOrder(page: Page): Promise<void> {
  const wrong = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.actions'))
      .filter((row) => row.getClientRects().length > 0)
      .flatMap((row) => {
        const buttons = Array.from(row.querySelectorAll<HTMLElement>(':scope > .btn')).filter((b) => b.getClientRects().length > 0);
        const isMain = buttons.map((b) => b.classList.contains('btn--primary') || b.classList.contains('btn--danger'));
        const firstMain = isMain.indexOf(true);
        const lastOther = isMain.lastIndexOf(false);
        if (firstMain < 0 || lastOther < firstMain) return [];
        return [buttons.map((b) => b.textContent?.trim()).join(' | ')];
      }),
  );
  expect(wrong, `secondary buttons after the main action on ${page.url()}`).toEqual([]);
}
