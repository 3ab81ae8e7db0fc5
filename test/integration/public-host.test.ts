import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { startService, type RunningService } from '../support/service.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to 127.0.0.1:port with exactly these headers (Host included), as a browser or proxy would send it. */
function send(port: number, target: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: target, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What Chromium sends when the address bar opens a page. */
const NAVIGATION = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'sec-fetch-site': 'none',
};

describe('a browser on another host than PUBLIC_URL (http://127.0.0.1 while PUBLIC_URL is http://localhost)', () => {
  let svc: RunningService;
  let port: number;
  let other: string;
  beforeAll(async () => {
    port = await freePort();
    // `npm start`'s default: PUBLIC_URL is http://localhost:PORT, the service listens on 127.0.0.1.
    svc = await startService({ PORT: String(port), PUBLIC_URL: `http://localhost:${port}` });
    other = `127.0.0.1:${port}`;
  });
  afterAll(() => svc?.stop());

  it('is sent to the same path and query at PUBLIC_URL when it opens a page, without a session being made', async () => {
    for (const method of ['GET', 'HEAD']) {
      const r = await send(port, '/demo-idp?lang=en', { host: other, ...NAVIGATION }, method);
      expect(r.status).toBe(307);
      expect(r.headers.location).toBe(`http://localhost:${port}/demo-idp?lang=en`);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    // A client without Fetch Metadata that asks for HTML is a page load too.
    const old = await send(port, '/login', { host: other, accept: 'text/html' });
    expect(old.status).toBe(307);
    expect(old.headers.location).toBe(`http://localhost:${port}/login`);
  });

  it('is never sent anywhere but PUBLIC_URL’s origin, whatever the request line or Host says', async () => {
    const cases: Array<[string, string, string]> = [
      ['//evil.example/phish', other, '/phish'],
      ['http://evil.example/phish?next=x', other, '/phish?next=x'],
      ['/admin/login', `evil.example:${port}`, '/admin/login'],
    ];
    for (const [target, host, path] of cases) {
      const r = await send(port, target, { host, ...NAVIGATION });
      expect(r.status).toBe(307);
      expect(r.headers.location).toBe(`http://localhost:${port}${path}`);
    }
  });

  it('gets a JSON error naming PUBLIC_URL for an API call, in the chosen language', async () => {
    const ja = await send(port, '/api/session', { host: other, accept: 'application/json', 'sec-fetch-mode': 'cors' });
    expect(ja.status).toBe(421);
    expect(JSON.parse(ja.body)).toEqual({
      error: {
        code: 'host.mismatch',
        message: `このアドレスではサービスを利用できません。http://localhost:${port} から開いてください。`,
        params: { url: `http://localhost:${port}` },
      },
    });
    const en = await send(
      port,
      '/api/language',
      {
        host: other,
        origin: `http://${other}`,
        'content-type': 'application/json',
        cookie: 'shomei_lang=en',
        'sec-fetch-mode': 'cors',
      },
      'PUT',
      '{"language":"ja"}',
    );
    expect(en.status).toBe(421);
    expect(JSON.parse(en.body).error.message).toBe(`The service cannot be used at this address. Please open it at http://localhost:${port}.`);
  });

  it('is answered, not redirected, for health checks, SAML posts, sub-resources and frames', async () => {
    expect((await send(port, '/healthz', { host: other, ...NAVIGATION })).status).toBe(200);
    const acs = await send(
      port,
      '/saml/acs',
      { host: other, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      'POST',
      'SAMLResponse=x',
    );
    // The SAML route itself answers (a broken response: back to the login screen with the error).
    expect(acs.status).toBe(303);
    expect(acs.headers.location).toMatch(/^\/login\?error=saml\./);
    const css = await send(port, '/demo-idp/demo-idp.css', {
      host: other,
      accept: 'text/css,*/*;q=0.1',
      'sec-fetch-mode': 'no-cors',
      'sec-fetch-dest': 'style',
    });
    expect(css.status).toBe(200);
    const frame = await send(port, '/demo-idp', { host: other, ...NAVIGATION, 'sec-fetch-dest': 'iframe' });
    expect(frame.status).toBe(200);
  });

  it('changes nothing on PUBLIC_URL’s own host (in any letter case) or on another port of it', async () => {
    for (const host of [`localhost:${port}`, `LocalHost:${port}`]) {
      const r = await send(port, '/demo-idp', { host, ...NAVIGATION });
      expect(r.status).toBe(200);
      expect(r.body).toContain('デモ用 IdP');
    }
    // Another port is a port mapping or a proxy we cannot see through: left alone.
    expect((await send(port, '/demo-idp', { host: '127.0.0.1:8080', ...NAVIGATION })).status).toBe(200);
  });

  it('leaves a request alone when an untrusted proxy may have rewritten its Host (no TRUST_PROXY)', async () => {
    const r = await send(port, '/demo-idp', { host: other, 'x-forwarded-for': '192.0.2.7', 'x-forwarded-host': 'evil.example', ...NAVIGATION });
    expect(r.status).toBe(200);
  });
});

describe('behind a reverse proxy (PUBLIC_URL https://shomei.example.ac.jp, TRUST_PROXY=loopback)', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ PUBLIC_URL: 'https://shomei.example.ac.jp', TRUST_PROXY: 'loopback' });
  });
  afterAll(() => svc?.stop());

  it('sends a page to PUBLIC_URL when the trusted proxy says the browser used another host', async () => {
    const r = await send(svc.port, '/login?x=1', {
      host: `127.0.0.1:${svc.port}`,
      'x-forwarded-for': '192.0.2.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'cert.example.ac.jp',
      ...NAVIGATION,
    });
    expect(r.status).toBe(307);
    expect(r.headers.location).toBe('https://shomei.example.ac.jp/login?x=1');
  });

  it('serves the page when the proxy says the browser used PUBLIC_URL’s host', async () => {
    const r = await send(svc.port, '/demo-idp', {
      host: `127.0.0.1:${svc.port}`,
      'x-forwarded-for': '192.0.2.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'shomei.example.ac.jp',
      ...NAVIGATION,
    });
    expect(r.status).toBe(200);
  });

  it('never loops: a proxy that rewrites Host without X-Forwarded-Host, or TLS in front of plain http, is left alone', async () => {
    const rewritten = await send(svc.port, '/demo-idp', {
      host: 'shomei-upstream',
      'x-forwarded-for': '192.0.2.7',
      'x-forwarded-proto': 'https',
      ...NAVIGATION,
    });
    expect(rewritten.status).toBe(200);
    // A bare proxy that adds no header at all: the request is plain http, PUBLIC_URL is https.
    const bare = await send(svc.port, '/demo-idp', { host: 'shomei-upstream', ...NAVIGATION });
    expect(bare.status).toBe(200);
    const api = await send(svc.port, '/api/session', { host: 'shomei-upstream', 'sec-fetch-mode': 'cors' });
    expect(api.status).toBe(200);
  });
});
