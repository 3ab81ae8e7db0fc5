import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configErrorPage, dataUrl, escapeHtml, loadingPage, PAGE_CSP, serviceErrorPage } from '../../main/pages.js';

const styleOf = (html: string) => /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;

describe('shell pages', () => {
  it('the configuration error page lists each file, field and problem in Japanese and English', () => {
    const html = configErrorPage([
      {
        file: '/etc/shomei/kiosk.json',
        field: 'idleTimeoutSeconds',
        ja: '30〜3600 の整数（秒） である必要があります',
        en: 'must be an integer from 30 to 3600 (seconds)',
      },
      { file: '/etc/shomei/kiosk.json', field: 'serverURL', ja: '不明な項目です', en: 'unknown field' },
    ]);
    expect(html).toContain('/etc/shomei/kiosk.json');
    expect(html).toContain('idleTimeoutSeconds');
    expect(html).toContain('30〜3600');
    expect(html).toContain('must be an integer from 30 to 3600');
    expect(html).toContain('serverURL');
    expect(html).toContain('unknown field');
    expect(html).toContain('設定に誤り');
    expect(html).toContain('configuration is invalid');
  });

  it('the configuration error page escapes what the file contained', () => {
    const html = configErrorPage([{ file: 'C:\\ProgramData\\Shomei\\kiosk.json', field: '<img src=x onerror=alert(1)>', ja: 'x', en: '"quoted" & <b>' }]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;b&gt;');
  });

  it('the pages carry a CSP that allows only their own stylesheet and have no script', () => {
    for (const html of [
      loadingPage(),
      configErrorPage([]),
      serviceErrorPage({ kind: 'embedded', detail: 'embedded.exited (exit 1)', retryUrl: null, retrySeconds: 10 }),
    ]) {
      expect(html).not.toMatch(/<script|\son\w+=|https?:\/\//i);
      expect(html).toContain(escapeHtml(PAGE_CSP));
      const hash = createHash('sha256').update(styleOf(html)).digest('base64');
      expect(PAGE_CSP).toContain(`'sha256-${hash}'`);
      expect(PAGE_CSP).toMatch(/^default-src 'none'/);
    }
  });

  it('the loading page is branded and bilingual', () => {
    const html = loadingPage();
    expect(html).toContain('Shomei');
    expect(html).toContain('準備しています');
    expect(html).toContain('Starting');
  });

  it('the service error page offers a retry link to the login screen and says when it retries', () => {
    const html = serviceErrorPage({
      kind: 'unreachable',
      detail: 'ERR_CONNECTION_REFUSED (-102)',
      retryUrl: 'https://shomei.example.ac.jp/login',
      retrySeconds: 10,
    });
    expect(html).toContain('href="https://shomei.example.ac.jp/login"');
    expect(html).toContain('10 秒後');
    expect(html).toContain('in 10 seconds');
    expect(html).toContain('ERR_CONNECTION_REFUSED');
  });

  it('a page becomes a data: URL that decodes back to it', () => {
    const html = loadingPage();
    const url = dataUrl(html);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice('data:text/html;charset=utf-8,'.length))).toBe(html);
  });
});
