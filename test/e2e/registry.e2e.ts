import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { gradeRow, gradesCsv, studentRow, studentsCsv } from '../support/registry-fixtures.js';
import { chooseLanguage, env, expectAccessible, snap } from './support.js';

/** The demo administrator's first password, from the demo service's credentials file. */
function demoAdmin(): { username: string; password: string } {
  const file = path.join(env('E2E_DEMO_DATA_DIR'), 'demo-staff-credentials.txt');
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('admin\t'));
  if (!line) throw new Error(`no admin in ${file}`);
  const [username, , password] = line.split('\t');
  return { username: username!, password: password! };
}

async function signInToConsole(page: Page, returnTo: string): Promise<void> {
  const { username, password } = demoAdmin();
  await page.goto(`${env('E2E_DEMO_URL')}/admin/login?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByTestId('admin-username').fill(username);
  await page.getByTestId('admin-password').fill(password);
  await page.getByTestId('admin-login-button').click();
  await expect(page).toHaveURL(new RegExp(`${returnTo}$`));
}

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

test('an administrator previews a registry CSV, sees line-numbered errors for a bad file, and imports a good one', async ({ page }, testInfo) => {
  // Each viewport imports its own students (both runs share the demo service).
  const prefix = testInfo.project.name === 'phone' ? '391' : '392';
  const ids = [`${prefix}0001`, `${prefix}0002`];
  await signInToConsole(page, '/admin/registry');
  await expect(page.locator('h1')).toHaveText('名簿取込');
  await expectAccessible(page);

  // A file with one bad line: translated errors with line numbers, nothing to import.
  const bad = studentsCsv([studentRow({ student_id: ids[0] }), studentRow({ student_id: ids[1], birth_date: '2001-02-30', name_kana: 'やまだ たろう' })]);
  await page.getByTestId('registry-file').setInputFiles(csvFile('students-bad.csv', bad));
  await page.getByTestId('registry-preview-button').click();
  const errors = page.getByTestId('registry-error');
  await expect(errors).toHaveCount(2);
  await expect(errors.first()).toContainText('3');
  await expect(errors.first()).toContainText('カタカナで入力してください');
  await expect(errors.nth(1)).toContainText('正しい日付ではありません');
  await expect(page.getByTestId('registry-commit')).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, testInfo, 'registry-01-errors');

  // The same in English.
  await chooseLanguage(page, 'en');
  await expect(page.locator('h1')).toHaveText('Registry import');
  await expect(errors.first()).toContainText('please use katakana only');
  await chooseLanguage(page, 'ja');

  // The corrected file: a preview of two added students, then 取り込む.
  const good = studentsCsv([studentRow({ student_id: ids[0] }), studentRow({ student_id: ids[1], name_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' })], { bom: true, eol: '\r\n' });
  await page.getByTestId('registry-file').setInputFiles(csvFile('students.csv', good));
  await page.getByTestId('registry-preview-button').click();
  await expect(page.getByTestId('count-added')).toHaveText('2');
  await expect(page.getByTestId('registry-added')).toContainText(ids[1]!);
  await expectAccessible(page);
  await snap(page, testInfo, 'registry-02-preview');
  await page.getByTestId('registry-commit').click();
  await expect(page.getByTestId('registry-result')).toContainText('追加 2件');
  await expectAccessible(page);

  // Grades for them: the changes show course by course.
  await page.getByTestId('registry-kind-grades').check();
  await page.getByTestId('registry-file').setInputFiles(csvFile('grades.csv', gradesCsv([gradeRow(ids[0]!), gradeRow(ids[1]!, { grade: 'S' })])));
  await page.getByTestId('registry-preview-button').click();
  await expect(page.getByTestId('registry-added')).toContainText('IE101');
  await page.getByTestId('registry-commit').click();
  await expect(page.getByTestId('registry-result')).toContainText('追加 2件');

  // A re-import shows each changed field before and after.
  await page.getByTestId('registry-kind-students').check();
  await page
    .getByTestId('registry-file')
    .setInputFiles(
      csvFile(
        'students2.csv',
        studentsCsv([studentRow({ student_id: ids[0], status: 'withdrawn', degree_ja: '', degree_en: '' }), studentRow({ student_id: ids[1] })]),
      ),
    );
  await page.getByTestId('registry-preview-button').click();
  await expect(page.getByTestId('count-updated')).toHaveText('1');
  await expect(page.getByTestId('count-unchanged')).toHaveText('1');
  const statusRow = page.getByTestId('registry-updated').getByRole('row', { name: /学籍の状態/ });
  await expect(statusRow).toContainText('卒業');
  await expect(statusRow).toContainText('退学');
  await expectAccessible(page);
  await snap(page, testInfo, 'registry-03-updated');
  await page.getByTestId('registry-kind-grades').check();

  // The same file again changes nothing.
  await page.getByTestId('registry-file').setInputFiles(csvFile('grades.csv', gradesCsv([gradeRow(ids[0]!), gradeRow(ids[1]!, { grade: 'S' })])));
  await page.getByTestId('registry-preview-button').click();
  await expect(page.getByTestId('count-unchanged')).toHaveText('2');
  await expect(page.getByTestId('registry-nothing')).toBeVisible();
  await snap(page, testInfo, 'registry-04-unchanged');
});

test('the registry import asks for a file before previewing', async ({ page }) => {
  await signInToConsole(page, '/admin/registry');
  await page.getByTestId('registry-preview-button').click();
  await expect(page.getByTestId('field-error-file')).toHaveText('CSVファイルを選択してください。');
  await expect(page.getByTestId('registry-file')).toBeFocused();
  await expectAccessible(page);
});
