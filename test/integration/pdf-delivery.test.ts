/**
 * PDF送付 end to end over HTTP with real SMTP: the student sends a transcript to a company; the
 * recipient's mail carries the link; the public page shows the certificate and serves the signed
 * PDF a limited number of times, never after the expiry or a revocation.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminCertificateView, OrderListResponse, OrderView } from '../../service/contract/certificates.js';
import type { DeliveryStatusResponse } from '../../service/contract/deliveries.js';
import type { CertificateDocument } from '../../service/domain/certificates/document.js';
import { createOrderService } from '../../service/domain/certificates/orders.js';
import { hashSecret } from '../../service/domain/crypto.js';
import { TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { ApiClient, readDemoStaffCredentials } from '../support/staff.js';
import { Student, user } from '../support/student-api.js';

const transcript = { typeCode: 'transcript', language: 'ja' as const, copies: 1 };
const company = { organisation: '株式会社サンプル商事', name: '人事部 採用担当 御中', mail: 'recruit@sample.example.com', language: 'en' as const };

/** A recipient's browser: an anonymous session (cookie + CSRF token, as the SPA gets them), no account. */
async function recipientBrowser(base: string) {
  const first = await fetch(`${base}/api/session`, { headers: { accept: 'application/json' } });
  const cookie = first.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  const post = (url: string, body: unknown) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie },
      body: JSON.stringify(body),
    });
  return {
    async status(token: string) {
      const res = await post('/api/deliveries/status', { token });
      return { status: res.status, body: (await res.json()) as DeliveryStatusResponse & { error?: { code: string; message: string } } };
    },
    download: (token: string, certificateNumber: string) => post('/api/deliveries/download', { token, certificateNumber }),
  };
}

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('PDF送付: a certificate sent to a recipient by a download link', () => {
  let smtp: TestSmtpServer;
  let svc: RunningService;
  let taro: Student;
  const taroMail = 'taro@example.jp';
  // The real time (the demo IdP's assertions are checked against it), moved forward by the last test.
  const clock = new TestClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpServer();
    svc = await startService(
      { SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@cert.example.ac.jp', PDF_DELIVERY_VALID_DAYS: '30', PDF_DELIVERY_MAX_DOWNLOADS: '5' },
      { clock },
    );
    taro = new Student(svc);
    await taro.signIn(user('s2101001'));
    await taro.registerMail(smtp, taroMail);
  }, 60_000);
  afterAll(async () => {
    await svc?.stop();
    await smtp?.stop();
  });

  /** Places a PDF送付 order of a transcript and returns it with the token of the link mailed to the recipient. */
  async function sendTranscript(recipient = company): Promise<{ view: OrderView; token: string; mail: Awaited<ReturnType<TestSmtpServer['waitForMail']>> }> {
    const since = Date.now();
    const r = await taro.api('POST', '/api/certificates/orders', { studentId: '2101001', destination: 'pdf', items: [transcript], pdfRecipient: recipient });
    expect(r.status).toBe(201);
    const mail = await smtp.waitForMail(recipient.mail, { since });
    const link = /(https?:\/\/[^\s]+\/delivery#token=([A-Za-z0-9_-]+))/.exec(mail.text ?? '');
    expect(link, 'the recipient mail carries the download link').not.toBeNull();
    return { view: r.body as OrderView, token: link![2]!, mail };
  }

  it('mails the recipient a link in the language chosen for them, and tells the student where it went', async () => {
    const since = Date.now();
    const { view, mail } = await sendTranscript();
    expect(view).toMatchObject({ destination: 'pdf', status: 'sent', reservation: null, mail: null });
    expect(view.pdf).toMatchObject({ recipient: company, downloads: 0, maxDownloads: 5, firstOpenedAt: null });
    expect(Date.parse(view.pdf!.expiresAt) - clock.now().getTime()).toBe(30 * 86_400_000);

    expect(mail.subject).toBe('[Demo University] Certificate (PDF) of Taro Yamada');
    expect(mail.text).toContain('人事部 採用担当 御中');
    expect(mail.text).toContain(`Academic Transcript (certificate number ${view.lines[0]!.certificateNumber})`);
    expect(mail.text).toContain('Download limit: 5');

    const own = await smtp.waitForMail(taroMail, { since });
    expect(own.subject).toBe('【証明書発行サービス】PDF送付の申請を受け付けました');
    expect(own.text).toContain('提出先:株式会社サンプル商事');
    expect(own.text).toContain('メールアドレス:recruit@sample.example.com');
  });

  it('names the recipient organisation on the document it signs, and keeps only the hash of the link', async () => {
    const documents: CertificateDocument[] = [];
    const orders = createOrderService({
      store: svc.deps.certificates.store,
      transaction: (work) => svc.stores.transaction(work),
      registry: svc.deps.registry,
      random: svc.deps.random,
      offlineKey: svc.deps.certificates.offlineKey,
      publicUrl: svc.url,
      issuer: async () => {
        const [profile, seal] = await Promise.all([svc.deps.institution.profile(), svc.deps.institution.image('seal')]);
        return { name: profile!.name, officer: profile!.officer, seal };
      },
      // What is looked at is the document handed to the renderer (printing 提出先 is the renderer's part).
      producePdf: async (doc) => {
        documents.push(doc);
        return new TextEncoder().encode('%PDF-1.7\n%%EOF\n');
      },
    });
    const [account] = await svc.stores.store.accounts.findByStudentId('2101001');
    let link: string | null = null;
    const placed = await orders.placeOrder(
      { account: account!, studentId: '2101001', destination: 'pdf', items: [transcript], pdfRecipient: company },
      clock.now(),
      async (_tx, _order, { pdfLinkToken }) => {
        link = pdfLinkToken;
      },
    );
    expect(documents.map((d) => d.digitalDelivery)).toEqual([{ submittedTo: '株式会社サンプル商事' }]);
    const stored = await svc.deps.certificates.store.pdfDeliveries.get(placed.pdfDelivery!.id);
    expect(link).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored?.tokenHash).toBe(hashSecret(link!));
    expect(JSON.stringify(stored)).not.toContain(link!);
  });

  it('shows the recipient the certificate as /verify does, records the first visit, and lets the student see it', async () => {
    const { view, token } = await sendTranscript();
    const browser = await recipientBrowser(svc.url);
    const status = await browser.status(token);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      state: 'available',
      submittedTo: '株式会社サンプル商事',
      language: 'en',
      downloads: 0,
      maxDownloads: 5,
      certificates: [{ number: view.lines[0]!.certificateNumber, status: 'valid', typeName: { ja: '成績証明書' }, holderMasked: '山田 ＊＊' }],
    });
    const seen = (await taro.api('GET', `/api/certificates/orders/${view.id}`)).body as OrderView;
    expect(seen.pdf!.firstOpenedAt).toBe(clock.now().toISOString());
    expect(seen.pdf!.downloads).toBe(0);
    // Opened again: the first visit stays, recorded once in the audit log.
    await browser.status(token);
    expect(((await taro.api('GET', `/api/certificates/orders/${view.id}`)).body as OrderView).pdf!.firstOpenedAt).toBe(seen.pdf!.firstOpenedAt);
    const fulfilmentId = (await svc.deps.certificates.store.orders.get(view.id))!.fulfilmentId;
    const opened = await svc.stores.audit.list({ action: 'certificate.pdfDelivery.opened', targetId: fulfilmentId });
    expect(opened.items.map((e) => e.actor.type)).toEqual(['recipient']);
  });

  it('serves the signed PDF five times as an attachment, refuses the sixth, and the student and staff see the count', async () => {
    const { view, token } = await sendTranscript();
    const number = view.lines[0]!.certificateNumber;
    const browser = await recipientBrowser(svc.url);
    for (let i = 1; i <= 5; i++) {
      const res = await browser.download(token, number);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${number}.pdf"`);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (i === 1) {
        const file = path.join(svc.dataDir, `${number}.downloaded.pdf`);
        writeFileSync(file, bytes);
        expect(execFileSync('pdfsig', [file], { encoding: 'utf8' })).toContain('Signature is Valid');
      }
    }
    const sixth = await browser.download(token, number);
    expect(sixth.status).toBe(410);
    expect(await errorCode(sixth)).toBe('delivery.exhausted');
    expect((await browser.status(token)).body).toMatchObject({ state: 'exhausted', downloads: 5 });

    const list = (await taro.api('GET', '/api/certificates/orders')).body as OrderListResponse;
    const listed = list.history.find((o) => o.id === view.id)!;
    expect(listed).toMatchObject({ status: 'expired', pdf: { downloads: 5, maxDownloads: 5, recipient: { organisation: '株式会社サンプル商事' } } });
    expect(listed.pdf!.firstOpenedAt).not.toBeNull();

    const reviewer = new ApiClient(svc.url);
    expect((await reviewer.staffLogin('reviewer', readDemoStaffCredentials(svc.dataDir).reviewer!.password)).status).toBe(200);
    const staffView = await reviewer.get<AdminCertificateView>(`/api/admin/certificates/${number}`);
    expect(staffView.body).toMatchObject({
      destination: 'pdf',
      pdfDelivery: { downloads: 5, maxDownloads: 5, recipient: { organisation: '株式会社サンプル商事' } },
    });
    expect(staffView.body.pdfDelivery!.firstOpenedAt).not.toBeNull();
    const audit = await svc.stores.audit.list({ action: 'certificate.pdfDelivery.downloaded', limit: 10 });
    expect(audit.items.filter((e) => (e.after as { number: string }).number === number)).toHaveLength(5);
    expect(audit.items[0]!.actor.type).toBe('recipient');
  });

  it('never serves the PDF of a revoked certificate, and the page says so', async () => {
    const { view, token } = await sendTranscript();
    const number = view.lines[0]!.certificateNumber;
    await svc.deps.certificates.staffDesk.revoke(number, '記載内容の誤り', { id: 'staff-1', name: '事務 担当', role: 'reviewer' });
    const browser = await recipientBrowser(svc.url);
    const res = await browser.download(token, number);
    expect(res.status).toBe(410);
    expect(await errorCode(res)).toBe('delivery.revoked');
    expect((await browser.status(token)).body).toMatchObject({ state: 'revoked', certificates: [{ status: 'revoked' }] });
  });

  it('answers an unknown, malformed or foreign link with a clear 404', async () => {
    const { view } = await sendTranscript();
    const browser = await recipientBrowser(svc.url);
    const unknown = await browser.status('A'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'delivery.notFound', message: 'このリンクは無効です。メールに記載されたURLをご確認ください。' });
    expect((await browser.status('not a token')).status).toBe(404);
    const download = await browser.download('B'.repeat(43), view.lines[0]!.certificateNumber);
    expect(download.status).toBe(404);
    expect(await errorCode(download)).toBe('delivery.notFound');
    // A real link asking for a certificate that is not in it.
    const { token } = await sendTranscript();
    const other = await browser.download(token, 'SHM-2026-ZZZZ-ZZZZ');
    expect(other.status).toBe(404);
  });

  it('refuses the destination for a type that does not allow it, a second copy, and a missing or bad recipient field by field', async () => {
    const discount = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'pdf',
      items: [{ typeCode: 'discount', language: 'ja', copies: 1 }],
      pdfRecipient: company,
    });
    expect(discount.status).toBe(400);
    expect(discount.body.error.code).toBe('order.destinationNotAllowed');

    // One file per certificate: a second copy of a PDF is refused, not charged.
    const twice = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'pdf',
      items: [{ ...transcript, copies: 2 }],
      pdfRecipient: company,
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error).toMatchObject({ code: 'order.copiesOverTypeLimit', params: { limit: 1 }, fields: { 'items.0': 'order.copiesOverTypeLimit' } });

    const bad = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'pdf',
      items: [transcript],
      pdfRecipient: { organisation: ' ', name: 'x'.repeat(101), mail: 'not-an-address', language: 'fr' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({
      'pdfRecipient.organisation': 'required',
      'pdfRecipient.name': 'tooLong',
      'pdfRecipient.mail': 'mail.invalid',
      'pdfRecipient.language': 'required',
    });
    const none = await taro.api('POST', '/api/certificates/orders', { studentId: '2101001', destination: 'pdf', items: [transcript] });
    expect(none.status).toBe(400);
    expect(Object.keys(none.body.error.fields)).toEqual(expect.arrayContaining(['pdfRecipient.organisation', 'pdfRecipient.mail']));
  });

  // Last: it moves the service clock past the link's expiry.
  it('refuses the download once the link has expired, and the page says so', async () => {
    const { view, token } = await sendTranscript();
    const number = view.lines[0]!.certificateNumber;
    const browser = await recipientBrowser(svc.url);
    clock.advance(29 * 86_400);
    expect((await browser.download(token, number)).status).toBe(200);
    clock.advance(86_400);
    const late = await browser.download(token, number);
    expect(late.status).toBe(410);
    expect(await errorCode(late)).toBe('delivery.expired');
    expect((await browser.status(token)).body).toMatchObject({ state: 'expired', downloads: 1 });
  });
});

describe('PDF送付 download page rate limit', () => {
  it('refuses the 61st request from one address within ten minutes with 429 and the seconds to wait', async () => {
    const fresh = await startService();
    try {
      const browser = await recipientBrowser(fresh.url);
      for (let i = 0; i < 60; i++) expect((await browser.status('C'.repeat(43))).status).toBe(404);
      const refused = await browser.status('C'.repeat(43));
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatchObject({ code: 'delivery.rateLimited' });
      expect((await browser.download('C'.repeat(43), 'SHM-2026-AAAA-AAAA')).status).toBe(429);
    } finally {
      await fresh.stop();
    }
  });
});
