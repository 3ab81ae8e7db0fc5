import { expect, test, type Page } from '@playwright/test';
import { startService } from '../support/service.js';
import { chooseLanguage, env, expectAccessible, snap } from './support.js';

/**
 * マニュアル (/manual): public, in Japanese and English, on the demo service and on the
 * production-like one (whose contact block must be its own university's, nothing of the demo's),
 * and before any university is set up.
 */
const CHAPTERS = {
  ja: [
    '1 はじめに',
    '2 証明書発行サービスへのログイン',
    '3 証明書の発行',
    '4 証明書の確認(真偽確認)',
    '5 学内の証明書発行端末をご利用の方へ',
    '6 困ったときは',
  ],
  en: [
    '1 Introduction',
    '2 Log In to the Certificate Issuance Service',
    '3 Issuing Certificates',
    '4 Verifying a Certificate',
    '5 Using a Certificate Kiosk on Campus',
    '6 Troubleshooting',
  ],
};

/** Every section, numbered and in order: each screen of the product has its place. */
const SECTIONS = {
  ja: [
    '1.1 操作を行うにあたっての注意点',
    '1.2 ご利用の流れ',
    '1.3 操作マニュアルの確認方法',
    '2.1 メールアドレスの新規登録(初回ログイン時)',
    '2.2 ログイン方法',
    '2.3 学籍番号の追加登録方法(学籍番号が複数ある方のみ)',
    '2.4 ログイン情報の変更方法(メールアドレスの変更)',
    '2.5 言語の切り替え',
    '2.6 卒業生の方のログイン(大学のアカウントをお持ちでない場合)',
    '2.7 ログアウト',
    '3.1 印刷先選択画面の見方',
    '3.2 証明書を発行する(共通の操作)',
    '3.3 コンビニで印刷する',
    '3.4 学内印刷',
    '3.5 郵送',
    '3.6 PDF送付',
    '3.7 申請の取消',
    '3.8 証明書の共有リンク',
    '3.9 デジタル証明書のダウンロード',
    '4.1 証明書番号と確認コードで確認する',
    '4.2 QRコードで確認する',
    '4.3 デジタル証明書で確認する',
    '5.1 共用端末での注意',
    '5.2 文字の入力',
    '6.1 確認メールが届かない・URLの期限が切れた場合',
    '6.2 ログアウトした・画面の有効期限が切れたと表示された場合',
    '6.3 証明書を申請・印刷できない場合',
  ],
  en: [
    '1.1 Notes on Operation',
    '1.2 How It Works',
    '1.3 How to Open This Manual',
    '2.1 Registration of New Email Address *for first login',
    '2.2 How to Log In',
    '2.3 How to Add a Student ID Number *for those who have multiple student ID numbers',
    '2.4 How to Change the Login Information (Change the Email Address)',
    '2.5 Switch Languages',
    '2.6 Logging In as a Graduate (without a university account)',
    '2.7 Logout',
    '3.1 The Select Printing Destination Screen',
    '3.2 Applying for Certificates (all printing methods)',
    '3.3 Printing at a Convenience Store',
    '3.4 On-campus printing',
    '3.5 Mail',
    '3.6 Send as PDF',
    '3.7 Cancelling an Application',
    '3.8 Share Links of a Certificate',
    '3.9 Downloading a Digital Certificate',
    '4.1 Checking with the Certificate Number and Verification Code',
    '4.2 Checking with the QR Code',
    '4.3 Checking a Digital Certificate',
    '5.1 Shared Terminals',
    '5.2 Entering Text',
    '6.1 If the Confirmation Mail Does Not Arrive or the URL Has Expired',
    '6.2 If You Were Logged Out or the Screen Has Expired',
    '6.3 If You Cannot Apply for or Print a Certificate',
  ],
};

const TEXT = {
  ja: { title: 'マニュアル', toc: '目次', logout: '2.7 ログアウト', backToTop: '目次へ戻る', noContact: 'お問い合わせ先はまだ登録されていません' },
  en: { title: 'Manual', toc: 'Contents', logout: '2.7 Logout', backToTop: 'Back to contents', noContact: 'No contact has been registered yet' },
};

/** What the demo university shows and a real installation must never show. */
const DEMO_TRACES = /デモ大学|Demo Univ|佐藤 健一|Kenichi Sato|demo-university/;

const SERVICES = {
  demo: { ja: { name: 'デモ大学', environment: 'iPhone: Safari' }, en: { name: 'Demo University', environment: 'iPhone: Safari' } },
  real: { ja: { name: '北辰工業大学', environment: 'Chrome、Edge' }, en: { name: 'Hokushin Institute of Technology', environment: 'Chrome, Edge' } },
};

const normalized = (texts: string[]) => texts.map((s) => s.replace(/\s+/g, ' ').trim());

/** The manual's headings (h2 chapters without the table of contents, h3 sections), as a reader sees them. */
async function headings(page: Page) {
  const main = page.getByRole('main');
  const chapters = normalized(await main.locator('.manual-chapter__title').allTextContents());
  const sections = normalized(await main.getByRole('heading', { level: 3 }).allTextContents());
  return { chapters, sections };
}

test('the manual covers every screen in Japanese and English, with the service’s own contact, a working table of contents and no accessibility problems', async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000);
  for (const [service, base] of [
    ['demo', env('E2E_DEMO_URL')],
    ['real', env('E2E_REAL_URL')],
  ] as const) {
    for (const language of ['ja', 'en'] as const) {
      const L = TEXT[language];
      await page.goto(`${base}/manual`);
      await chooseLanguage(page, language);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(L.title);

      // Every chapter and section, numbered, in order; the table of contents lists the same.
      expect(await headings(page)).toEqual({ chapters: CHAPTERS[language], sections: SECTIONS[language] });
      const toc = page.getByRole('navigation', { name: L.toc });
      expect(normalized(await toc.getByRole('link').allTextContents())).toEqual(
        CHAPTERS[language].flatMap((chapter, c) => [chapter, ...SECTIONS[language].filter((s) => s.startsWith(`${c + 1}.`))]),
      );

      // 動作条件 and お問い合わせ先 are this service's university's.
      const expected = SERVICES[service][language];
      await expect(page.getByTestId('manual-environments')).toContainText(expected.environment);
      await expect(page.locator('#precautions').getByTestId('institution-contact')).toContainText(expected.name);
      if (service === 'real') await expect(page.locator('body')).not.toContainText(DEMO_TRACES);

      // A table-of-contents link goes to its section, and back to the contents.
      await toc.getByRole('link', { name: L.logout }).click();
      await expect(page).toHaveURL(/\/manual#logout$/);
      await expect(page.getByRole('heading', { level: 3, name: L.logout })).toBeInViewport();
      await page.locator('#login').getByRole('link', { name: L.backToTop }).click();
      await expect(page).toHaveURL(/\/manual#toc-title$/);
      await expect(page.getByRole('heading', { name: L.toc })).toBeInViewport();

      // axe and full-page screenshots take seconds on this long page: each language once per
      // viewport (the two services differ only in 1.1).
      if (language === (service === 'demo' ? 'ja' : 'en')) {
        await expectAccessible(page);
        await page.evaluate(() => window.scrollTo(0, 0));
        await snap(page, testInfo, `manual-${service}-${language}`);
      }
    }
  }

  // Before a university is set up (not open yet): the manual opens and says there is no contact
  // yet (Japanese on the phone, English at the kiosk size).
  const language = testInfo.project.name === 'phone' ? 'ja' : 'en';
  const fresh = await startService({ SAML_IDP_METADATA: `${env('E2E_IDP_URL')}/saml2/idp/metadata.php`, DEMO: '0' });
  try {
    await page.goto(`${fresh.url}/manual`);
    await chooseLanguage(page, language);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(TEXT[language].title);
    expect((await headings(page)).sections).toEqual(SECTIONS[language]);
    await expect(page.getByTestId('manual-no-contact')).toContainText(TEXT[language].noContact);
    await expect(page.getByTestId('manual-no-environments')).toBeVisible();
    await expect(page.getByTestId('institution-contact')).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText(DEMO_TRACES);
    await expectAccessible(page);
    await snap(page, testInfo, `manual-not-set-up-${language}`);
  } finally {
    await fresh.stop();
  }
});
