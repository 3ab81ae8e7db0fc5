import type { Language } from '../domain/model.js';
import { escapeHtml as h } from '../domain/html.js';
import type { DemoUser } from './demo-idp.js';

/**
 * The demo IdP's HTML: server-rendered pages that work under the service's CSP (no inline
 * script or style; one style sheet and the auto-post script are served beside them).
 */

const BANNER: Record<Language | 'both', string> = {
  both:
    `<strong>デモ用 IdP / Demo IdP — not a real university sign-in</strong>` +
    `<span>これは動作確認用の模擬認証画面です。実在の大学の認証ではありません。</span>`,
  ja: `<strong>デモ用 IdP — 実在の大学の認証ではありません</strong><span>これは動作確認用の模擬認証画面です。</span>`,
  en: `<strong>Demo IdP — not a real university sign-in</strong><span>This is a simulated sign-in for trying the service out.</span>`,
};

/**
 * A page of the demo IdP. `language` 'both' is for the pages in the middle of a sign-in, which
 * show Japanese and English side by side; the /demo-idp page has a language switch instead.
 */
export function idpPage(title: string, body: string, language: Language | 'both' = 'both', headerExtra = ''): string {
  return (
    `<!doctype html><html lang="${language === 'en' ? 'en' : 'ja'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${h(title)}</title><link rel="stylesheet" href="/demo-idp/demo-idp.css"></head>` +
    `<body><header class="banner">${BANNER[language]}${headerExtra}</header><main>${body}</main></body></html>`
  );
}

export interface DemoIdpHomeInput {
  users: readonly DemoUser[];
  language: Language;
  /** Whether the dev mailbox runs (no SMTP_URL). */
  devMailbox: boolean;
  /** The demo staff users, when demo mode created them. */
  staffUsers: ReadonlyArray<{ username: string; role: 'administrator' | 'reviewer' }>;
}

const TEXT = {
  ja: {
    title: 'デモ用 IdP について — Shomei',
    switchLabel: '言語',
    other: { code: 'en', name: 'English' },
    heading: 'デモ用 IdP について',
    about:
      'このサービスはデモモードで動いています。デモ用 IdP は、大学の認証システム(SAML IdP)の代わりにサービスに組み込まれた模擬の認証画面です。' +
      'パスワードは不要で、下の学生から一人を選ぶと、その学生としてログインできます。',
    real: '本物の IdP と同じく署名付きの SAML 応答を返しますが、学生はすべて架空の人物です。大学の IdP を設定すると(SAML_IDP_METADATA)、このページもデモ用 IdP も使われなくなります。',
    start: 'ログインを始める',
    startNote: 'ログインを始めると、学生を選ぶ画面が開きます。',
    students: (n: number) => `デモ用の学生(${n}名)`,
    studentId: '学籍番号',
    graduateId: (id: string) => `大学院の学籍番号 ${id}（学籍番号追加登録で試せます）`,
    more: 'ほかに試せること',
    mailbox: '開発用メールボックス',
    mailboxText: ': サービスが送るメール(メールアドレスの確認メールなど)は、実際には送られずここに届きます。',
    console: 'スタッフコンソール',
    consoleText: (usersHtml: string) =>
      `: デモ用のスタッフユーザー ${usersHtml} でログインできます。パスワードはサービスの起動時に表示され、データフォルダーの <code>demo-staff-credentials.txt</code> にも書かれています。`,
    staffUser: (name: string, role: 'administrator' | 'reviewer') => `<code>${name}</code>（${{ administrator: '管理者', reviewer: '審査担当' }[role]}）`,
    listSeparator: '、',
  },
  en: {
    title: 'About the demo IdP — Shomei',
    switchLabel: 'Language',
    other: { code: 'ja', name: '日本語' },
    heading: 'About the demo IdP',
    about:
      'This service runs in demo mode. The demo IdP is a simulated sign-in page built into the service, standing in for the university’s sign-in system (a SAML IdP). ' +
      'No password is needed: choose one of the students below and you are signed in as that student.',
    real: 'Like a real IdP it answers with a signed SAML response, but every student is fictitious. Once the university’s IdP is configured (SAML_IDP_METADATA), neither this page nor the demo IdP is used.',
    start: 'Start signing in',
    startNote: 'Signing in opens the page where you choose a student.',
    students: (n: number) => `Demo students (${n})`,
    studentId: 'Student ID',
    graduateId: (id: string) => `Graduate-school student ID ${id} (try it with <span lang="ja">学籍番号追加登録</span>, adding a student ID)`,
    more: 'More to try',
    mailbox: 'Dev mailbox',
    mailboxText: ': the mails the service sends (such as the mail address confirmation) are not delivered but arrive here.',
    console: 'Staff console',
    consoleText: (usersHtml: string) =>
      `: sign in as the demo staff users ${usersHtml}. Their passwords are printed when the service starts and written to <code>demo-staff-credentials.txt</code> in its data folder.`,
    staffUser: (name: string, role: 'administrator' | 'reviewer') => `<code>${name}</code> (${role})`,
    listSeparator: ', ',
  },
} as const;

/** /demo-idp: what the demo IdP is, its students, and a way to start signing in. */
export function demoIdpHome({ users, language, devMailbox, staffUsers }: DemoIdpHomeInput): string {
  const t = TEXT[language];
  const other = t.other;
  const switcher =
    `<nav class="lang" aria-label="${h(t.switchLabel)}">` +
    `<a href="/demo-idp?lang=${other.code}" hreflang="${other.code}" lang="${other.code}">${h(other.name)}</a></nav>`;
  const student = (u: DemoUser) => {
    const name =
      language === 'ja'
        ? `<strong>${h(u.nameKanji)}</strong>（${h(u.nameKana)}） <span lang="en">${h(u.nameRoman)}</span>`
        : `<strong>${h(u.nameRoman)}</strong> (<span lang="ja">${h(u.nameKanji)}, ${h(u.nameKana)}</span>)`;
    const graduate = u.graduateStudentId ? `<span class="meta">${t.graduateId(h(u.graduateStudentId))}</span>` : '';
    return `<li class="user">${name}<span class="meta">${h(t.studentId)} ${h(u.studentId)} · ${h(u.eppn)}</span>${graduate}</li>`;
  };
  const staff = staffUsers.map((s) => t.staffUser(h(s.username), s.role)).join(t.listSeparator);
  const more = [
    devMailbox ? `<li><a href="/dev/mailbox/">${t.mailbox}</a>${t.mailboxText}</li>` : '',
    staffUsers.length ? `<li><a href="/admin/login">${t.console}</a>${t.consoleText(staff)}</li>` : '',
  ].join('');
  // The texts above are constants of this file (HTML); every value from outside is escaped.
  const body =
    `<h1>${t.heading}</h1><p>${t.about}</p><p class="note">${t.real}</p>` +
    `<p><a class="start" href="/saml/login">${t.start}</a></p><p class="note">${t.startNote}</p>` +
    `<h2>${t.students(users.length)}</h2><ul class="users">${users.map(student).join('')}</ul>` +
    (more ? `<h2>${t.more}</h2><ul class="more">${more}</ul>` : '');
  return idpPage(t.title, body, language, switcher);
}

export const DEMO_IDP_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"Noto Sans JP",sans-serif;background:#f4f1ea;color:#1f1f1f;line-height:1.6}
.banner{display:flex;flex-direction:column;gap:.25rem;padding:1rem 1.5rem;background:#b3261e;color:#fff}
.banner a{color:#fff;font-weight:bold}
.banner a:focus-visible{outline:3px solid #fff;outline-offset:2px}
.lang{margin-top:.25rem}
main{max-width:44rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.4rem}
h2{font-size:1.15rem;margin-top:2rem}
ul{list-style:none;padding:0;display:grid;gap:.75rem}
li form{margin:0}
button{width:100%;min-height:44px;padding:.75rem 1rem;font:inherit;text-align:left;border:2px solid #6b4f1d;border-radius:.5rem;background:#fff;cursor:pointer}
button:hover,button:focus-visible{background:#fff6df;outline:3px solid #6b4f1d;outline-offset:2px}
.user{padding:.75rem 1rem;border:1px solid #c9bfa9;border-radius:.5rem;background:#fff}
.meta{display:block;color:#555;font-size:.9rem}
.note{color:#555;font-size:.9rem}
a{color:#0b57a4}
.start{display:inline-block;min-height:44px;padding:.75rem 1.5rem;border-radius:.5rem;background:#6b4f1d;color:#fff;font-weight:bold;text-decoration:none}
.start:hover{background:#54391a}
.start:focus-visible{outline:3px solid #6b4f1d;outline-offset:2px}
.more li{padding-left:0}
code{font-family:ui-monospace,"Noto Sans Mono",monospace,monospace;font-size:.95em}
`;

export const AUTOPOST_JS = `document.addEventListener('DOMContentLoaded', function () {
  var form = document.querySelector('form[data-autopost]');
  if (form) form.submit();
});
`;
