import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedTerminalKey, parseTerminalKey, type TerminalKey } from '../../main/terminal-key.js';
import type { CampusClaimResponse } from '../../service/contract/certificates.js';
import type { TerminalKeyResponse, TerminalList } from '../../service/contract/terminals.js';
import type { Account } from '../../service/domain/model.js';
import { KIOSK_UA, useCampusService } from '../support/campus.js';
import { HttpBrowser, parseForms } from '../support/http-browser.js';
import { startService } from '../support/service.js';
import { ApiClient, readDemoStaffCredentials } from '../support/staff.js';
import { enrollTerminal, proofHeaders, type EnrolledTerminal } from '../support/terminal.js';

/**
 * Kiosk terminals are enrolled, not guessed (real service, demo IdP, real PDFs): a kiosk session
 * and campus printing need an enrolled, unrevoked terminal's proof on the request itself; the
 * User-Agent makes nothing a kiosk. Then the console's 端末 API and the shell's check-in.
 */
describe('enrolled kiosk terminals over HTTP', () => {
  const fixture = useCampusService('terminals');
  const { clock } = fixture;
  // samlify checks the demo IdP's SessionNotOnOrAfter against the real clock: sign-ins need the service's near it.
  beforeAll(() => clock.advance(Math.floor((Date.now() - clock.now().getTime()) / 1000)));

  /** A browser at `terminal` (its shell proves each request to the service, at the service's pinned time), or an ordinary one. */
  function browserAt(terminal: EnrolledTerminal | null, userAgent = KIOSK_UA): HttpBrowser {
    const browser = new HttpBrowser(userAgent);
    if (terminal) {
      browser.headersFor = (method, url) => (new URL(url).origin === fixture.service.url ? proofHeaders(terminal.key, method, url, clock.now()) : {});
    }
    return browser;
  }

  /** Signs demo student 山田 太郎 (2101001) in through the demo IdP, as the login button does. */
  async function signIn(browser: HttpBrowser): Promise<Account> {
    const base = fixture.service.url;
    const idp = await browser.get(`${base}/saml/login?returnTo=/home`);
    const autopost = await browser.submit(
      idp,
      {},
      parseForms(idp.body, idp.url).findIndex((f) => f.fields.user === '0'),
    );
    const done = await browser.submit(autopost, {}, 0, { stopAt: (u) => ['/mail/register', '/home', '/login'].includes(new URL(u).pathname) });
    expect(done.trail.at(-1)).toMatch(/\/mail\/register$|\/home$/);
    const account = (await fixture.service.stores.store.accounts.findByIdentity(`${base}/demo-idp/metadata`, 's2101001@demo.shomei.example'))!;
    // The first sign-in asks for a mail address (tested elsewhere); registered here as it would be.
    return account.mail ? account : (await fixture.service.stores.store.accounts.update(account.id, { mail: 'terminals@example.ac.jp' }))!;
  }

  /** A JSON call over `browser`'s session (and its terminal's proof), with the session's CSRF token. */
  async function api(browser: HttpBrowser, method: string, path: string, body: unknown = {}) {
    const url = `${fixture.service.url}${path}`;
    const session = JSON.parse((await browser.request('GET', `${fixture.service.url}/api/session`, { headers: { accept: 'application/json' } })).body);
    const res = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': session.csrfToken,
        'user-agent': browser.userAgent,
        cookie: `shomei_sid=${browser.cookie(url, 'shomei_sid')}`,
        ...browser.headersFor?.(method, url),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  const sessionOf = async (browser: HttpBrowser) =>
    JSON.parse((await browser.request('GET', `${fixture.service.url}/api/session`, { headers: { accept: 'application/json' } })).body) as {
      kiosk: boolean;
      idleTimeoutSeconds: number;
    };

  /** GET of a document URL as the terminal's shell (or the browser) fetches it. */
  const download = (browser: HttpBrowser, url: string) =>
    browser.request('GET', new URL(url, fixture.service.url).toString(), { headers: { accept: 'application/pdf' } });

  const placeCampusOrder = (account: Account) =>
    fixture.service.deps.certificates.orders.placeOrder(
      { account, studentId: '2101001', destination: 'campus', items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] },
      clock.now(),
    );

  it('a browser with the kiosk User-Agent but no enrolled terminal is an ordinary browser: it can neither claim nor download its campus jobs', async () => {
    const pretender = browserAt(null);
    const account = await signIn(pretender);
    expect(await sessionOf(pretender)).toMatchObject({ kiosk: false, idleTimeoutSeconds: 1800 });
    const placed = await placeCampusOrder(account);
    const jobId = placed.campusJob!.id;

    const claim = await api(pretender, 'POST', `/api/certificates/campus-jobs/${jobId}/claim`);
    expect(claim.status).toBe(403);
    expect(claim.body.error.code).toBe('campus.kioskOnly');

    // Not even with a live claim of an enrolled terminal in hand, nor with a made-up proof.
    const kiosk = browserAt(fixture.terminal);
    await signIn(kiosk);
    const claimed = await api(kiosk, 'POST', `/api/certificates/campus-jobs/${jobId}/claim`);
    expect(claimed.status).toBe(200);
    const url = (claimed.body as CampusClaimResponse).documents[0]!.url;
    const refused = await download(pretender, url);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe('campus.kioskOnly');
    pretender.headersFor = () => ({
      'X-Shomei-Terminal': `id=${fixture.terminal.id}, t=${Math.floor(clock.now().getTime() / 1000)}, shell=1.0, printer=ready, sig=${'A'.repeat(86)}`,
    });
    expect((await download(pretender, url)).status).toBe(403);
    expect((await fixture.service.deps.certificates.store.campusJobs.get(jobId))!.status).toBe('printing');
  });

  it('an enrolled terminal signs in as a kiosk (3-minute idle) and claims, downloads and completes its job; the print log names it', async () => {
    const kiosk = browserAt(fixture.terminal);
    // The sign-in screen is already the kiosk's (3-minute idle) before anyone has signed in, on the
    // first request and on the next ones, which carry the anonymous visitor's cookie.
    expect(await sessionOf(kiosk)).toMatchObject({ kiosk: true, idleTimeoutSeconds: 180 });
    expect(await sessionOf(kiosk)).toMatchObject({ kiosk: true, idleTimeoutSeconds: 180 });
    const account = await signIn(kiosk);
    expect(await sessionOf(kiosk)).toMatchObject({ kiosk: true, idleTimeoutSeconds: 180 });
    const jobId = (await placeCampusOrder(account)).campusJob!.id;
    const claim = await api(kiosk, 'POST', `/api/certificates/campus-jobs/${jobId}/claim`);
    expect(claim.status).toBe(200);
    const pdf = await download(kiosk, (claim.body as CampusClaimResponse).documents[0]!.url);
    expect(pdf.status).toBe(200);
    expect(pdf.body.startsWith('%PDF-')).toBe(true);
    const done = await api(kiosk, 'POST', `/api/certificates/campus-jobs/${jobId}/complete`, { claimId: (claim.body as CampusClaimResponse).claimId });
    expect(done.status).toBe(200);
    const audit = await fixture.service.deps.audit.list({ targetId: jobId });
    expect(audit.items.find((e) => e.action === 'certificate.campusJob.printed')?.after).toMatchObject({ by: 'kiosk:LIB-1F-01' });
  });

  it('a revoked terminal is an ordinary browser from its next request: no kiosk session, no claim, no download', async () => {
    const terminal = await enrollTerminal(fixture.service.deps.terminals, 'LIB-2F-REVOKED');
    const kiosk = browserAt(terminal);
    const account = await signIn(kiosk);
    const jobId = (await placeCampusOrder(account)).campusJob!.id;
    const claim = await api(kiosk, 'POST', `/api/certificates/campus-jobs/${jobId}/claim`);
    expect(claim.status).toBe(200);
    const url = (claim.body as CampusClaimResponse).documents[0]!.url;

    await fixture.service.deps.terminals.revoke(terminal.id, { type: 'staff', id: 'staff-admin', name: 'Admin', role: 'administrator' });

    const refused = await download(kiosk, url);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe('campus.kioskOnly');
    expect(await sessionOf(kiosk)).toMatchObject({ kiosk: false });
    const other = (await placeCampusOrder(account)).campusJob!.id;
    expect((await api(kiosk, 'POST', `/api/certificates/campus-jobs/${other}/claim`)).body.error.code).toBe('campus.kioskOnly');
  });

  it('a proof replayed for another path, or after its minute, is refused', async () => {
    const kiosk = browserAt(fixture.terminal);
    const account = await signIn(kiosk);
    const jobA = (await placeCampusOrder(account)).campusJob!.id;
    const jobB = (await placeCampusOrder(account)).campusJob!.id;
    const base = fixture.service.url;
    // Captured on its way to job A's document…
    const claimA = await api(kiosk, 'POST', `/api/certificates/campus-jobs/${jobA}/claim`);
    const docA = new URL((claimA.body as CampusClaimResponse).documents[0]!.url, base).toString();
    const captured = proofHeaders(fixture.terminal.key, 'GET', docA, clock.now());
    const cookie = `shomei_sid=${kiosk.cookie(base, 'shomei_sid')}`;
    const send = (method: string, url: string, headers: Record<string, string>) =>
      fetch(url, { method, headers: { cookie, accept: 'application/json', ...headers } });
    expect((await send('GET', docA, captured)).status).toBe(200);
    // …replayed on job B's claim (another path and method) and on the session.
    const csrf = (await (await send('GET', `${base}/api/session`, {})).json()).csrfToken;
    const replayed = await send('POST', `${base}/api/certificates/campus-jobs/${jobB}/claim`, {
      ...captured,
      'x-csrf-token': csrf,
      'content-type': 'application/json',
    });
    expect(replayed.status).toBe(403);
    expect((await replayed.json()).error.code).toBe('campus.kioskOnly');
    expect((await (await send('GET', `${base}/api/session`, captured)).json()).kiosk).toBe(false);
    // …and on the same document after its window.
    clock.advance(61);
    try {
      const late = await send('GET', docA, captured);
      expect(late.status).toBe(403);
      expect((await late.json()).error.code).toBe('campus.kioskOnly');
    } finally {
      clock.advance(-61);
    }
  });

  it('the console: administrators enrol, revoke and issue new keys, shown once; reviewers read; every change is audited; the shell’s check-in shows in the list', async () => {
    const base = fixture.service.url;
    const credentials = readDemoStaffCredentials(fixture.service.dataDir);
    const admin = new ApiClient(base);
    expect((await admin.staffLogin('admin', credentials.admin!.password)).status).toBe(200);
    const reviewer = new ApiClient(base);
    expect((await reviewer.staffLogin('reviewer', credentials.reviewer!.password)).status).toBe(200);

    const enrolled = await admin.post<TerminalKeyResponse>('/api/admin/terminals', { name: '  GYM-1F-01 ', location: '体育館 1階' });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.terminal).toMatchObject({ name: 'GYM-1F-01', location: '体育館 1階', status: 'active', lastContactAt: null, printer: null });
    expect(enrolled.body.kioskJson).toEqual({ serverUrl: base, terminalKey: enrolled.body.key });
    const key = enrolled.body.key;

    // Never again: not in the list, not in the audit log.
    const list = await reviewer.get<TerminalList>('/api/admin/terminals');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(key.split('.')[2]);
    const audit = await admin.get('/api/admin/audit?action=terminal.');
    expect(JSON.stringify(audit.body)).not.toContain(key.split('.')[2]);

    // Reviewers read only; bad input and a missing CSRF token change nothing.
    expect((await reviewer.post('/api/admin/terminals', { name: 'X', location: '' })).status).toBe(403);
    const id = enrolled.body.terminal.id;
    expect((await reviewer.post(`/api/admin/terminals/${id}/revoke`)).status).toBe(403);
    const blank = await admin.post('/api/admin/terminals', { name: '   ', location: 'x'.repeat(101) });
    expect(blank.status).toBe(400);
    expect(blank.body.error).toMatchObject({ code: 'validation.failed', fields: { name: 'required', location: 'tooLong' } });
    const taken = await admin.post('/api/admin/terminals', { name: 'gym-1f-01', location: '' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'terminal.nameTaken', message: 'この名称の端末はすでに登録されています。別の名称にしてください。' });
    expect((await admin.post('/api/admin/terminals', { name: 'Y', location: '' }, { csrf: null })).status).toBe(403);

    // The shell checks in with its key: the list shows its contact, version and printer.
    const checkInWith = (k: string, printer: 'ready' | 'missing' = 'ready') =>
      fetch(`${base}/api/terminal`, {
        headers: { accept: 'application/json', ...proofHeaders(parseTerminalKey(k)!, 'GET', `${base}/api/terminal`, clock.now(), printer) },
      });
    const checkIn = await checkInWith(key, 'missing');
    expect(checkIn.status).toBe(200);
    expect(await checkIn.json()).toEqual({ id, name: 'GYM-1F-01' });
    expect(checkIn.headers.get('date')).toBeTruthy();
    const seen = (await reviewer.get<TerminalList>('/api/admin/terminals')).body.items.find((t) => t.id === id);
    expect(seen).toMatchObject({ lastContactAt: clock.now().toISOString(), shellVersion: '0.1.0-test', printer: 'missing' });
    const anonymous = await fetch(`${base}/api/terminal`, { headers: { accept: 'application/json', 'user-agent': KIOSK_UA } });
    expect(anonymous.status).toBe(403);
    expect((await anonymous.json()).error.code).toBe('terminal.notEnrolled');

    // Revoked: its check-in is refused; a new key for the replaced terminal works, the old one does not.
    const revoked = await admin.post(`/api/admin/terminals/${id}/revoke`);
    expect(revoked.body).toMatchObject({ id, status: 'revoked' });
    expect((await checkInWith(key)).status).toBe(403);
    const replaced = await admin.post<TerminalKeyResponse>(`/api/admin/terminals/${id}/key`);
    expect(replaced.status).toBe(200);
    expect(replaced.body.terminal).toMatchObject({ id, status: 'active', revokedAt: null });
    expect((await checkInWith(replaced.body.key)).status).toBe(200);
    expect((await checkInWith(key)).status).toBe(403);
    expect((await admin.post('/api/admin/terminals/nobody/revoke')).status).toBe(404);

    const entries = (await admin.get('/api/admin/audit?action=terminal.')).body.items as Array<{
      action: string;
      target: { id: string; label: unknown };
      actor: { name: string };
    }>;
    expect(entries.filter((e) => e.target.id === id).map((e) => e.action)).toEqual(['terminal.keyReissued', 'terminal.revoked', 'terminal.enrolled']);
    expect(entries.find((e) => e.target.id === id)!.target.label).toEqual({ ja: 'GYM-1F-01 (体育館 1階)', en: 'GYM-1F-01 (体育館 1階)' });
  });
});

describe('the embedded service of a kiosk shell', () => {
  it('enrols the shell that started it (its public key in SHOMEI_EMBEDDED_TERMINAL_KEY): that shell’s proof makes a kiosk session; another key does not', async () => {
    const shell = embeddedTerminalKey();
    const service = await startService({ SHOMEI_EMBEDDED_TERMINAL_KEY: shell.publicKey });
    try {
      const url = `${service.url}/api/session`;
      const sessionWith = async (key: TerminalKey) =>
        (await (await fetch(url, { headers: { accept: 'application/json', ...proofHeaders(key, 'GET', url) } })).json()).kiosk;
      expect(await sessionWith(shell.key)).toBe(true);
      expect(await sessionWith(embeddedTerminalKey().key)).toBe(false);
      expect((await service.deps.terminals.list()).map((t) => ({ id: t.id, embedded: t.embedded }))).toEqual([{ id: 'local', embedded: true }]);
    } finally {
      await service.stop();
    }
  });
});
