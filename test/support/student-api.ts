/** A student of the demo IdP using the JSON API over HTTP, as the SPA does. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { DEMO_USERS_FILE, type DemoUser } from '../../service/demo/demo-idp.js';
import { LANG_COOKIE, SESSION_COOKIE } from '../../service/http/middleware/session.js';
import { HttpBrowser, parseForms } from './http-browser.js';
import type { RunningService } from './service.js';
import type { TestSmtpServer } from './smtp-server.js';

const demoUsers = JSON.parse(readFileSync(DEMO_USERS_FILE, 'utf8')) as DemoUser[];
export const user = (eppnPrefix: string) => demoUsers.find((u) => u.eppn.startsWith(eppnPrefix))!;

export interface Json {
  status: number;
  // Answers are checked field by field below.
  body: any;
}

/** A student's browser: the demo IdP sign-in, then JSON calls with the session cookie and CSRF token. */
export class Student {
  readonly browser = new HttpBrowser();
  private csrf = '';
  constructor(private readonly svc: RunningService) {}

  /** Reads the session's CSRF token (again: after a sign-in, or when the session has changed). */
  async session(): Promise<void> {
    const r = await this.api('GET', '/api/session');
    this.csrf = r.body.csrfToken;
  }

  async signIn(demo: DemoUser): Promise<void> {
    const idpPage = await this.browser.get(`${this.svc.url}/saml/login?returnTo=/home`);
    const index = parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === String(demoUsers.indexOf(demo)));
    const autopost = await this.browser.submit(idpPage, {}, index);
    const done = await this.browser.submit(autopost, {}, 0, { stopAt: (u) => ['/mail/register', '/home', '/login'].includes(new URL(u).pathname) });
    expect(new URL(done.trail.at(-1)!).pathname).not.toBe('/login');
    await this.session();
  }

  async api(method: string, path: string, body?: unknown): Promise<Json> {
    const cookies = [SESSION_COOKIE, LANG_COOKIE]
      .map((name) => [name, this.browser.cookie(this.svc.url, name)] as const)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const res = await fetch(`${this.svc.url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': this.csrf,
        origin: this.svc.url,
        ...(cookies ? { cookie: cookies } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const sc of res.headers.getSetCookie()) {
      const [pair] = sc.split(';');
      const eq = pair!.indexOf('=');
      this.browser.setCookie(this.svc.url, pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** First login: registers the mail address through the mailed link. */
  async registerMail(smtp: TestSmtpServer, mail: string): Promise<void> {
    const since = Date.now();
    expect((await this.api('POST', '/api/mail/registration', { mail, mailConfirm: mail })).status).toBe(200);
    const message = await smtp.waitForMail(mail, { since });
    const token = /\/mail\/confirm#token=([A-Za-z0-9_-]+)/.exec(message.text ?? '')![1];
    expect((await this.api('POST', '/api/mail/confirm', { token })).status).toBe(200);
  }
}
