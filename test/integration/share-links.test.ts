/**
 * Share links through the HTTP API: the holder makes, lists and revokes links of his own
 * certificates; anyone with a link (and its PIN) sees the status and takes the signed PDF, until the
 * link is revoked, expires, or the certificate is revoked. Real demo IdP sign-in, real SMTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShareLinkAccessesResponse, ShareLinkCreatedResponse, ShareLinkListResponse } from '../../service/contract/share-links.js';
import type { OrderView } from '../../service/contract/certificates.js';
import { TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { Student, user } from '../support/student-api.js';

const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/**
 * A recipient's browser: no account, its own session and CSRF token, as the SPA's /shared page
 * calls. Each request a second after the one before on `clock` (the log is ordered by time).
 */
async function recipient(base: string, clock: TestClock, userAgent = ANDROID_CHROME, language: 'ja' | 'en' = 'ja') {
  const first = await fetch(`${base}/api/session`, { headers: { accept: 'application/json', cookie: `shomei_lang=${language}`, 'user-agent': userAgent } });
  const cookies = first.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  return async (what: 'view' | 'document', body: { token: string; pin?: string }) => {
    clock.advance(1);
    return fetch(`${base}/api/shared/${what}`, {
      method: 'POST',
      headers: {
        accept: what === 'view' ? 'application/json' : 'application/pdf, application/json',
        'content-type': 'application/json',
        'x-csrf-token': csrfToken,
        'user-agent': userAgent,
        cookie: [`shomei_lang=${language}`, ...cookies].join('; '),
      },
      body: JSON.stringify(body),
    });
  };
}

const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, '');
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; params: Record<string, unknown> } }).error;

describe('share links of a holder’s certificates', () => {
  let smtp: TestSmtpServer;
  let svc: RunningService;
  let taro: Student;
  let hanako: Student;
  /** Taro's two certificates: one shared throughout, one staff revoke later. */
  let kept: string;
  let toRevoke: string;
  // The real time: the demo IdP's assertions are checked against it.
  const clock = new TestClock(new Date());

  const create = (certificate: string, body: { days: number; pin?: string; label?: string }) =>
    taro.api('POST', '/api/certificates/share-links', { certificate, ...body }) as Promise<{ status: number; body: ShareLinkCreatedResponse }>;
  const list = async (certificate: string) => (await taro.api('GET', `/api/certificates/share-links?certificate=${certificate}`)).body as ShareLinkListResponse;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    svc = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@cert.example.ac.jp' }, { clock });
    taro = new Student(svc);
    await taro.signIn(user('s2101001'));
    await taro.registerMail(smtp, 'taro@example.jp');
    hanako = new Student(svc);
    await hanako.signIn(user('s2101002'));
    await hanako.registerMail(smtp, 'hanako@example.jp');
    const placed = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'mail',
      items: [
        { typeCode: 'enrollment', language: 'ja', copies: 1 },
        { typeCode: 'transcript', language: 'en', copies: 1 },
      ],
      postalAddress: { kind: 'domestic', postalCode: '1000001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    [kept, toRevoke] = (placed.body as OrderView).lines.map((l) => l.certificateNumber) as [string, string];
  }, 90_000);
  afterAll(async () => {
    await svc?.stop();
    await smtp?.stop();
  });

  it('shows the recipient the status and hands over the signed PDF, and the holder the access log with a coarse client', async () => {
    const made = await create(kept, { days: 14, label: '株式会社サンプル 人事部' });
    expect(made.status).toBe(201);
    expect(made.body.url).toMatch(new RegExp(`^${svc.url}/shared#token=[A-Za-z0-9_-]{43,}$`));
    expect(made.body.link).toMatchObject({ pin: false, status: 'active', opens: 0, label: '株式会社サンプル 人事部' });
    const token = tokenOf(made.body.url);

    const open = await recipient(svc.url, clock);
    const view = await open('view', { token });
    expect(view.status).toBe(200);
    expect(view.headers.get('cache-control')).toBe('no-store');
    expect(view.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await view.json()).toMatchObject({
      verification: { status: 'valid', number: kept, typeName: { ja: '在学証明書' }, holderMasked: '山田 ＊＊' },
      expiresAt: made.body.link.expiresAt,
    });

    const pdf = await open('document', { token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="${kept}.pdf"`);
    expect(pdf.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await pdf.arrayBuffer()).equals(Buffer.from((await svc.stores.certificatePdfs.read(kept))!))).toBe(true);

    // The holder: the link without its address (never retrievable), its opens, the log.
    const listed = await list(kept);
    expect(listed.links).toHaveLength(1);
    expect(listed.links[0]).toMatchObject({ id: made.body.link.id, opens: 2, status: 'active' });
    expect(JSON.stringify(listed)).not.toContain(token);
    const log = (await taro.api('GET', `/api/certificates/share-links/${made.body.link.id}/accesses`)).body as ShareLinkAccessesResponse;
    expect(log.accesses.map((a) => [a.outcome, a.browser, a.os])).toEqual([
      ['downloaded', 'chrome', 'android'],
      ['viewed', 'chrome', 'android'],
    ]);
    expect(JSON.stringify(log)).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('asks for the PIN of a link that has one: none or a wrong one gets no PDF, the right one does', async () => {
    const made = await create(kept, { days: 7, pin: '２４６８' });
    expect(made.body.link.pin).toBe(true);
    const token = tokenOf(made.body.url);
    const open = await recipient(svc.url, clock, IPHONE_SAFARI, 'en');

    const without = await open('view', { token });
    expect(without.status).toBe(401);
    expect(await errorOf(without)).toMatchObject({ code: 'shareLink.pinRequired', message: 'Please enter the PIN.' });
    const wrong = await open('document', { token, pin: '1357' });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('content-type')).not.toContain('pdf');
    expect((await errorOf(wrong)).code).toBe('shareLink.pinWrong');

    expect((await open('view', { token, pin: '2468' })).status).toBe(200);
    const pdf = await open('document', { token, pin: '2468' });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const log = (await taro.api('GET', `/api/certificates/share-links/${made.body.link.id}/accesses`)).body as ShareLinkAccessesResponse;
    expect(log.accesses.map((a) => [a.outcome, a.browser, a.os])).toEqual([
      ['downloaded', 'safari', 'iphone'],
      ['viewed', 'safari', 'iphone'],
      ['pinRefused', 'safari', 'iphone'],
    ]);
    expect(log.link.opens).toBe(2);
  });

  it('locks a link for 15 minutes after five wrong PINs, the right PIN included', async () => {
    const made = await create(kept, { days: 7, pin: '90210' });
    const token = tokenOf(made.body.url);
    const open = await recipient(svc.url, clock);
    for (let i = 0; i < 4; i++) expect((await open('view', { token, pin: `1111${i}` })).status).toBe(403);
    const fifth = await open('view', { token, pin: '11115' });
    expect(fifth.status).toBe(429);
    expect(await errorOf(fifth)).toMatchObject({ code: 'shareLink.pinLocked', params: { minutes: 15 } });
    const right = await open('document', { token, pin: '90210' });
    expect(right.status).toBe(429);
    expect(await errorOf(right)).toMatchObject({ code: 'shareLink.pinLocked', message: expect.stringContaining('15分後') });
  });

  it('refuses a link once the holder revoked it, and records who revoked it in the audit log', async () => {
    const made = await create(kept, { days: 30 });
    const token = tokenOf(made.body.url);
    const open = await recipient(svc.url, clock);
    expect((await open('view', { token })).status).toBe(200);

    const revoked = await taro.api('POST', `/api/certificates/share-links/${made.body.link.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    for (const what of ['view', 'document'] as const) {
      const res = await open(what, { token });
      expect(res.status).toBe(410);
      expect(await errorOf(res)).toMatchObject({ code: 'shareLink.revoked', message: expect.stringContaining('無効') });
    }
    const audit = await svc.deps.audit.list({ targetId: kept });
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['certificate.shareLink.created', 'certificate.shareLink.revoked']));
    expect(JSON.stringify(audit.items)).not.toContain(token);
  });

  it('refuses every link to a certificate staff revoked', async () => {
    const made = await create(toRevoke, { days: 30 });
    const token = tokenOf(made.body.url);
    const open = await recipient(svc.url, clock);
    expect((await open('view', { token })).status).toBe(200);
    await svc.deps.certificates.staffDesk.revoke(toRevoke, '記載内容の誤りのため', { id: 'staff-1', name: '教務 花子', role: 'reviewer' });
    for (const what of ['view', 'document'] as const) {
      const res = await open(what, { token });
      expect(res.status).toBe(410);
      expect((await errorOf(res)).code).toBe('shareLink.certificateRevoked');
    }
    const again = await create(toRevoke, { days: 1 });
    expect(again.status).toBe(410);
    // The holder's list says so too: no link of a revoked certificate is shown as still usable.
    const shown = await list(toRevoke);
    expect(shown.links.find((l) => l.id === made.body.link.id)?.status).toBe('revoked');
  });

  it('shows another student neither the links nor their log, and lets him revoke none (not found)', async () => {
    const { links } = await list(kept);
    const id = links.find((l) => l.status === 'active')!.id;
    expect((await hanako.api('GET', `/api/certificates/share-links?certificate=${kept}`)).body.error.code).toBe('certificate.notFound');
    const accesses = await hanako.api('GET', `/api/certificates/share-links/${id}/accesses`);
    expect([accesses.status, accesses.body.error.code]).toEqual([404, 'shareLink.notFound']);
    const revoke = await hanako.api('POST', `/api/certificates/share-links/${id}/revoke`);
    expect([revoke.status, revoke.body.error.code]).toEqual([404, 'shareLink.notFound']);
    const create = await hanako.api('POST', '/api/certificates/share-links', { certificate: kept, days: 3 });
    expect(create.status).toBe(404);
    expect((await list(kept)).links.find((l) => l.id === id)!.status).toBe('active');
  });

  it('answers days out of 1–90 and a malformed PIN with translated field errors, and makes no link', async () => {
    const before = (await list(kept)).links.length;
    for (const [body, fields] of [
      [{ days: 0 }, { days: 'shareLink.daysRange' }],
      [{ days: 91 }, { days: 'shareLink.daysRange' }],
      [{ days: 5, pin: '12a' }, { pin: 'shareLink.pinFormat' }],
      [{ days: 5, pin: '123' }, { pin: 'shareLink.pinFormat' }],
    ] as const) {
      const res = await create(kept, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'validation.failed', message: '入力内容を確認してください。', fields } });
    }
    expect((await list(kept)).links).toHaveLength(before);
  });

  it('allows ten active links per certificate', async () => {
    const active = (await list(kept)).links.filter((l) => l.status === 'active').length;
    for (let i = active; i < 10; i++) expect((await create(kept, { days: 2 })).status).toBe(201);
    const over = (await create(kept, { days: 2 })) as unknown as { status: number; body: { error: { code: string; params: unknown } } };
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'shareLink.tooMany', params: { max: 10 } });
  });

  it('refuses a link after its last day (the service clock moved on)', async () => {
    const { links } = await list(kept);
    await taro.api('POST', `/api/certificates/share-links/${links[0]!.id}/revoke`);
    const made = await create(kept, { days: 1 });
    expect(made.status).toBe(201);
    const token = tokenOf(made.body.url);
    expect((await (await recipient(svc.url, clock))('view', { token })).status).toBe(200);
    clock.advance(86_400 + 1);
    const res = await (await recipient(svc.url, clock))('document', { token });
    expect(res.status).toBe(410);
    expect((await errorOf(res)).code).toBe('shareLink.expired');
  });
});
