import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreClaimResponse, StoreConfirmResponse, StoreFailResponse, StoreLookupResponse } from '../../service/contract/certificates.js';
import type { Account } from '../../service/domain/model.js';
import { account, TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

const DAY = 86_400;

/** The /store page's way of calling: session cookie + CSRF token from GET /api/session, JSON both ways. */
async function storeClient(base: string, language: 'ja' | 'en' = 'ja') {
  const first = await fetch(`${base}/api/session`, { headers: { accept: 'application/json', cookie: `shomei_lang=${language}` } });
  const cookies = [`shomei_lang=${language}`, ...first.headers.getSetCookie().map((c) => c.split(';')[0]!)].join('; ');
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  const post = async <T = Record<string, unknown>>(path: 'lookup' | 'claim' | 'confirm' | 'fail', body: Record<string, string>) => {
    const res = await fetch(`${base}/api/store/${path}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie: cookies },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T & { error?: { code: string; message: string; params?: Record<string, number> } } };
  };
  return {
    lookup: (number: string) => post<StoreLookupResponse>('lookup', { number }),
    claim: (number: string) => post<StoreClaimResponse>('claim', { number }),
    confirm: (number: string, claimId: string) => post<StoreConfirmResponse>('confirm', { number, claimId }),
    fail: (number: string, claimId: string, detail: string) => post<StoreFailResponse>('fail', { number, claimId, detail }),
    /** GET a claimed document as the terminal does (no session needed: the claim is the proof). */
    async document(url: string) {
      const res = await fetch(`${base}${url}`);
      return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
    },
    async raw(number: string, headers: Record<string, string>) {
      return fetch(`${base}/api/store/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookies, ...headers },
        body: JSON.stringify({ number }),
      });
    },
  };
}

describe('the convenience-store printer simulator (real service, real SMTP)', () => {
  let smtp: TestSmtpServer;
  let service: RunningService;
  const clock = new TestClock(new Date('2026-04-01T09:00:00Z'));
  let serial = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    service = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@cert.example.ac.jp' }, { clock });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await smtp?.stop();
  });

  /** A student of the demo registry (2101001, enrolled) with a verified mail address. */
  async function student(language: 'ja' | 'en' = 'ja'): Promise<Account> {
    serial += 1;
    const holder = account({ mail: `store${serial}@mail.example.ac.jp`, studentIds: ['2101001'], nameKanji: '山田 太郎', language });
    await service.stores.store.accounts.insert(holder);
    return holder;
  }

  async function reserve(holder: Account) {
    const placed = await service.deps.certificates.orders.placeOrder(
      {
        account: holder,
        studentId: '2101001',
        destination: 'convenience',
        items: [
          { typeCode: 'enrollment', language: 'ja', copies: 2 },
          { typeCode: 'enrollment', language: 'en', copies: 1 },
        ],
      },
      clock.now(),
    );
    return { number: placed.reservation!.number, placed };
  }

  it('shows the documents, copies and fee of a reservation typed with full-width digits, spaces and hyphens', async () => {
    const { number, placed } = await reserve(await student());
    const typed = `${number.slice(0, 4)} - ${number.slice(4)}`.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const store = await storeClient(service.url);
    const res = await store.lookup(typed);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number, expiresAt: placed.reservation!.expiresAt, totalCopies: 3, totalFee: placed.order.totalFee });
    expect(res.body.documents).toHaveLength(2);
    expect(res.body.documents[0]).toMatchObject({ typeName: { ja: '在学証明書' }, language: 'ja', copies: 2 });
    expect(res.body.documents[0]!.pages).toBeGreaterThanOrEqual(1);
    expect(res.body.documents.map((d) => d.certificateNumber).sort()).toEqual(placed.certificates.map((c) => c.number).sort());
  });

  it('prints once: claim, every document while the claim holds, confirm; then the number is refused as already printed', async () => {
    const { number, placed } = await reserve(await student());
    const store = await storeClient(service.url, 'en');
    const claimed = await store.claim(number);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ number, leaseUntil: new Date(clock.now().getTime() + 300_000).toISOString() });
    expect(claimed.body.documents.map((d) => d.certificateNumber).sort()).toEqual(placed.certificates.map((c) => c.number).sort());
    for (const doc of claimed.body.documents) {
      expect(doc.url).toBe(`/api/store/documents/${number}/${claimed.body.claimId}/${doc.certificateNumber}.pdf`);
      const pdf = await store.document(doc.url);
      expect(pdf.status).toBe(200);
      expect(pdf.type).toBe('application/pdf');
      expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    const [first] = claimed.body.documents;
    // Only this reservation's documents, only with the claim.
    const other = (await reserve(await student())).placed.certificates[0]!.number;
    expect((await store.document(first!.url.replace(first!.certificateNumber, other))).status).toBe(404);
    expect((await store.document(first!.url.replace(claimed.body.claimId, 'not-the-claim'))).status).toBe(409);
    // Delivered but not yet confirmed: another terminal finds it busy, not printed.
    expect((await (await storeClient(service.url, 'en')).claim(number)).body.error!.code).toBe('reservation.busy');

    const confirmed = await store.confirm(number, claimed.body.claimId);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ number, printedAt: clock.now().toISOString() });
    // Its answer lost, the terminal asks again: the same answer.
    expect((await store.confirm(number, claimed.body.claimId)).body).toEqual(confirmed.body);
    expect((await store.document(first!.url)).status).toBe(409);

    const again = await store.claim(number);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'reservation.alreadyPrinted',
      message: 'The certificates of this reservation number have already been printed.',
    });
    const lookupAgain = await (await storeClient(service.url, 'ja')).lookup(number);
    expect(lookupAgain.status).toBe(409);
    expect(lookupAgain.body.error!.message).toBe('この予約番号の証明書は印刷済みです。');

    const audit = await service.deps.audit.list({ targetId: placed.reservation!.id });
    expect(audit.items.map((e) => e.action).sort()).toEqual([
      'certificate.reservation.created',
      'certificate.reservation.printStarted',
      'certificate.reservation.printed',
    ]);
  });

  it('gives the number of a terminal that never confirmed to the next one after the lease, and refuses the late confirmation', async () => {
    const { number, placed } = await reserve(await student());
    const crashed = await storeClient(service.url, 'en');
    const lost = await crashed.claim(number);
    expect(lost.status).toBe(200);
    clock.advance(301);
    const next = await storeClient(service.url, 'en');
    const claimed = await next.claim(number);
    expect(claimed.status).toBe(200);
    const late = await crashed.confirm(number, lost.body.claimId);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'reservation.claimLost' });
    expect((await next.confirm(number, claimed.body.claimId)).status).toBe(200);
    const attempts = (await service.deps.certificates.store.reservations.get(placed.reservation!.id))!.attempts;
    expect(attempts.map((a) => a.outcome)).toEqual(['abandoned', 'printed']);
  });

  it('makes the number printable again at once when the terminal reports a failure', async () => {
    const { number } = await reserve(await student());
    const store = await storeClient(service.url, 'en');
    const first = await store.claim(number);
    const failed = await store.fail(number, first.body.claimId, 'simulated paper jam');
    expect(failed).toEqual({ status: 200, body: { number, status: 'reserved' } });
    expect((await store.lookup(number)).status).toBe(200);
    expect((await store.claim(number)).status).toBe(200);
  });

  it('answers an unknown number and a malformed one with translated errors, never a 500', async () => {
    const store = await storeClient(service.url, 'en');
    const unknown = await store.lookup('00000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'reservation.notFound', message: 'The reservation number was not found. Please check the number.' });
    const malformed = await store.lookup('12-34');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'validation.failed', fields: { number: 'store.numberFormat' } });
    expect((await store.claim('')).body.error).toMatchObject({ code: 'validation.failed', fields: { number: 'required' } });
    expect((await store.confirm('12345678', 'bad claim!')).body.error).toMatchObject({ code: 'validation.failed', fields: { claimId: 'invalid' } });
  });

  it('refuses writes without the CSRF token of the session', async () => {
    const store = await storeClient(service.url);
    const res = await store.raw('12345678', {});
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('csrf.invalid');
  });

  it('mails the reminder with the number over SMTP 23 hours before expiry, once, and then expires the reservation', async () => {
    const holder = await student('en');
    const { number, placed } = await reserve(holder);
    clock.advance(7 * DAY - 25 * 3600);
    await service.deps.certificates.runMaintenance();
    expect((await service.deps.certificates.store.reservations.get(placed.reservation!.id))!.reminderSentAt).toBeNull();

    clock.advance(2 * 3600);
    const since = Date.now();
    await service.deps.certificates.runMaintenance();
    const mail = await smtp.waitForMail(holder.mail!, { since });
    expect(mail.subject).toContain('[Certificate Issuance Service]');
    expect(mail.text).toContain(`Reservation number: ${number}`);
    await service.deps.certificates.runMaintenance();
    const sentTo = (await smtp.messages()).filter((m) => m.envelope.rcptTo.includes(holder.mail!));
    expect(sentTo).toHaveLength(1);

    clock.advance(23 * 3600 + 1);
    await service.deps.certificates.runMaintenance();
    expect((await service.deps.certificates.store.reservations.get(placed.reservation!.id))!.status).toBe('expired');
    const expired = await (await storeClient(service.url, 'ja')).lookup(number);
    expect(expired.status).toBe(410);
    expect(expired.body.error).toMatchObject({ code: 'reservation.expired', message: 'この予約番号は有効期限が切れています。もう一度申請してください。' });
    expect((await (await storeClient(service.url)).claim(number)).body.error!.code).toBe('reservation.expired');
    const audit = await service.deps.audit.list({ targetId: placed.reservation!.id });
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['certificate.reservation.reminded', 'certificate.reservation.expired']));
  });

  it('limits lookups per client and says how many seconds to wait', async () => {
    const store = await storeClient(service.url, 'en');
    let last = await store.lookup('99999999');
    for (let i = 0; i < 40 && last.status !== 429; i++) last = await store.lookup('99999999');
    expect(last.status).toBe(429);
    expect(last.body.error!.code).toBe('store.rateLimited');
    expect(last.body.error!.params!.seconds).toBeGreaterThan(0);
    expect(last.body.error!.message).toMatch(/^Too many reservation numbers were entered\. Please try again in \d+ seconds\.$/);
  });
});
