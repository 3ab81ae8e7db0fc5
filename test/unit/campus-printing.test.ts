import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../service/domain/audit.js';
import type { CertificateStore } from '../../service/domain/certificates/store.js';
import type { Stores, TransactionStores } from '../../service/domain/stores.js';
import { createCampusPrinting, type CampusPrintingService, type KioskCaller } from '../../service/domain/certificates/campus-printing.js';
import type { CampusJob, IssuedCertificate, Order } from '../../service/domain/certificates/model.js';
import { cancelReservationOrder, listOrders } from '../../service/domain/certificates/order-list.js';
import { orderListResponse, orderView } from '../../service/http/presenters/orders.js';
import { account, random, refusal as domainRefusal, tempStores } from '../support/factories.js';

const T0 = new Date('2026-11-24T01:00:00.000Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const PDF = new TextEncoder().encode('%PDF-1.7\n% test document\n');

/** The code of the DomainError `promise` is refused with. */
const refusal = async (promise: Promise<unknown>): Promise<string> => (await domainRefusal(promise)).code;

/** The family's ports with an audit log that cannot be written (a full disk, say). */
const auditFails = (tx: TransactionStores): TransactionStores => ({
  ...tx,
  audit: {
    ...tx.audit,
    append: async () => {
      throw new Error('the audit log cannot be written');
    },
  },
});

describe('campus printing rules (real lowdb store, real PDF archive)', () => {
  let stores: Stores & { dataDir: string };
  let store: CertificateStore;
  let audit: AuditLog;
  let campus: CampusPrintingService;
  const owner = account({ displayName: '山田 太郎', studentIds: ['2101001'], mail: 'yamada@example.ac.jp' });
  const other = account({ displayName: '鈴木 一郎', studentIds: ['2101002'], mail: 'suzuki@example.ac.jp' });
  const atKiosk = (who = owner): KioskCaller => ({ account: who, kiosk: true, by: 'kiosk:LIB-1F-01' });
  let serial = 0;

  /** An order of `destination` with one certificate (and its PDF) for `who`, placed at `createdAt`. */
  async function placeCampusOrder(who = owner, createdAt = T0.toISOString()): Promise<{ order: Order; job: CampusJob; certificate: IssuedCertificate }> {
    serial += 1;
    const number = `SHM-2026-${String(serial).padStart(4, '0')}-ABCD`;
    const orderId = `order-${serial}`;
    const certificate: IssuedCertificate = {
      id: `cert-${serial}`,
      number,
      verificationCode: 'ABCDEFGHJK',
      orderId,
      accountId: who.id,
      studentId: who.studentIds[0]!,
      typeCode: 'enrollment',
      language: 'ja',
      copies: 2,
      issueDate: '2026-11-24',
      validUntil: null,
      issuedAt: createdAt,
      holderNameKanji: '山田 太郎',
      offlinePayload: 'payload',
      offlineKeyId: 'k1',
      status: 'valid',
      revokedAt: null,
      revokedBy: null,
      revocationReason: null,
    };
    const job: CampusJob = {
      id: `job-${serial}`,
      orderId,
      accountId: who.id,
      status: 'waiting',
      createdAt,
      claim: null,
      printedAt: null,
      attempts: [],
      updatedAt: createdAt,
    };
    const order: Order = {
      id: orderId,
      accountId: who.id,
      studentId: who.studentIds[0]!,
      destination: 'campus',
      items: [{ typeCode: 'enrollment', language: 'ja', copies: 2 }],
      totalFee: 400,
      language: 'ja',
      certificateIds: [certificate.id],
      fulfilmentId: job.id,
      createdAt,
    };
    await store.certificates.insertMany([certificate]);
    await store.orders.insert(order);
    await store.campusJobs.insert(job);
    await stores.certificatePdfs.write(number, PDF);
    return { order, job, certificate };
  }

  beforeEach(async () => {
    stores = await tempStores();
    ({ certificates: store, audit } = stores);
    campus = createCampusPrinting({ store, transaction: (work) => stores.transaction(work), random, pdfs: stores.certificatePdfs, printLeaseSeconds: 300 });
  });
  afterEach(async () => {
    await stores.close();
    rmSync(stores.dataDir, { recursive: true, force: true });
  });

  it('refuses every campus operation outside a kiosk session', async () => {
    const { job } = await placeCampusOrder();
    const browser: KioskCaller = { account: owner, kiosk: false, by: 'kiosk:campus' };
    expect(await refusal(campus.claim(browser, job.id, T0))).toBe('campus.kioskOnly');
    expect((await store.campusJobs.get(job.id))!.status).toBe('waiting');
  });

  it("answers not found for another account's job and for an unknown job", async () => {
    const { job } = await placeCampusOrder();
    expect(await refusal(campus.claim(atKiosk(other), job.id, T0))).toBe('campus.notFound');
    expect(await refusal(campus.claim(atKiosk(), 'no-such-job', T0))).toBe('campus.notFound');
    expect((await store.campusJobs.get(job.id))!.status).toBe('waiting');
  });

  it('claims, serves the PDFs only while the claim holds, completes once and audits each step', async () => {
    const { job, certificate } = await placeCampusOrder();
    const claim = await campus.claim(atKiosk(), job.id, T0);
    expect(claim.documents).toEqual([{ certificateNumber: certificate.number, typeCode: 'enrollment', language: 'ja', copies: 2 }]);
    expect(claim.job.status).toBe('printing');

    expect(await campus.document(atKiosk(), job.id, claim.claimId, certificate.number, later(10))).toEqual(PDF);
    expect(await refusal(campus.document(atKiosk(), job.id, 'not-the-claim', certificate.number, later(10)))).toBe('campus.claimLost');
    expect(await refusal(campus.document(atKiosk(), job.id, claim.claimId, 'SHM-2026-9999-ZZZZ', later(10)))).toBe('campus.notFound');
    expect(await refusal(campus.document(atKiosk(other), job.id, claim.claimId, certificate.number, later(10)))).toBe('campus.notFound');

    const printed = await campus.complete(atKiosk(), job.id, claim.claimId, later(30));
    expect(printed).toMatchObject({ status: 'printed', printedAt: later(30).toISOString(), claim: null });
    expect(await refusal(campus.document(atKiosk(), job.id, claim.claimId, certificate.number, later(31)))).toBe('campus.claimLost');
    expect(await refusal(campus.complete(atKiosk(), job.id, claim.claimId, later(32)))).toBe('campus.claimLost');

    const { items } = await audit.list({ targetId: job.id });
    expect(items.map((e) => e.action).reverse()).toEqual(['certificate.campusJob.printStarted', 'certificate.campusJob.printed']);
    expect(items[0]).toMatchObject({
      actor: { type: 'student', id: owner.id, name: '山田 太郎' },
      before: { status: 'printing' },
      after: { status: 'printed' },
    });
  });

  it('prints a job at most once: a second claim after printing is refused', async () => {
    const { job } = await placeCampusOrder();
    const first = await campus.claim(atKiosk(), job.id, T0);
    await campus.complete(atKiosk(), job.id, first.claimId, later(5));
    expect(await refusal(campus.claim(atKiosk(), job.id, later(10)))).toBe('campus.alreadyPrinted');
    expect(await refusal(campus.claim(atKiosk(), job.id, later(3600)))).toBe('campus.alreadyPrinted');
    expect((await store.campusJobs.get(job.id))!.attempts.map((a) => a.outcome)).toEqual(['printed']);
  });

  it('refuses a second kiosk while the first holds the claim, and lets it take over once the lease ran out', async () => {
    const { job } = await placeCampusOrder();
    const first = await campus.claim(atKiosk(), job.id, T0);
    expect(await refusal(campus.claim({ ...atKiosk(), by: 'kiosk:LIB-2F-03' }, job.id, later(60)))).toBe('campus.busy');
    const second = await campus.claim({ ...atKiosk(), by: 'kiosk:LIB-2F-03' }, job.id, later(301));
    expect(await refusal(campus.complete(atKiosk(), job.id, first.claimId, later(302)))).toBe('campus.claimLost');
    await campus.complete(atKiosk(), job.id, second.claimId, later(303));
    const attempts = (await store.campusJobs.get(job.id))!.attempts;
    expect(attempts.map((a) => [a.by, a.outcome])).toEqual([
      ['kiosk:LIB-1F-01', 'abandoned'],
      ['kiosk:LIB-2F-03', 'printed'],
    ]);
  });

  it('leaves a failed print printable, records the printer detail and audits the failure', async () => {
    const { job } = await placeCampusOrder();
    const first = await campus.claim(atKiosk(), job.id, T0);
    const failed = await campus.fail(atKiosk(), job.id, first.claimId, 'paper jam in tray 2', later(20));
    expect(failed).toMatchObject({ status: 'waiting', claim: null, printedAt: null });
    expect(await refusal(campus.fail(atKiosk(), job.id, first.claimId, 'again', later(21)))).toBe('campus.claimLost');

    const retry = await campus.claim(atKiosk(), job.id, later(40));
    await campus.complete(atKiosk(), job.id, retry.claimId, later(50));
    const attempts = (await store.campusJobs.get(job.id))!.attempts;
    expect(attempts.map((a) => [a.outcome, a.detail])).toEqual([
      ['failed', 'paper jam in tray 2'],
      ['printed', null],
    ]);
    const actions = (await audit.list({ targetId: job.id })).items.map((e) => e.action).reverse();
    expect(actions).toEqual([
      'certificate.campusJob.printStarted',
      'certificate.campusJob.printFailed',
      'certificate.campusJob.printStarted',
      'certificate.campusJob.printed',
    ]);
  });

  it('lists the account’s orders newest first, current ones also under current, and never another account’s', async () => {
    const older = await placeCampusOrder(owner, '2026-11-20T00:00:00.000Z');
    const newer = await placeCampusOrder(owner, '2026-11-23T00:00:00.000Z');
    await placeCampusOrder(other, '2026-11-22T00:00:00.000Z');
    const claim = await campus.claim(atKiosk(), older.job.id, T0);
    await campus.complete(atKiosk(), older.job.id, claim.claimId, later(1));

    const list = orderListResponse(await listOrders(store, owner.id, later(2)));
    expect(list.history.map((o) => o.id)).toEqual([newer.order.id, older.order.id]);
    expect(list.current.map((o) => o.id)).toEqual([newer.order.id]);
    expect(list.current[0]).toMatchObject({ status: 'awaitingCampusPrint', campusJob: { id: newer.job.id, printedAt: null } });
    expect(list.history[1]).toMatchObject({ status: 'printed', current: false, campusJob: { printedAt: later(1).toISOString() } });
  });

  it('cancels only a still-reserved convenience reservation of the account, and audits it', async () => {
    const orderId = 'order-conv';
    const now = T0.toISOString();
    await store.orders.insert({
      id: orderId,
      accountId: owner.id,
      studentId: '2101001',
      destination: 'convenience',
      items: [],
      totalFee: 0,
      language: 'ja',
      certificateIds: [],
      fulfilmentId: 'res-conv',
      createdAt: now,
    });
    await store.reservations.insert(
      {
        id: 'res-conv',
        number: '12345678',
        orderId,
        accountId: owner.id,
        status: 'reserved',
        createdAt: now,
        expiresAt: later(7 * 86400).toISOString(),
        reminderSentAt: null,
        claim: null,
        printedAt: null,
        attempts: [],
        updatedAt: now,
      },
      now,
    );
    expect(await refusal(cancelReservationOrder({ store, audit }, other, orderId, later(1)))).toBe('notFound');
    const view = orderView(await cancelReservationOrder({ store, audit }, owner, orderId, later(1)));
    expect(view).toMatchObject({ status: 'cancelled', current: false });
    expect(await refusal(cancelReservationOrder({ store, audit }, owner, orderId, later(2)))).toBe('reservation.cancelled');
    const { items } = await audit.list({ targetId: 'res-conv' });
    expect(items.map((e) => e.action)).toEqual(['certificate.reservation.cancelled']);

    const { job, order } = await placeCampusOrder();
    expect(await refusal(cancelReservationOrder({ store, audit }, owner, order.id, later(3)))).toBe('validation.failed');
    expect((await store.campusJobs.get(job.id))!.status).toBe('waiting');
  });

  it('keeps the job as it was when the audit entry of a step cannot be written', async () => {
    const { job } = await placeCampusOrder();
    const claim = await campus.claim(atKiosk(), job.id, T0);
    const claimed = await store.campusJobs.get(job.id);
    const unaudited = createCampusPrinting({
      store,
      transaction: (work) => stores.transaction((tx) => work(auditFails(tx))),
      random,
      pdfs: stores.certificatePdfs,
    });
    await expect(unaudited.complete(atKiosk(), job.id, claim.claimId, later(1))).rejects.toThrow('the audit log cannot be written');
    expect(await store.campusJobs.get(job.id)).toEqual(claimed);
    await expect(unaudited.fail(atKiosk(), job.id, claim.claimId, 'paper jam', later(1))).rejects.toThrow('the audit log cannot be written');
    expect(await store.campusJobs.get(job.id)).toEqual(claimed);

    const waiting = await placeCampusOrder();
    await expect(unaudited.claim(atKiosk(), waiting.job.id, T0)).rejects.toThrow('the audit log cannot be written');
    expect((await store.campusJobs.get(waiting.job.id))!.status).toBe('waiting');
    // Once the audit log can be written again, the step goes through with its entry.
    await campus.complete(atKiosk(), job.id, claim.claimId, later(2));
    const { items } = await audit.list({ targetId: job.id });
    expect(items.map((e) => e.action)).toEqual(['certificate.campusJob.printed', 'certificate.campusJob.printStarted']);
  });
});
