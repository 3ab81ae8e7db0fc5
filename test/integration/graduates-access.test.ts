import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

/** A browser as the SPA is one: a cookie jar, the CSRF token from GET /api/session, JSON both ways. */
class ApiClient {
  private readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(private readonly base: string) {}

  async start(): Promise<this> {
    const res = await this.request('GET', '/api/session');
    this.csrf = (res.body as { csrfToken: string }).csrfToken;
    return this;
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; setCookie: string[] }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, setCookie };
  }

  post(path: string, body: unknown) {
    return this.request('POST', path, body);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

const linkIn = (text: string, page: 'register' | 'reset'): string => {
  const m = new RegExp(`/graduates/${page}#token=([A-Za-z0-9_-]{43})`).exec(text);
  if (!m?.[1]) throw new Error(`no ${page} link in:\n${text}`);
  return m[1];
};

// 高橋 美咲 graduated from the demo university (resources/demo/registry-students.csv).
const FORM = {
  nameKanji: '高橋　美咲',
  nameKana: 'タカハシ ミサキ',
  nameRoman: 'Misaki Takahashi',
  universityCode: 'DEMO',
  facultyCode: 'ENG',
  departmentCode: 'INF',
  studentId: '2101004',
  graduationYearMonth: '2024-03',
  leaveType: 'graduated',
};
const MAIL = 'misaki.takahashi@example.jp';
const PASSWORD = 'sakura-2024-spring';
const SECOND = 'blue-ocean-77';

describe('graduate access over HTTP, with mail over SMTP', () => {
  let smtp: TestSmtpServer;
  let svc: RunningService;
  const clock = new TestClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpServer();
    svc = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@shomei.test' }, { clock });
  });
  afterAll(async () => {
    await svc?.stop();
    await smtp?.stop();
  });

  const login = (client: ApiClient, password: string, secondPassword: string, mail = MAIL) =>
    client.post('/api/graduates/login', { mail, password, secondPassword });

  it('registers by mail, waits for approval, then signs in with mail, password and second password', async () => {
    const browser = await new ApiClient(svc.url).start();
    await browser.request('PUT', '/api/language', { language: 'ja' });
    const since = Date.now();
    const applied = await browser.post('/api/graduates/apply', { mail: MAIL, mailConfirm: MAIL });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ sentTo: MAIL });
    const linkMail = await smtp.waitForMail(MAIL, { since });
    expect(linkMail.subject).toBe('【証明書発行サービス】利用申請(新規登録)のご案内');
    const token = linkIn(linkMail.text ?? '', 'register');

    // The mailed link may be opened on another device: no session needed but the anonymous one.
    const phone = await new ApiClient(svc.url).start();
    expect((await phone.post('/api/graduates/register/check', { token })).body).toMatchObject({ mail: MAIL });
    const mistake = await phone.post('/api/graduates/register', {
      token,
      form: { ...FORM, nameKana: 'たかはし みさき' },
      password: 'short1',
      passwordConfirm: 'short1',
      secondPassword: SECOND,
      secondPasswordConfirm: SECOND,
    });
    expect(mistake.status).toBe(400);
    expect(mistake.body).toMatchObject({
      error: { code: 'validation.failed', fields: { 'form.nameKana': 'kana.invalid', password: 'password.tooShort' } },
    });
    const registered = await phone.post('/api/graduates/register', {
      token,
      form: FORM,
      password: PASSWORD,
      passwordConfirm: PASSWORD,
      secondPassword: SECOND,
      secondPasswordConfirm: SECOND,
    });
    expect(registered.status).toBe(201);
    const application = (registered.body as { application: { id: string; status: string; kind: string } }).application;
    expect(application).toMatchObject({ status: 'pending', kind: 'graduate' });

    // Pending: the right secrets get "being reviewed"; no session is made.
    const pending = await login(browser, PASSWORD, SECOND);
    expect(pending.status).toBe(403);
    expect(pending.body).toMatchObject({ error: { code: 'graduate.notApproved' } });
    expect((await browser.request('GET', '/api/me')).status).toBe(401);

    const resultSince = Date.now();
    await svc.deps.applications.decide(application.id, { action: 'approve', reason: null }, { id: 'staff-1', name: 'Reviewer' });
    const result = await smtp.waitForMail(MAIL, { since: resultSince });
    expect(result.subject).toContain('利用申請結果のお知らせ');

    const signedIn = await login(browser, PASSWORD, SECOND);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({ redirect: '/home' });
    expect(signedIn.setCookie.some((c) => c.startsWith('shomei_lang=ja'))).toBe(true);
    const me = await browser.request('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ mail: MAIL, studentIds: ['2101004'], language: 'ja' });

    const audit = await svc.deps.audit.list({ actorId: (await svc.stores.store.accounts.findByIdentity('urn:shomei:graduate', MAIL))!.id });
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['graduate.registered', 'graduate.signedIn']));
  });

  it('answers a wrong password, a wrong second password and an unknown address identically', async () => {
    const client = await new ApiClient(svc.url).start();
    const answers = [];
    for (const [password, second, mail] of [
      ['wrong-password-1', SECOND, MAIL],
      [PASSWORD, 'wrong-second-1', MAIL],
      [PASSWORD, SECOND, 'nobody@example.jp'],
    ] as const) {
      const r = await login(client, password, second, mail);
      answers.push({ status: r.status, body: r.body, cookies: r.setCookie.length });
      clock.advance(600);
    }
    expect(answers[0]).toEqual({ status: 401, body: { error: { code: 'graduate.loginFailed', message: expect.any(String), params: {} } }, cookies: 0 });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('locks the address after 10 failures with a clear message, and a reset by mail unlocks it', async () => {
    clock.advance(2 * 3600); // earlier tests' failures are forgotten
    const client = await new ApiClient(svc.url).start();
    await client.request('PUT', '/api/language', { language: 'en' });
    let last = await login(client, 'wrong-password-0', SECOND);
    for (let i = 1; i < 10; i++) {
      clock.advance(300);
      last = await login(client, `wrong-password-${i}`, SECOND);
    }
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ error: { code: 'graduate.locked', params: { minutes: 30 } } });
    expect((last.body as { error: { message: string } }).error.message).toContain('paused for 30 minutes');
    clock.advance(1);
    expect((await login(client, PASSWORD, SECOND)).body).toMatchObject({ error: { code: 'graduate.locked' } });

    const since = Date.now();
    const forgot = await client.post('/api/graduates/forgot', { mail: MAIL });
    expect(forgot.status).toBe(200);
    const resetMail = await smtp.waitForMail(MAIL, { since });
    const token = linkIn(resetMail.text ?? '', 'reset');
    const fresh = 'summer-2026-breeze';
    const reset = await client.post('/api/graduates/reset', {
      token,
      password: fresh,
      passwordConfirm: fresh,
      secondPassword: '',
      secondPasswordConfirm: '',
    });
    expect(reset.status).toBe(200);
    // The account's language is Japanese (it registered in Japanese): the notice is too.
    await expect
      .poll(async () => (await smtp.messages()).filter((m) => m.receivedAt.getTime() >= since).map((m) => m.mail.subject))
      .toContain('【証明書発行サービス】パスワードが変更されました');

    const signedIn = await login(client, fresh, SECOND);
    expect(signedIn.status).toBe(200);
    expect((await client.request('GET', '/api/me')).body).toMatchObject({ studentIds: ['2101004'] });
  });

  it('answers apply and forgot the same for a registered and an unknown address', async () => {
    clock.advance(3600); // past the mail rate limits of the earlier tests
    const client = await new ApiClient(svc.url).start();
    const known = await client.post('/api/graduates/forgot', { mail: MAIL });
    const unknown = await client.post('/api/graduates/forgot', { mail: 'stranger@example.jp' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(Object.keys(known.body as object)).toEqual(Object.keys(unknown.body as object));
    const appliedKnown = await client.post('/api/graduates/apply', { mail: MAIL, mailConfirm: MAIL });
    const appliedUnknown = await client.post('/api/graduates/apply', { mail: 'stranger@example.jp', mailConfirm: 'stranger@example.jp' });
    expect(appliedKnown.body).toMatchObject({ sentTo: MAIL });
    expect(appliedKnown.status).toBe(200);
    expect(appliedUnknown.status).toBe(200);
  });

  it('refuses bad input with translated field errors, never a 500', async () => {
    const client = await new ApiClient(svc.url).start();
    const bad = await client.post('/api/graduates/login', { mail: '', password: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'validation.failed', fields: { mail: 'required', secondPassword: 'required' } } });
    const badToken = await client.post('/api/graduates/register/check', { token: 'nope' });
    expect(badToken.status).toBe(400);
    const unknownToken = await client.post('/api/graduates/reset/check', { token: 'A'.repeat(43) });
    expect(unknownToken.body).toMatchObject({ error: { code: 'token.unknown' } });
  });
});
