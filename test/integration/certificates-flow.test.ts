import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateOptionsResponse, OrderView } from '../../service/contract/certificates.js';
import { createOrderService } from '../../service/domain/certificates/orders.js';
import { DomainError } from '../../service/domain/errors.js';
import type { TransactionStores } from '../../service/domain/stores.js';
import { formatExpiry } from '../../service/domain/i18n/mails.js';
import { TestClock } from '../support/factories.js';
import { certificateCounts } from '../support/record-counts.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { Student, user } from '../support/student-api.js';

/** The issuer the service itself would use (the demo institution here). */
const issuerOf = (svc: RunningService) => async () => {
  const [profile, seal] = await Promise.all([svc.deps.institution.profile(), svc.deps.institution.image('seal')]);
  return { name: profile!.name, officer: profile!.officer, seal };
};

const enrollment = (copies = 1, language: 'ja' | 'en' = 'ja') => ({ typeCode: 'enrollment', language, copies });

describe('証明書を発行 through the HTTP API, with mail over SMTP', () => {
  let smtp: TestSmtpServer;
  let svc: RunningService;
  let taro: Student;
  const taroMail = 'taro@example.jp';
  // The real time: the demo IdP's assertions are checked against it.
  const clock = new TestClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpServer();
    svc = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@cert.example.ac.jp', RESERVATION_VALID_DAYS: '5' }, { clock });
    taro = new Student(svc);
    await taro.signIn(user('s2101001'));
    await taro.registerMail(smtp, taroMail);
  }, 60_000);
  afterAll(async () => {
    await svc?.stop();
    await smtp?.stop();
  });

  it('offers the enrolled student his student ID with every active type and why graduation certificates are not his', async () => {
    const r = await taro.api('GET', '/api/certificates/options');
    expect(r.status).toBe(200);
    const options = r.body as CertificateOptionsResponse;
    expect(options.students.map((s) => s.studentId)).toEqual(['2101001']);
    const types = options.students[0]!.types;
    expect(types.map((t) => t.code)).toEqual(['enrollment', 'exp-graduation', 'graduation', 'transcript', 'discount']);
    expect(types.find((t) => t.code === 'graduation')!.unavailable).toBe('order.statusNotEligible');
    expect(types.find((t) => t.code === 'enrollment')!.unavailable).toBeNull();
    expect(options.reservationValidDays).toBe(5);
    expect(options.maxCopiesPerOrder).toBe(20);
  });

  it('places a convenience-store order and mails the reservation number with its expiry', async () => {
    const since = Date.now();
    const r = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'convenience',
      items: [enrollment(2), { typeCode: 'transcript', language: 'en', copies: 1 }],
    });
    expect(r.status).toBe(201);
    const view = r.body as OrderView;
    expect(view).toMatchObject({ destination: 'convenience', status: 'reserved', current: true, totalFee: 700, studentId: '2101001' });
    expect(view.reservation!.number).toMatch(/^\d{8}$/);
    expect(view.reservation!.expiresAt).toBe(new Date(clock.now().getTime() + 5 * 86_400_000).toISOString());
    expect(view.lines.map((l) => [l.typeCode, l.language, l.copies])).toEqual([
      ['enrollment', 'ja', 2],
      ['transcript', 'en', 1],
    ]);

    const mail = await smtp.waitForMail(taroMail, { since });
    expect(mail.subject).toBe('【証明書発行サービス】予約番号のお知らせ');
    expect(mail.text).toContain(`予約番号:${view.reservation!.number}`);
    expect(mail.text).toContain('在学証明書');
    expect(mail.text).toContain(`有効期限:${formatExpiry(new Date(view.reservation!.expiresAt), 'ja')}`);

    const again = await taro.api('GET', `/api/certificates/orders/${view.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(view);
  });

  it('places an on-campus printing order that waits for a kiosk', async () => {
    const since = Date.now();
    const r = await taro.api('POST', '/api/certificates/orders', { studentId: '2101001', destination: 'campus', items: [enrollment()] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ destination: 'campus', status: 'awaitingCampusPrint', current: true, reservation: null, mail: null });
    expect(r.body.campusJob.id).toEqual(expect.any(String));
    const mail = await smtp.waitForMail(taroMail, { since });
    expect(mail.subject).toBe('【証明書発行サービス】学内印刷の申請を受け付けました');
  });

  it('places a mail order with the address normalised as the envelope needs it', async () => {
    const since = Date.now();
    const r = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'mail',
      items: [enrollment(1, 'en')],
      postalAddress: { kind: 'domestic', postalCode: '１０００００１', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      destination: 'mail',
      status: 'awaitingShipment',
      mail: { address: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' }, trackingNumber: null },
    });
    const mail = await smtp.waitForMail(taroMail, { since });
    expect(mail.text).toContain('〒100-0001');
  });

  it('answers a bad address with a code next to each field', async () => {
    const r = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'mail',
      items: [enrollment()],
      postalAddress: { kind: 'domestic', postalCode: '12-345', prefecture: 'Atlantis', line1: '', line2: 'x'.repeat(81) },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation.failed');
    expect(r.body.error.fields).toEqual({
      'postalAddress.postalCode': 'postalCode.invalid',
      'postalAddress.prefecture': 'prefecture.invalid',
      'postalAddress.line1': 'required',
      'postalAddress.line2': 'tooLong',
    });
    const missing = await taro.api('POST', '/api/certificates/orders', { studentId: '2101001', destination: 'mail', items: [enrollment()] });
    expect(missing.body.error.fields).toEqual({ postalAddress: 'required' });
    const overseas = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'mail',
      items: [enrollment()],
      postalAddress: { kind: 'overseas', lines: ['1 Main St', ''], country: '' },
    });
    expect(overseas.body.error.fields).toEqual({ 'postalAddress.lines.1': 'required', 'postalAddress.country': 'required' });
  });

  it('refuses 21 copies in one order, translated', async () => {
    const r = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'convenience',
      items: [enrollment(10), enrollment(10, 'en'), { typeCode: 'transcript', language: 'ja', copies: 1 }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'order.copiesOverOrderLimit', message: '1回の申請で発行できるのは合計20部までです。' });
  });

  it('does not show an order to another account', async () => {
    const placed = await taro.api('POST', '/api/certificates/orders', { studentId: '2101001', destination: 'campus', items: [enrollment()] });
    const hanako = new Student(svc);
    await hanako.signIn(user('s2101002'));
    await hanako.registerMail(smtp, 'hanako@example.jp');
    const r = await hanako.api('GET', `/api/certificates/orders/${placed.body.id}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('notFound');
    const other = await hanako.api('POST', '/api/certificates/orders', { studentId: '2101001', destination: 'campus', items: [enrollment()] });
    expect(other.body.error.code).toBe('order.studentNotOwned');
  });

  it('leaves no PDF and no record behind when the second certificate cannot be produced', async () => {
    const store = svc.stores.certificates;
    const countsBefore = await certificateCounts(svc);
    expect(countsBefore.pdfs).toBeGreaterThan(0);
    const auditBefore = (await svc.deps.audit.list({})).total;
    let produced = 0;
    const orders = createOrderService({
      store,
      transaction: (work) => svc.stores.transaction(work),
      registry: svc.deps.registry,
      random: svc.deps.random,
      offlineKey: svc.deps.certificates.offlineKey,
      publicUrl: svc.url,
      issuer: issuerOf(svc),
      producePdf: async () => {
        produced++;
        if (produced === 2) throw new Error('the signer is unavailable');
        return new TextEncoder().encode('%PDF-1.7\n%%EOF\n');
      },
    });
    const [account] = await svc.stores.store.accounts.findByStudentId('2101001');
    const error = await orders
      .placeOrder({ account: account!, studentId: '2101001', destination: 'convenience', items: [enrollment(), enrollment(1, 'en')] }, clock.now())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('order.issueFailed');
    expect(produced).toBe(2);
    expect(await certificateCounts(svc)).toEqual(countsBefore);
    expect((await svc.deps.audit.list({})).total).toBe(auditBefore);
  });

  it('rolls back the issued certificates when no reservation number can be drawn', async () => {
    const store = svc.stores.certificates;
    const countsBefore = await certificateCounts(svc);
    // Every number drawn is taken: the reservation cannot be written, so nothing of the order may be.
    const refusingReservations = (tx: TransactionStores): TransactionStores => ({
      ...tx,
      certificates: { ...tx.certificates, reservations: { ...tx.certificates.reservations, insert: async () => false } },
    });
    const orders = createOrderService({
      store,
      transaction: (work) => svc.stores.transaction((tx) => work(refusingReservations(tx))),
      registry: svc.deps.registry,
      random: svc.deps.random,
      offlineKey: svc.deps.certificates.offlineKey,
      publicUrl: svc.url,
      issuer: issuerOf(svc),
      producePdf: async () => new TextEncoder().encode('%PDF-1.7\n%%EOF\n'),
    });
    const [account] = await svc.stores.store.accounts.findByStudentId('2101001');
    const error = await orders
      .placeOrder({ account: account!, studentId: '2101001', destination: 'convenience', items: [enrollment()] }, clock.now())
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('reservation.numberExhausted');
    expect(await certificateCounts(svc)).toEqual(countsBefore);
  });
});
