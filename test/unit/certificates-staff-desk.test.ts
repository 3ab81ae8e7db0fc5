import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCertificatePdfArchive } from '../../service/adapters/files/certificate-pdfs.js';
import type { AuditLog } from '../../service/domain/audit.js';
import type { CertificateStore } from '../../service/domain/certificates/store.js';
import type { Store } from '../../service/domain/ports.js';
import type { Stores } from '../../service/domain/stores.js';
import type { CertificateType, IssuedCertificate, MailOrder, Order } from '../../service/domain/certificates/model.js';
import { loadCertificateTypes } from '../../service/adapters/files/certificate-types.js';
import { adminCertificateList, adminCertificateView, adminMailOrderList, shipResponse } from '../../service/http/presenters/staff-desk.js';
import { createStaffDesk, type StaffActor, type StaffDesk } from '../../service/domain/certificates/staff-desk.js';
import { DomainError } from '../../service/domain/errors.js';
import { certificateType } from '../support/certificate-records.js';
import { account, tempStores, TestClock } from '../support/factories.js';
import { FAILED_BEFORE_COMMIT, failingBeforeCommit, realOutbox, type TestOutbox } from '../support/outbox.js';

const reviewer: StaffActor = { id: 'staff-r', name: '審査 太郎', role: 'reviewer' };
const administrator: StaffActor = { id: 'staff-a', name: '管理 花子', role: 'administrator' };

const enrollment: CertificateType = certificateType();

let stores: Stores & { dataDir: string };
let store: CertificateStore;
let accountsStore: Store;
let audit: AuditLog;
let outbox: TestOutbox;
let clock: TestClock;
let desk: StaffDesk;
let pdfs: ReturnType<typeof openCertificatePdfArchive>;
let serial = 0;

async function issued(options: { language?: 'ja' | 'en'; mail?: string | null } = {}) {
  serial += 1;
  const holder = account({ mail: options.mail === undefined ? `student${serial}@mail.example.ac.jp` : options.mail, language: options.language ?? 'ja' });
  await accountsStore.accounts.insert(holder);
  const order: Order = {
    id: `order-${serial}`,
    accountId: holder.id,
    studentId: `2400${serial}`,
    destination: 'mail',
    items: [{ typeCode: 'enrollment', language: 'ja', copies: 2 }],
    totalFee: 400,
    language: 'ja',
    certificateIds: [`cert-${serial}`],
    fulfilmentId: `mail-${serial}`,
    createdAt: clock.now().toISOString(),
  };
  const certificate: IssuedCertificate = {
    id: `cert-${serial}`,
    number: `SHM-2026-ABCD-${String(1000 + serial)}`,
    verificationCode: 'ABCDEFGHJK',
    orderId: order.id,
    accountId: holder.id,
    studentId: order.studentId,
    typeCode: 'enrollment',
    language: 'ja',
    copies: 2,
    issueDate: '2026-04-01',
    validUntil: null,
    issuedAt: clock.now().toISOString(),
    holderNameKanji: '佐藤 花子',
    offlinePayload: 'payload',
    offlineKeyId: 'key',
    status: 'valid',
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
  };
  const mailOrder: MailOrder = {
    id: `mail-${serial}`,
    orderId: order.id,
    accountId: holder.id,
    recipientName: '佐藤 花子',
    address: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' },
    status: 'awaitingShipment',
    trackingNumber: null,
    shippedAt: null,
    shippedBy: null,
    createdAt: clock.now().toISOString(),
    updatedAt: clock.now().toISOString(),
  };
  await store.orders.insert(order);
  await store.certificates.insertMany([certificate]);
  await store.mailOrders.insert(mailOrder);
  clock.advance(60);
  return { holder, order, certificate, mailOrder };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const deskOver = (transaction: Stores['transaction']) =>
  createStaffDesk({ store, audit, clock, transaction, mailer: outbox.mailer, pdfs, logger: pino({ level: 'silent' }), template: () => loadCertificateTypes() });
const lastMail = async () => (await outbox.mails()).at(-1)!;

beforeEach(async () => {
  clock = new TestClock(new Date('2026-11-24T01:00:00Z'));
  stores = await tempStores(clock);
  ({ certificates: store, store: accountsStore, audit } = stores);
  outbox = realOutbox(stores, clock);
  await store.types.put(enrollment);
  pdfs = openCertificatePdfArchive(stores.dataDir);
  desk = deskOver((work) => stores.transaction(work));
});

afterEach(async () => {
  await stores.close();
  rmSync(stores.dataDir, { recursive: true, force: true });
});

describe('the staff desk for issued certificates', () => {
  it('finds a certificate by its number in any case and shows its type name and destination', async () => {
    const { certificate } = await issued();
    const found = adminCertificateList(await desk.searchCertificates({ number: certificate.number.toLowerCase() }));
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ number: certificate.number, typeName: enrollment.name, destination: 'mail', status: 'valid', copies: 2 });
  });

  it('revokes a valid certificate with the reason, records who and when, and audits before and after', async () => {
    const { certificate } = await issued();
    const view = adminCertificateView(await desk.revoke(certificate.number, '  記載誤りのため再発行  ', reviewer));
    expect(view).toMatchObject({ status: 'revoked', revokedBy: reviewer.id, revocationReason: '記載誤りのため再発行', revokedAt: clock.now().toISOString() });
    expect((await store.certificates.findByNumber(certificate.number))?.status).toBe('revoked');
    const entries = await audit.list({ action: 'certificate.revoked' });
    expect(entries.items[0]).toMatchObject({
      actor: { type: 'staff', id: reviewer.id, name: reviewer.name },
      target: { type: 'certificate', id: certificate.id },
      before: { status: 'valid' },
      after: { status: 'revoked', revocationReason: '記載誤りのため再発行' },
    });
  });

  it('refuses to revoke twice with certificate.alreadyRevoked and keeps the first reason', async () => {
    const { certificate } = await issued();
    await desk.revoke(certificate.number, 'first', administrator);
    expect((await failure(desk.revoke(certificate.number, 'second', administrator))).code).toBe('certificate.alreadyRevoked');
    expect(adminCertificateView(await desk.certificate(certificate.number)).revocationReason).toBe('first');
    expect((await audit.list({ action: 'certificate.revoked' })).total).toBe(1);
  });

  it('refuses an empty reason and an unknown number', async () => {
    const { certificate } = await issued();
    const empty = await failure(desk.revoke(certificate.number, '   ', reviewer));
    expect(empty.code).toBe('validation.failed');
    expect(empty.fields).toEqual({ reason: 'required' });
    expect((await failure(desk.revoke('SHM-2026-ZZZZ-9999', 'x', reviewer))).code).toBe('certificate.notFound');
  });

  it('hands staff the stored PDF as issued and records who looked at which certificate, and when', async () => {
    const { certificate } = await issued();
    const bytes = new TextEncoder().encode('%PDF-1.7 signed');
    await pdfs.write(certificate.number, bytes);
    const shown = await desk.pdf(certificate.number.toLowerCase(), reviewer);
    expect(shown.number).toBe(certificate.number);
    expect(Buffer.from(shown.pdf).equals(Buffer.from(bytes))).toBe(true);
    const entry = (await audit.list({ action: 'certificate.pdf.viewed' })).items[0];
    expect(entry).toMatchObject({
      at: clock.now().toISOString(),
      actor: { type: 'staff', id: reviewer.id, name: reviewer.name },
      target: { type: 'certificate', id: certificate.id },
      after: { number: certificate.number },
    });
  });

  it('says notFound when the PDF is not stored, and audits nothing', async () => {
    const { certificate } = await issued();
    expect((await failure(desk.pdf(certificate.number, reviewer))).code).toBe('notFound');
    expect((await failure(desk.pdf('SHM-2026-ZZZZ-ZZZZ', reviewer))).code).toBe('certificate.notFound');
    expect((await audit.list({ action: 'certificate.pdf.viewed' })).total).toBe(0);
  });

  it('lists revoked certificates apart from valid ones', async () => {
    const a = await issued();
    await issued();
    await desk.revoke(a.certificate.number, 'wrong name', reviewer);
    const revoked = adminCertificateList(await desk.searchCertificates({ status: 'revoked' }));
    expect(revoked.items.map((c) => c.number)).toEqual([a.certificate.number]);
    expect(adminCertificateList(await desk.searchCertificates({ status: 'valid' })).total).toBe(1);
  });
});

describe('the staff desk for mail orders', () => {
  it('lists orders awaiting shipment oldest first with their lines and address', async () => {
    const first = await issued();
    const second = await issued();
    const list = adminMailOrderList(await desk.mailOrders({ status: 'awaitingShipment' }));
    expect(list.items.map((m) => m.id)).toEqual([first.mailOrder.id, second.mailOrder.id]);
    expect(list.items[0]).toMatchObject({
      studentId: first.order.studentId,
      recipientName: '佐藤 花子',
      address: first.mailOrder.address,
      lines: [{ certificateNumber: first.certificate.number, typeName: enrollment.name, language: 'ja', copies: 2 }],
    });
  });

  it('ships with the tracking number, audits it, and mails the student in the account language', async () => {
    const { mailOrder, holder, certificate } = await issued({ language: 'en' });
    const result = shipResponse(await desk.ship(mailOrder.id, ' AB-1234-5678 ', reviewer));
    expect(result.studentNotified).toBe(true);
    expect(result.mailOrder).toMatchObject({ status: 'shipped', trackingNumber: 'AB-1234-5678', shippedBy: reviewer.id });
    const mail = await lastMail();
    expect(mail.to).toBe(holder.mail);
    expect(mail.subject).toBe('[Certificate Issuance Service] Your certificates have been shipped');
    expect(mail.text).toContain('Tracking number: AB-1234-5678');
    expect(mail.text).toContain(certificate.number);
    const entries = await audit.list({ action: 'certificate.mailOrder.shipped' });
    expect(entries.items[0]).toMatchObject({ before: { status: 'awaitingShipment' }, after: { status: 'shipped', trackingNumber: 'AB-1234-5678' } });
    expect(adminMailOrderList(await desk.mailOrders({ status: 'shipped' })).items.map((m) => m.id)).toEqual([mailOrder.id]);
  });

  it('writes the shipping mail in Japanese for a Japanese account', async () => {
    const { mailOrder } = await issued({ language: 'ja' });
    await desk.ship(mailOrder.id, '123456789012', administrator);
    expect((await lastMail()).subject).toBe('【証明書発行サービス】証明書を発送しました');
    expect((await lastMail()).text).toContain('追跡番号:123456789012');
  });

  it('refuses to ship twice, and keeps the first tracking number', async () => {
    const { mailOrder } = await issued();
    await desk.ship(mailOrder.id, 'FIRST-001', reviewer);
    expect((await failure(desk.ship(mailOrder.id, 'SECOND-002', reviewer))).code).toBe('mailOrder.alreadyShipped');
    expect((await store.mailOrders.get(mailOrder.id))?.trackingNumber).toBe('FIRST-001');
    expect(await outbox.mails()).toHaveLength(1);
  });

  it('refuses a malformed tracking number with a field code and changes nothing', async () => {
    const { mailOrder } = await issued();
    for (const bad of ['abc', 'has space 123', 'x'.repeat(31), '追跡1234']) {
      const e = await failure(desk.ship(mailOrder.id, bad, reviewer));
      expect(e.fields).toEqual({ trackingNumber: 'mailOrder.trackingInvalid' });
    }
    expect((await store.mailOrders.get(mailOrder.id))?.status).toBe('awaitingShipment');
  });

  it('still ships when the student has no mail address, and says the student was not notified', async () => {
    const { mailOrder } = await issued({ mail: null });
    const result = shipResponse(await desk.ship(mailOrder.id, 'TRACK-0001', reviewer));
    expect(result).toMatchObject({ studentNotified: false, mailOrder: { status: 'shipped' } });
    expect(await outbox.mails()).toHaveLength(0);
  });

  it('enqueues the shipping notice with the shipment: none, and nothing shipped, when the transaction fails; exactly one when it commits', async () => {
    const { mailOrder, holder } = await issued();
    await expect(deskOver(failingBeforeCommit((work) => stores.transaction(work))).ship(mailOrder.id, 'TRACK-0002', reviewer)).rejects.toThrow(
      FAILED_BEFORE_COMMIT,
    );
    expect(await outbox.mails()).toEqual([]);
    expect((await store.mailOrders.get(mailOrder.id))?.status).toBe('awaitingShipment');
    expect((await audit.list({ action: 'certificate.mailOrder.shipped' })).total).toBe(0);
    await desk.ship(mailOrder.id, 'TRACK-0002', reviewer);
    expect((await outbox.mails()).map((m) => m.to)).toEqual([holder.mail]);
    expect((await store.mailOrders.get(mailOrder.id))?.status).toBe('shipped');
  });
});

describe('the staff desk for certificate types', () => {
  it('lets an administrator change a type and audits before and after', async () => {
    const after = await desk.putType({ ...enrollment, maxCopies: 3 }, administrator);
    expect(after.maxCopies).toBe(3);
    expect((await desk.types()).find((t) => t.code === 'enrollment')?.maxCopies).toBe(3);
    const entries = await audit.list({ action: 'certificate.type.updated' });
    expect(entries.items[0]).toMatchObject({ before: { maxCopies: 10 }, after: { maxCopies: 3 }, target: { type: 'certificateType', id: 'enrollment' } });
  });

  it('refuses a reviewer with auth.forbidden', async () => {
    expect((await failure(desk.putType({ ...enrollment, fee: 0 }, reviewer))).code).toBe('auth.forbidden');
    expect((await desk.types())[0]?.fee).toBe(200);
  });

  it('keeps issued certificates valid when their type is deactivated, and still lists the inactive type', async () => {
    const { certificate } = await issued();
    await desk.putType({ ...enrollment, active: false }, administrator);
    expect((await desk.types()).map((t) => [t.code, t.active])).toEqual([['enrollment', false]]);
    expect(adminCertificateView(await desk.certificate(certificate.number)).status).toBe('valid');
  });

  it('writes no audit entry when nothing changed', async () => {
    await desk.putType({ ...enrollment }, administrator);
    expect((await audit.list({ action: 'certificate.type.updated' })).total).toBe(0);
  });
});
