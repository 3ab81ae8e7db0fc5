import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminCertificateList, AdminMailOrderList, CertificateType, ShipResponse } from '../../service/contract/certificates.js';
import type { Account } from '../../service/domain/model.js';
import { account, TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { ApiClient, readDemoStaffCredentials } from '../support/staff.js';

/** A browser tab opening `url` (fetch() would send its own Sec-Fetch-Mode). */
function navigate(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
      })
      .on('error', reject);
  });
}

describe('staff console for certificates (real service, real SMTP)', () => {
  let smtp: TestSmtpServer;
  let service: RunningService;
  let demo: Record<string, { role: string; password: string }>;
  const clock = new TestClock(new Date('2026-04-01T09:00:00Z'));
  let serial = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    service = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@cert.example.ac.jp' }, { clock });
    demo = readDemoStaffCredentials(service.dataDir);
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await smtp?.stop();
  });

  const staff = async (username: 'admin' | 'reviewer') => {
    const c = new ApiClient(service.url);
    expect((await c.staffLogin(username, demo[username]!.password)).status).toBe(200);
    return c;
  };

  /** A student of the demo registry (2101001, enrolled) with a verified mail address. */
  async function student(language: 'ja' | 'en' = 'ja'): Promise<Account> {
    serial += 1;
    const holder = account({ mail: `student${serial}@mail.example.ac.jp`, studentIds: ['2101001'], nameKanji: '山田 太郎', language });
    await service.stores.store.accounts.insert(holder);
    return holder;
  }

  async function mailOrder(holder: Account) {
    return service.deps.certificates.orders.placeOrder(
      {
        account: holder,
        studentId: '2101001',
        destination: 'mail',
        items: [{ typeCode: 'enrollment', language: 'ja', copies: 2 }],
        postalAddress: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '101号室' },
      },
      clock.now(),
    );
  }

  async function verify(number: string, code: string) {
    const visitor = new ApiClient(service.url);
    visitor.csrfToken = (await visitor.get('/api/session')).body.csrfToken;
    return visitor.post('/api/verify', { number, code });
  }

  it('lets a reviewer find a certificate by number and revoke it, after which /api/verify says revoked with the reason', async () => {
    const placed = await mailOrder(await student());
    const number = placed.certificates[0]!.number;
    const stored = (await service.deps.certificates.store.certificates.findByNumber(number))!;
    expect((await verify(number, stored.verificationCode)).body.status).toBe('valid');

    const reviewer = await staff('reviewer');
    const found = await reviewer.get<AdminCertificateList>(`/api/admin/certificates?number=${number.toLowerCase()}`);
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({ number, studentId: '2101001', status: 'valid', destination: 'mail', holderNameKanji: '山田 太郎' });

    const revoked = await reviewer.post(`/api/admin/certificates/${number}/revoke`, { reason: '記載内容の誤りのため' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revocationReason: '記載内容の誤りのため' });

    const checked = await verify(number, stored.verificationCode);
    expect(checked.body).toMatchObject({ status: 'revoked', revokedReason: '記載内容の誤りのため' });

    const again = await reviewer.post(`/api/admin/certificates/${number}/revoke`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('certificate.alreadyRevoked');

    const audit = await service.deps.audit.list({ action: 'certificate.revoked', targetId: stored.id });
    expect(audit.items[0]).toMatchObject({ actor: { type: 'staff' }, before: { status: 'valid' }, after: { status: 'revoked' } });
  }, 60_000);

  it('refuses a revocation without a reason with a field code, and an unknown number with 404', async () => {
    const placed = await mailOrder(await student());
    const admin = await staff('admin');
    const empty = await admin.post(`/api/admin/certificates/${placed.certificates[0]!.number}/revoke`, { reason: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'validation.failed', fields: { reason: 'required' } });
    const long = await admin.post(`/api/admin/certificates/${placed.certificates[0]!.number}/revoke`, { reason: 'x'.repeat(501) });
    expect(long.body.error.fields).toEqual({ reason: 'tooLong' });
    const unknown = await admin.get('/api/admin/certificates/SHM-2026-ZZZZ-ZZZZ');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('certificate.notFound');
  }, 60_000);

  it('ships a mail order with a tracking number and mails the student in the account language', async () => {
    const holder = await student('en');
    const placed = await mailOrder(holder);
    const reviewer = await staff('reviewer');
    const queue = await reviewer.get<AdminMailOrderList>('/api/admin/mail-orders?status=awaitingShipment');
    const item = queue.body.items.find((m) => m.orderId === placed.order.id)!;
    expect(item).toMatchObject({ status: 'awaitingShipment', studentId: '2101001', address: { kind: 'domestic', postalCode: '100-0001' } });
    expect(item.lines).toEqual([expect.objectContaining({ certificateNumber: placed.certificates[0]!.number, copies: 2 })]);

    const since = Date.now();
    const shipped = await reviewer.post<ShipResponse>(`/api/admin/mail-orders/${item.id}/ship`, { trackingNumber: 'JP-1234-5678' });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ studentNotified: true, mailOrder: { status: 'shipped', trackingNumber: 'JP-1234-5678' } });

    const mail = await smtp.waitForMail(holder.mail!, { since });
    expect(mail.subject).toBe('[Certificate Issuance Service] Your certificates have been shipped');
    expect(mail.text).toContain('JP-1234-5678');

    const twice = await reviewer.post(`/api/admin/mail-orders/${item.id}/ship`, { trackingNumber: 'JP-9999-0000' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('mailOrder.alreadyShipped');

    const done = await reviewer.get<AdminMailOrderList>('/api/admin/mail-orders?status=shipped');
    expect(done.body.items.map((m) => m.id)).toContain(item.id);
  }, 60_000);

  it('refuses a malformed tracking number with a translated field code', async () => {
    const placed = await mailOrder(await student());
    const admin = await staff('admin');
    const bad = await admin.post(`/api/admin/mail-orders/${placed.mailOrder!.id}/ship`, { trackingNumber: '追跡 12' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ trackingNumber: 'mailOrder.trackingInvalid' });
  }, 60_000);

  it('lets an administrator change a certificate type, but not a reviewer', async () => {
    const admin = await staff('admin');
    const types = await admin.get<CertificateType[]>('/api/admin/certificate-types');
    const enrollment = types.body.find((t) => t.code === 'enrollment')!;

    const reviewer = await staff('reviewer');
    expect((await reviewer.get('/api/admin/certificate-types')).status).toBe(200);
    const refused = await reviewer.call('PUT', '/api/admin/certificate-types/enrollment', { body: { ...enrollment, maxCopies: 4 } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.forbidden');

    const changed = await admin.call('PUT', '/api/admin/certificate-types/enrollment', { body: { ...enrollment, maxCopies: 4 } });
    expect(changed.status).toBe(200);
    expect(changed.body.maxCopies).toBe(4);
    expect((await service.deps.certificates.store.types.get('enrollment'))?.maxCopies).toBe(4);
    const audit = await service.deps.audit.list({ action: 'certificate.type.updated' });
    expect(audit.items[0]).toMatchObject({ before: { maxCopies: enrollment.maxCopies }, after: { maxCopies: 4 } });
    await admin.call('PUT', '/api/admin/certificate-types/enrollment', { body: enrollment });
  }, 60_000);

  it('answers a bad certificate type with 400 and a code per field', async () => {
    const admin = await staff('admin');
    const enrollment = (await admin.get<CertificateType[]>('/api/admin/certificate-types')).body.find((t) => t.code === 'enrollment')!;
    const bad = await admin.call('PUT', '/api/admin/certificate-types/enrollment', {
      body: { ...enrollment, maxCopies: 0, fee: -1, languages: [], name: { ja: '', en: 'x' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({
      maxCopies: 'certificateType.maxCopiesInvalid',
      fee: 'certificateType.feeInvalid',
      languages: 'certificateType.languagesInvalid',
      'name.ja': 'required',
    });
    const mismatch = await admin.call('PUT', '/api/admin/certificate-types/transcript', { body: enrollment });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.fields).toEqual({ code: 'certificateType.codeInvalid' });
  }, 60_000);

  it('serves staff the signed PDF inline and uncached, audits each look, and refuses anyone else with 401', async () => {
    const holder = await student();
    const placed = await mailOrder(holder);
    const number = placed.certificates[0]!.number;
    const stored = (await service.deps.certificates.store.certificates.findByNumber(number))!;
    const url = `${service.url}/api/admin/certificates/${number}/pdf`;

    const reviewer = await staff('reviewer');
    const cookie = [...reviewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${number}.pdf"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const pdf = Buffer.from(await res.arrayBuffer());
    // Byte for byte the PDF that was signed and stored at issue.
    expect(pdf.equals(Buffer.from((await service.stores.certificatePdfs.read(number))!))).toBe(true);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/ByteRange');

    const viewed = await service.deps.audit.list({ action: 'certificate.pdf.viewed', targetId: stored.id });
    expect(viewed.total).toBe(1);
    expect(viewed.items[0]).toMatchObject({ actor: { type: 'staff', name: 'Demo Reviewer' }, after: { number } });

    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    const live = await service.deps.sessions.create({ kiosk: false, accountId: holder.id });
    const asStudent = await fetch(url, { headers: { cookie: `shomei_sid=${live.id}`, accept: 'application/json' } });
    expect(asStudent.status).toBe(401);
    expect(((await asStudent.json()) as { error: { code: string } }).error.code).toBe('auth.required');
    // Opened in a tab without a staff session: a page that says so, not JSON.
    const tab = await navigate(url);
    expect(tab.status).toBe(401);
    expect(tab.type).toMatch(/^text\/html/);
    expect(tab.body).toContain('href="/admin"');
    expect((await service.deps.audit.list({ action: 'certificate.pdf.viewed', targetId: stored.id })).total).toBe(1);

    const unknown = await fetch(`${service.url}/api/admin/certificates/SHM-2026-ZZZZ-ZZZZ/pdf`, { headers: { cookie } });
    expect(unknown.status).toBe(404);
  }, 60_000);

  it('requires the staff CSRF token and a staff session', async () => {
    const placed = await mailOrder(await student());
    const admin = await staff('admin');
    const noToken = await admin.post(`/api/admin/certificates/${placed.certificates[0]!.number}/revoke`, { reason: 'x' }, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf.invalid');
    const anonymous = new ApiClient(service.url);
    expect((await anonymous.get('/api/admin/certificates')).status).toBe(401);
    expect((await anonymous.get('/api/admin/mail-orders')).status).toBe(401);
    expect((await service.deps.certificates.store.certificates.findByNumber(placed.certificates[0]!.number))?.status).toBe('valid');
  }, 60_000);
});
