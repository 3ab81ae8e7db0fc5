/**
 * npm run bench front — what a first visit to /login costs on the wire: the built renderer served
 * by the real service (demo mode), opened in Chromium (the e2e launch flags) with an empty cache.
 * Sums the bytes Chromium received per resource type (headers + compressed body), medians of a few
 * loads, and writes its section of bench/results.md. Needs `npm run build` first.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../test/e2e/playwright.config.js';
import { startService } from '../test/support/service.js';
import { writeSection } from './results.js';

const ROUNDS = Number(process.env.FRONT_ROUNDS ?? 3);

interface Load {
  js: number;
  css: number;
  font: number;
  other: number;
  all: number;
  requests: number;
  /** Uncompressed size of the scripts (what a parser gets). */
  jsDecoded: number;
}

/** `encodings`: what the browser says it accepts (Chromium's own list unless given). */
async function loadLogin(url: string, encodings?: string): Promise<Load> {
  const browser = await chromium.launch(chromiumLaunch);
  try {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (encodings) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': encodings } });
    const encodingsSeen = new Set<string>();
    const types = new Map<string, string>();
    const decoded = new Map<string, number>();
    const load: Load = { js: 0, css: 0, font: 0, other: 0, all: 0, requests: 0, jsDecoded: 0 };
    cdp.on('Network.responseReceived', (e) => {
      types.set(e.requestId, e.type);
      const encoding = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1];
      if (encoding) encodingsSeen.add(encoding);
    });
    cdp.on('Network.dataReceived', (e) => decoded.set(e.requestId, (decoded.get(e.requestId) ?? 0) + e.dataLength));
    cdp.on('Network.loadingFinished', (e) => {
      const type = types.get(e.requestId) ?? 'Other';
      const bytes = e.encodedDataLength;
      load.all += bytes;
      load.requests += 1;
      if (type === 'Script') {
        load.js += bytes;
        load.jsDecoded += decoded.get(e.requestId) ?? 0;
      } else if (type === 'Stylesheet') load.css += bytes;
      else if (type === 'Font') load.font += bytes;
      else load.other += bytes;
    });
    await page.goto(`${url}/login`, { waitUntil: 'networkidle' });
    await page.getByTestId('login-button').waitFor();
    await page.evaluate(() => document.fonts.ready);
    await page.waitForLoadState('networkidle');
    if (encodings && [...encodingsSeen].some((e) => !encodings.includes(e))) throw new Error(`asked for ${encodings}, got ${[...encodingsSeen].join(', ')}`);
    return load;
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;

const svc = await startService({});
try {
  // Interleaved: Chromium's own Accept-Encoding (brotli on localhost) and gzip only.
  const loads: Record<'br' | 'gzip', Load[]> = { br: [], gzip: [] };
  for (let i = 0; i < ROUNDS; i += 1) {
    loads.br.push(await loadLogin(svc.url));
    loads.gzip.push(await loadLogin(svc.url, 'gzip, deflate'));
  }
  const m = (mode: 'br' | 'gzip', key: keyof Load) => median(loads[mode].map((l) => l[key]));
  for (const mode of ['br', 'gzip'] as const) {
    console.log(
      `\n/login, first visit, ${mode === 'br' ? "Chromium's Accept-Encoding" : 'gzip only'}, ${ROUNDS} loads (medians): ${m(mode, 'requests')} requests`,
    );
    console.table(Object.fromEntries((['js', 'css', 'font', 'other', 'all', 'jsDecoded'] as const).map((k) => [k, kb(m(mode, k))])));
  }
  const met = (ok: boolean) => (ok ? 'yes' : 'no');
  const parts = (mode: 'br' | 'gzip') =>
    `CSS ${kb(m(mode, 'css'))}, fonts ${kb(m(mode, 'font'))}, other ${kb(m(mode, 'other'))}; ${m(mode, 'requests')} requests`;
  const table = [
    '| figure | today (before) | ours | goal | met? |',
    '|---|---|---|---|---|',
    `| login page JS, gzip | 201 KB gzip (655 KB sent uncompressed) | ${kb(m('gzip', 'js'))} (${kb(m('gzip', 'jsDecoded'))} uncompressed) | ≤ 150 KB | ${met(m('gzip', 'js') <= 150_000)} |`,
    `| login page JS, brotli | — | ${kb(m('br', 'js'))} | — | — |`,
    `| login page, everything on the wire, gzip | 1.27 MB uncompressed | ${kb(m('gzip', 'all'))} (${parts('gzip')}) | ≤ 400 KB | ${met(m('gzip', 'all') <= 400_000)} |`,
    `| login page, everything on the wire, brotli | — | ${kb(m('br', 'all'))} (${parts('br')}) | ≤ 400 KB | ${met(m('br', 'all') <= 400_000)} |`,
  ].join('\n');
  console.log(`\n${table}`);
  writeSection(
    'Front end: first visit to /login',
    `Chromium (${chromiumLaunch.executablePath}), empty cache, demo mode, the built renderer served by the service; bytes as received (headers included), medians of ${ROUNDS} interleaved loads with Chromium's own Accept-Encoding (brotli) and with gzip only. "Today" is the figure of the issue (measured before this work). Fonts include the slices of the full font for characters of the institution's data (name, contact), which a first page shows too.\n\n${table}`,
  );
} finally {
  await svc.stop();
}
