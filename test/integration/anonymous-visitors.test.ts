import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS_FILE, type DemoUser } from '../../service/demo/demo-idp.js';
import { HttpBrowser, parseForms } from '../support/http-browser.js';
import { startService, type RunningService } from '../support/service.js';
import { recordCounts } from '../support/record-counts.js';

/**
 * Cookieless requests in the flood, each from its own client. Every /saml/login signs an
 * AuthnRequest (RSA), so 2,000 keep this file near 10 s; ANONYMOUS_FLOOD=20000 runs the full
 * count. What they cost in time is measured by `npm run bench anonymous`.
 */
const FLOOD = Number(process.env.ANONYMOUS_FLOOD ?? 2_000);
const demoUsers = JSON.parse(readFileSync(DEMO_USERS_FILE, 'utf8')) as DemoUser[];

/** Every file under `dir` with its size. */
function files(dir: string, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, files(p, `${prefix}${entry.name}/`));
    else out[`${prefix}${entry.name}`] = statSync(p).size;
  }
  return out;
}

const storedSessions = async (svc: RunningService): Promise<number> => (await recordCounts(svc)).sessions;

/** The n-th client behind the (trusted) proxy. */
const client = (n: number) => ({ 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` });

/** A demo student signs in completely: /saml/login, the demo IdP, the ACS and the hand-off. */
async function studentLogin(svc: RunningService): Promise<void> {
  const browser = new HttpBrowser();
  const idpPage = await browser.get(`${svc.url}/saml/login?returnTo=/home`);
  const autopost = await browser.submit(
    idpPage,
    {},
    parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === '0'),
  );
  const done = await browser.submit(autopost, {}, 0, { stopAt: (u) => ['/mail/register', '/home', '/login'].includes(new URL(u).pathname) });
  expect(new URL(done.trail.at(-1)!).pathname).not.toBe('/login');
}

/** `count` cookieless requests for `path`, `parallel` at a time, the i-th from `headers(i)`; the statuses seen. */
async function flood(svc: RunningService, pathname: string, count: number, headers: (i: number) => Record<string, string>, parallel = 16) {
  const statuses: Record<number, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        const res = await fetch(`${svc.url}${pathname}`, { redirect: 'manual', headers: { accept: 'application/json', ...headers(i) } });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  return statuses;
}

describe('anonymous visitors', () => {
  let svc: RunningService;
  beforeAll(async () => {
    // Behind a proxy on the same machine: X-Forwarded-For names the client.
    svc = await startService({ TRUST_PROXY: 'loopback' });
    expect(demoUsers.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it(`leave nothing behind: after ${FLOOD} cookieless /saml/login and /api/session the data directory is as it was`, async () => {
    // One student signed in, so that every collection file exists before the flood.
    await studentLogin(svc);
    const before = files(svc.dataDir);
    const sessionsBefore = await storedSessions(svc);
    const recordsBefore = await recordCounts(svc);

    expect(await flood(svc, '/saml/login', FLOOD, client)).toEqual({ 302: FLOOD });
    expect(await flood(svc, '/api/session', FLOOD, client)).toEqual({ 200: FLOOD });

    // Nothing was stored for visitors who only looked: same files, same sizes, same sessions.
    expect(files(svc.dataDir)).toEqual(before);
    expect(await recordCounts(svc)).toEqual(recordsBefore);

    // A new visitor still gets a session with a CSRF token, and a student still signs in (stored).
    const visitor = await fetch(`${svc.url}/api/session`, { headers: { accept: 'application/json' } });
    expect(visitor.status).toBe(200);
    expect((await visitor.json()) as object).toMatchObject({ signedIn: false, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    await studentLogin(svc);
    expect(await storedSessions(svc)).toBe(sessionsBefore + 1);
  }, 120_000);

  it('limit the logins one client starts, with a translated page and the wait, and nothing stored', async () => {
    const before = files(svc.dataDir);
    const recordsBefore = await recordCounts(svc);
    const one = { 'x-forwarded-for': '192.0.2.7' };
    const limit = svc.deps.config.saml.loginsPerMinute;
    expect(limit).toBe(30);
    expect(await flood(svc, '/saml/login', limit + 200, () => one)).toEqual({ 302: limit, 429: 200 });

    const page = await fetch(`${svc.url}/saml/login`, { redirect: 'manual', headers: { ...one, accept: 'text/html', 'sec-fetch-mode': 'navigate' } });
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(page.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await page.text()).toMatch(/この端末からのログインが短い時間に続いています。\d+秒後にもう一度ログインしてください。/);
    const english = await fetch(`${svc.url}/saml/login`, {
      redirect: 'manual',
      headers: { ...one, accept: 'text/html', 'sec-fetch-mode': 'navigate', cookie: 'shomei_lang=en' },
    });
    expect(english.status).toBe(429);
    expect(await english.text()).toMatch(/Too many logins were started from this device in a short time\. Please log in again in \d+ seconds\./);

    // Other clients are not held back, and the refused requests stored nothing.
    expect((await fetch(`${svc.url}/saml/login`, { redirect: 'manual', headers: { 'x-forwarded-for': '192.0.2.8' } })).status).toBe(302);
    expect(files(svc.dataDir)).toEqual(before);
    expect(await recordCounts(svc)).toEqual(recordsBefore);
  }, 60_000);
});
