import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../support/service.js';

/** The Set-Cookie lines of a response, by cookie name. */
function setCookies(res: Response): Map<string, string> {
  return new Map(res.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf('=')), line]));
}

const attributes = (line: string) =>
  line
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase())
    .sort();

/** Where the service listens (behind a TLS proxy, PUBLIC_URL names the proxy). */
const direct = (svc: RunningService) => `http://127.0.0.1:${svc.port}`;

/** What the SPA asks first, the staff console's login form, and a login start: each sets a cookie. */
async function cookiesOf(svc: RunningService): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const pathname of ['/api/session', '/api/admin/session', '/saml/login']) {
    const res = await fetch(`${direct(svc)}${pathname}`, { redirect: 'manual', headers: { accept: 'application/json' } });
    await res.arrayBuffer();
    for (const [name, line] of setCookies(res)) all.set(name, line);
  }
  return all;
}

describe('session cookies', () => {
  let https: RunningService;
  let http: RunningService;
  beforeAll(async () => {
    // Behind a TLS proxy (PUBLIC_URL https), and plain http for development.
    [https, http] = await Promise.all([startService({ PUBLIC_URL: 'https://certificates.example.ac.jp' }), startService()]);
  });
  afterAll(async () => {
    await Promise.all([https?.stop(), http?.stop()]);
  });

  it('carry the __Host- prefix under https: Secure, Path=/, no Domain, so no subdomain can plant one', async () => {
    const cookies = await cookiesOf(https);
    expect([...cookies.keys()].sort()).toEqual(['__Host-shomei_authn', '__Host-shomei_sid', '__Host-shomei_staff']);
    expect(attributes(cookies.get('__Host-shomei_sid')!)).toEqual(['httponly', 'path=/', 'samesite=lax', 'secure']);
    expect(attributes(cookies.get('__Host-shomei_staff')!)).toEqual(['httponly', 'path=/', 'samesite=strict', 'secure']);
    expect(attributes(cookies.get('__Host-shomei_authn')!)).toEqual(['httponly', 'max-age=600', 'path=/', 'samesite=lax', 'secure']);
  });

  it('are read back under their prefixed name only: a bare-named cookie planted by a sibling host is ignored', async () => {
    const first = await fetch(`${direct(https)}/api/session`, { headers: { accept: 'application/json' } });
    const { csrfToken } = (await first.json()) as { csrfToken: string };
    const sid = /^__Host-shomei_sid=([^;]+)/.exec(first.headers.getSetCookie().join('\n'))![1]!;

    const again = await fetch(`${direct(https)}/api/session`, { headers: { accept: 'application/json', cookie: `__Host-shomei_sid=${sid}` } });
    expect(((await again.json()) as { csrfToken: string }).csrfToken).toBe(csrfToken);
    expect(setCookies(again).size).toBe(0);

    const planted = await fetch(`${direct(https)}/api/session`, { headers: { accept: 'application/json', cookie: `shomei_sid=${sid}` } });
    expect(((await planted.json()) as { csrfToken: string }).csrfToken).not.toBe(csrfToken);
    expect(setCookies(planted).has('__Host-shomei_sid')).toBe(true);
  });

  it('keep their plain names without Secure on http, so a development browser accepts them', async () => {
    const cookies = await cookiesOf(http);
    expect([...cookies.keys()].sort()).toEqual(['shomei_authn', 'shomei_sid', 'shomei_staff']);
    for (const line of cookies.values()) expect(attributes(line)).not.toContain('secure');
  });
});
