/**
 * The shell's own full-screen pages: the loading screen while the embedded service starts, the
 * configuration error page for IT staff, and the "service unreachable" page with a retry.
 * Each is a self-contained data: URL (no remote content, no script) in Japanese and English,
 * under a strict CSP that allows only its own stylesheet (by hash).
 */
import { createHash } from 'node:crypto';
import type { ConfigProblem } from './kiosk-config.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
html,body{margin:0;height:100%;font-family:"Noto Sans JP","Yu Gothic UI","Hiragino Sans",sans-serif;background:#f5f7fa;color:#1a2433}
main{box-sizing:border-box;min-height:100%;padding:6vh 8vw;display:flex;flex-direction:column;gap:2rem}
.brand{font-size:1.4rem;font-weight:700;color:#1f4e8c;letter-spacing:.05em}
h1{font-size:2.4rem;margin:0}
h1 span{display:block;font-size:1.6rem;font-weight:500;color:#44546a}
p{font-size:1.4rem;line-height:1.7;margin:0}
.problems{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:1rem}
.problems li{background:#fff;border-left:.5rem solid #b3261e;padding:1rem 1.5rem;font-size:1.2rem;line-height:1.6}
code{font-family:ui-monospace,Consolas,monospace;background:#eef1f5;padding:.1rem .4rem;word-break:break-all}
.retry{align-self:flex-start;font-size:1.6rem;padding:1rem 2.5rem;background:#1f4e8c;color:#fff;text-decoration:none;border-radius:.5rem}
.center{justify-content:center;align-items:center;text-align:center}
.spinner{width:4rem;height:4rem;border:.5rem solid #c9d5e6;border-top-color:#1f4e8c;border-radius:50%;animation:spin 1s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
/** The CSP of every shell page: nothing but the inline stylesheet above. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

function page(title: string, body: string, mainClass = ''): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><main${mainClass ? ` class="${mainClass}"` : ''}>
<div class="brand">Shomei 証明書発行 / Certificates</div>
${body}
</main></body></html>`;
}

/** A page as a data: URL for `webContents.loadURL`. */
export function dataUrl(html: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/** While the embedded service starts. */
export function loadingPage(): string {
  return page(
    'Shomei',
    `<div class="spinner" role="progressbar" aria-label="読み込み中 / Loading"></div>
<h1>準備しています…<span lang="en">Starting, please wait…</span></h1>`,
    'center',
  );
}

/** For IT staff: which file and field is wrong, in both languages. No stack trace. */
export function configErrorPage(problems: readonly ConfigProblem[]): string {
  const files = [...new Set(problems.map((p) => p.file))];
  const items = problems
    .map(
      (p) => `<li><code>${escapeHtml(p.file)}</code>${p.field ? ` — <code>${escapeHtml(p.field)}</code>` : ''}<br>
${escapeHtml(p.ja)}<br><span lang="en">${escapeHtml(p.en)}</span></li>`,
    )
    .join('\n');
  return page(
    'Shomei — 設定エラー / Configuration error',
    `<h1>この端末は設定に誤りがあるため使えません<span lang="en">This terminal cannot start: its configuration is invalid</span></h1>
<p>係員（IT 担当者）へ: 次の設定ファイルを修正し、Shomei を再起動してください。<br>
<span lang="en">For IT staff: correct the configuration file below and restart Shomei.</span></p>
<p>${files.map((f) => `<code>${escapeHtml(f)}</code>`).join('<br>')}</p>
<ul class="problems">
${items}
</ul>`,
  );
}

export interface ServiceErrorInfo {
  /** 'embedded': the bundled service did not start or stopped; 'unreachable': the server could not be loaded. */
  kind: 'embedded' | 'unreachable';
  /** Short technical detail for IT staff (an error code, never a stack trace). */
  detail: string;
  /** The link target of the retry button (the login screen), or null when there is nothing to link to yet. */
  retryUrl: string | null;
  /** The shell retries by itself after this many seconds. */
  retrySeconds: number;
}

/** The service cannot be reached or started: what the visitor sees, with a retry. */
export function serviceErrorPage(info: ServiceErrorInfo): string {
  const heading =
    info.kind === 'embedded'
      ? '証明書発行サービスを起動できませんでした<span lang="en">The certificate service could not be started</span>'
      : '証明書発行サービスに接続できません<span lang="en">The certificate service cannot be reached</span>';
  const retry = info.retryUrl ? `<a class="retry" href="${escapeHtml(info.retryUrl)}">再試行 / Retry</a>` : '';
  return page(
    'Shomei — エラー / Error',
    `<h1>${heading}</h1>
<p>${info.retrySeconds} 秒後に自動で再試行します。続く場合は係員にお知らせください。<br>
<span lang="en">Retrying automatically in ${info.retrySeconds} seconds. If this continues, please tell a staff member.</span></p>
<p><code>${escapeHtml(info.detail)}</code></p>
${retry}`,
  );
}
