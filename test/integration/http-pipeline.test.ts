import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../support/service.js';

/** What helmet set on every response with Shomei's options (recorded from helmet itself). */
const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';frame-src 'self';frame-ancestors 'none';form-action 'self';base-uri 'none';object-src 'none'";
const COMMON: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const HTTP_HEADERS = { ...COMMON, 'content-security-policy': CSP };
const HTTPS_HEADERS = {
  ...COMMON,
  'content-security-policy': `${CSP};upgrade-insecure-requests`,
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};
const SECURITY_NAMES = [...Object.keys(HTTPS_HEADERS), 'x-powered-by'];

const securityHeadersOf = (res: Response) =>
  Object.fromEntries(SECURITY_NAMES.flatMap((name) => (res.headers.has(name) ? [[name, res.headers.get(name)]] : [])));

/** Where the service listens (behind a TLS proxy, PUBLIC_URL names the proxy). */
const direct = (svc: RunningService) => `http://127.0.0.1:${svc.port}`;

/** A new visitor's session: its cookie and CSRF token. */
async function visitor(svc: RunningService): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(`${direct(svc)}/api/session`, { headers: { accept: 'application/json' } });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, csrfToken };
}

const putLanguage = (svc: RunningService, headers: Record<string, string>, body = JSON.stringify({ language: 'en' })) =>
  fetch(`${direct(svc)}/api/language`, { method: 'PUT', headers: { accept: 'application/json', 'content-type': 'application/json', ...headers }, body });

describe('the HTTP pipeline', () => {
  let http: RunningService;
  let https: RunningService;
  const logLines: Array<{ msg?: string; level?: number; req?: { path?: string; method?: string }; res?: { statusCode?: number } }> = [];
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    [http, https] = await Promise.all([startService({}, { logger }), startService({ PUBLIC_URL: 'https://certificates.example.ac.jp' })]);
  });
  afterAll(async () => {
    await Promise.all([http?.stop(), https?.stop()]);
  });

  it('sets the same security headers on every kind of response: health probe, API, page, refusal, write', async () => {
    for (const [svc, expected] of [
      [http, HTTP_HEADERS],
      [https, HTTPS_HEADERS],
    ] as const) {
      const { cookie, csrfToken } = await visitor(svc);
      const responses = [
        await fetch(`${direct(svc)}/healthz`),
        await fetch(`${direct(svc)}/api/session`, { headers: { accept: 'application/json' } }),
        await fetch(`${direct(svc)}/login`, { headers: { accept: 'text/html' } }),
        await fetch(`${direct(svc)}/api/no-such-thing`, { headers: { accept: 'application/json' } }),
        await putLanguage(svc, { cookie }),
        await putLanguage(svc, { cookie, 'x-csrf-token': csrfToken }),
      ];
      for (const res of responses) {
        await res.arrayBuffer();
        expect(securityHeadersOf(res), res.url).toEqual(expected);
      }
    }
  });

  it('answers the health probe first, uncached', async () => {
    const res = await fetch(`${direct(http)}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('hashes no API reply for an ETag (no-store anyway), while pages keep theirs for revalidation', async () => {
    const api = await fetch(`${direct(http)}/api/session`, { headers: { accept: 'application/json' } });
    await api.arrayBuffer();
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(api.headers.get('etag')).toBeNull();
    const page = await fetch(`${direct(http)}/login`, { headers: { accept: 'text/html' } });
    await page.arrayBuffer();
    expect(page.headers.get('etag')).toMatch(/^W\/"/);
  });

  it('still refuses every state change without the session’s CSRF token or from another origin', async () => {
    const { cookie, csrfToken } = await visitor(http);
    const codeOf = async (res: Response) => [res.status, ((await res.json()) as { error?: { code: string } }).error?.code];

    expect(await codeOf(await putLanguage(http, { cookie }))).toEqual([403, 'csrf.invalid']);
    expect(await codeOf(await putLanguage(http, { cookie, 'x-csrf-token': 'x'.repeat(csrfToken.length) }))).toEqual([403, 'csrf.invalid']);
    expect(await codeOf(await putLanguage(http, { cookie, 'x-csrf-token': csrfToken, origin: 'https://evil.example' }))).toEqual([403, 'csrf.invalid']);
    const logout = await fetch(`${direct(http)}/api/logout`, { method: 'POST', headers: { accept: 'application/json', cookie } });
    expect(await codeOf(logout)).toEqual([403, 'csrf.invalid']);
    // A form post carries the token as a field; without it, refused the same way.
    const form = await fetch(`${direct(http)}/api/logout`, {
      method: 'POST',
      headers: { accept: 'application/json', cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    expect(await codeOf(form)).toEqual([403, 'csrf.invalid']);

    const accepted = await putLanguage(http, { cookie, 'x-csrf-token': csrfToken });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ language: 'en' });
  });

  it('reads bodies of writes as before: bad JSON is the user’s mistake (400), not a server error', async () => {
    const { cookie, csrfToken } = await visitor(http);
    const res = await putLanguage(http, { cookie, 'x-csrf-token': csrfToken }, '{"language":');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation.failed');
    const formToken = await fetch(`${direct(http)}/api/logout`, {
      method: 'POST',
      headers: { accept: 'application/json', cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(csrfToken)}`,
    });
    expect(formToken.status).toBe(200);
  });

  it('logs one access line per request with its path but not its query, and none for the health probe', async () => {
    const before = logLines.length;
    await (await fetch(`${direct(http)}/api/session?code=secret-one-time-code`, { headers: { accept: 'application/json' } })).arrayBuffer();
    await (await fetch(`${direct(http)}/healthz`)).arrayBuffer();
    await expect.poll(() => logLines.slice(before).filter((l) => l.msg === 'request completed').length).toBe(1);
    const lines = logLines.slice(before);
    const line = lines.find((l) => l.msg === 'request completed')!;
    expect(line).toMatchObject({ level: 30, req: { method: 'GET', path: '/api/session' }, res: { statusCode: 200 } });
    expect(JSON.stringify(lines)).not.toContain('secret-one-time-code');
    expect(JSON.stringify(lines)).not.toContain('/healthz');
  });
});
