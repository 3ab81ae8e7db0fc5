import express, { type Request, type Response, type Router } from 'express';
import type { StoredMail } from '../../domain/model.js';

/** What /dev/mailbox reads of the dev mailbox (the adapter is handed over by the composition root). */
export interface DevMailboxReader {
  /** Newest first. */
  list(): StoredMail[];
  get(id: string): StoredMail | null;
}

/**
 * /dev/mailbox: reads the mails of the dev mailbox (demo mode without SMTP relay). Plain
 * server-rendered pages that work under the service's strict CSP: no script, no inline style,
 * the mail's HTML part in a sandboxed iframe loaded from its own route.
 */
export function devMailboxRoutes(mailbox: DevMailboxReader): Router {
  const router = express.Router();

  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.set('X-Robots-Tag', 'noindex');
    next();
  });

  router.get('/mailbox.css', (_req, res) => {
    res.type('text/css; charset=utf-8').send(CSS);
  });

  router.get('/', (req, res) => {
    const base = req.baseUrl;
    const mails = mailbox.list();
    const rows = mails
      .map(
        (m) =>
          `<tr><td><time datetime="${esc(m.sentAt)}">${esc(formatTime(m.sentAt))}</time></td>` +
          `<td>${esc(m.to)}</td><td><a href="${esc(`${base}/${encodeURIComponent(m.id)}`)}">${esc(m.subject) || '(件名なし / no subject)'}</a></td></tr>`,
      )
      .join('');
    const body = mails.length
      ? `<table><thead><tr>${th('日時', 'Time')}${th('宛先', 'To')}${th('件名', 'Subject')}</tr></thead><tbody>${rows}</tbody></table>`
      : `<p class="empty">${both('メールはまだありません。', 'No mail yet.')}</p>`;
    sendPage(res, req, 200, {
      title: '開発用メールボックス / Dev mailbox',
      body:
        `<p class="actions"><a href="${esc(base)}/">${both('再読み込み', 'Reload')}</a> ` +
        `<span class="count">${mails.length} ${both('通', mails.length === 1 ? 'mail' : 'mails')}</span></p>` +
        body,
    });
  });

  router.get('/:id/html', (req, res) => {
    const mail = mailbox.get(req.params.id);
    if (!mail) return notFound(req, res);
    // The mail's own document: its inline styles may apply, nothing may run, links open in the
    // top window (the one-time URLs), and only our own pages may frame it.
    res.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; " +
        "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation",
    );
    res.type('text/html; charset=utf-8').send(withTopTarget(mail.html));
  });

  router.get('/:id', (req, res) => {
    const mail = mailbox.get(req.params.id);
    if (!mail) return notFound(req, res);
    sendPage(res, req, 200, { title: `${mail.subject} — 開発用メールボックス / Dev mailbox`, body: mailView(req.baseUrl, mail) });
  });

  return router;
}

function mailView(base: string, mail: StoredMail): string {
  const field = (ja: string, en: string, value: string) => `<dt>${both(ja, en)}</dt><dd>${value}</dd>`;
  return (
    `<p class="actions"><a href="${esc(base)}/">← ${both('一覧へ戻る', 'Back to the list')}</a></p>` +
    `<h2>${esc(mail.subject)}</h2>` +
    `<dl class="headers">` +
    field('差出人', 'From', esc(mail.from)) +
    field('宛先', 'To', esc(mail.to)) +
    field('日時', 'Time', `<time datetime="${esc(mail.sentAt)}">${esc(formatTime(mail.sentAt))}</time>`) +
    `</dl>` +
    `<section><h3>${both('テキストパート', 'Text part')}</h3><pre class="text">${linkify(mail.text)}</pre></section>` +
    `<section><h3>${both('HTMLパート', 'HTML part')}</h3>` +
    `<iframe class="html" src="${esc(`${base}/${encodeURIComponent(mail.id)}/html`)}" ` +
    `sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" ` +
    `referrerpolicy="no-referrer" title="HTMLパート / HTML part"></iframe></section>`
  );
}

function notFound(req: Request, res: Response): void {
  sendPage(res, req, 404, {
    title: 'メールが見つかりません / Mail not found',
    body:
      `<p>${both('このメールは見つかりません。古いメールは削除されます(最新200通まで保存)。', 'This mail does not exist. Older mails are removed (the newest 200 are kept).')}</p>` +
      `<p><a href="${esc(req.baseUrl)}/">${both('一覧へ戻る', 'Back to the list')}</a></p>`,
  });
}

function sendPage(res: Response, req: Request, status: number, page: { title: string; body: string }): void {
  const html =
    `<!doctype html><html lang="ja"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex">` +
    `<title>${esc(page.title)}</title><link rel="stylesheet" href="${esc(req.baseUrl)}/mailbox.css"></head><body>` +
    `<header><p class="badge">${both('開発用ツール', 'Development tool')}</p>` +
    `<h1><a href="${esc(req.baseUrl)}/">${both('開発用メールボックス', 'Dev mailbox')}</a></h1>` +
    `<p class="note">${both(
      'サービスが送信したメールを、実際には送らずここに保存しています(SMTP_URL 未設定時のみ)。本番環境では使用しません。',
      'Mails the service sent are kept here instead of being delivered (only while SMTP_URL is unset). Not for production.',
    )}</p></header>` +
    `<main>${page.body}</main></body></html>`;
  res.status(status).type('text/html; charset=utf-8').send(html);
}

/** Japanese and English side by side. */
const both = (ja: string, en: string) => `<span class="ja">${esc(ja)}</span> <span class="sep">/</span> <span class="en" lang="en">${esc(en)}</span>`;
const th = (ja: string, en: string) => `<th scope="col">${both(ja, en)}</th>`;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const URL_PATTERN = /https?:\/\/[^\s<>"'）」]+/g;

/** Escapes text and turns its http(s) URLs into links. */
function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0];
    out += esc(text.slice(last, match.index)) + `<a href="${esc(url)}">${esc(url)}</a>`;
    last = match.index + url.length;
  }
  return out + esc(text.slice(last));
}

/** Makes the mail's links navigate the top window instead of the tiny iframe. */
function withTopTarget(html: string): string {
  const base = '<base target="_top">';
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length);
  const root = /<html(\s[^>]*)?>/i.exec(html);
  if (root) return html.slice(0, root.index + root[0].length) + `<head>${base}</head>` + html.slice(root.index + root[0].length);
  return base + html;
}

const timeFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const formatTime = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${timeFormat.format(d)} JST`;
};

const CSS = `
:root { color-scheme: light; font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif; line-height: 1.6; }
body { margin: 0; color: #1f2328; background: #f6f8fa; }
header { background: #fff4d6; border-bottom: 3px solid #d4a72c; padding: 0.75rem 1.5rem; }
header h1 { margin: 0.25rem 0; font-size: 1.4rem; }
header h1 a { color: inherit; text-decoration: none; }
.badge { display: inline-block; margin: 0; padding: 0.1rem 0.6rem; border-radius: 1rem; background: #9a6700; color: #fff; font-size: 0.8rem; font-weight: bold; }
.note { margin: 0; font-size: 0.9rem; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.sep, .en { color: #59636e; }
.badge .sep, .badge .en, a .sep, a .en { color: inherit; }
.actions { display: flex; gap: 1rem; align-items: baseline; }
.count { color: #59636e; font-size: 0.9rem; }
.empty { padding: 2rem; text-align: center; background: #fff; border: 1px dashed #d0d7de; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { background: #eaeef2; font-size: 0.85rem; }
td:first-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
a { color: #0550ae; }
h2 { font-size: 1.2rem; }
h3 { font-size: 1rem; margin-top: 1.5rem; }
dl.headers { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; background: #fff; padding: 0.75rem 1rem; border: 1px solid #d0d7de; }
dl.headers dt { font-weight: bold; }
dl.headers dd { margin: 0; overflow-wrap: anywhere; }
td { overflow-wrap: anywhere; }
@media (max-width: 640px) {
  table, tbody, tr, td { display: block; }
  thead { display: none; }
  tr { border-bottom: 1px solid #d0d7de; padding: 0.4rem 0; }
  td { border: 0; padding: 0.15rem 0.6rem; }
}
pre.text { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; border: 1px solid #d0d7de; padding: 0.75rem 1rem; font-family: inherit; }
iframe.html { width: 100%; height: 28rem; border: 1px solid #d0d7de; background: #fff; }
`;
