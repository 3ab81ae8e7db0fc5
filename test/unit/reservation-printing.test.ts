import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../service/domain/audit.js';
import type { CertificateStore } from '../../service/domain/certificates/store.js';
import type { Stores, TransactionStores } from '../../service/domain/stores.js';
import type { IssuedCertificate, Reservation } from '../../service/domain/certificates/model.js';
import { cancelReservationOrder } from '../../service/domain/certificates/order-list.js';
import { createReservationPrinting, type ReservationPrinting } from '../../service/domain/certificates/reservation-printing.js';
import { DomainError } from '../../service/domain/errors.js';
import { account, random, refusal as domainRefusal, tempStores } from '../support/factories.js';

const T0 = new Date('2026-11-24T01:00:00.000Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const LEASE = 300;
const pdfOf = (n: number) => new TextEncoder().encode(`%PDF-1.7\n% test document ${n}\n`);

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

describe('convenience-store printing: claim → documents → confirm (real lowdb store, real PDF archive)', () => {
  let stores: Stores & { dataDir: string };
  let store: CertificateStore;
  let audit: AuditLog;
  let printing: ReservationPrinting;
  const owner = account({ displayName: '山田 太郎', studentIds: ['2101001'] });
  let serial = 0;

  /** A reservation with two certificates (and their PDFs), expiring in 7 days. */
  async function reserve(): Promise<{ reservation: Reservation; certificates: IssuedCertificate[] }> {
    serial += 1;
    const orderId = `order-${serial}`;
    const at = T0.toISOString();
    const certificates = [1, 2].map((line): IssuedCertificate => ({
      id: `cert-${serial}-${line}`,
      number: `SHM-2026-${String(serial).padStart(4, '0')}-ABC${line}`,
      verificationCode: 'ABCDEFGHJK',
      orderId,
      accountId: owner.id,
      studentId: '2101001',
      typeCode: 'enrollment',
      language: line === 1 ? 'ja' : 'en',
      copies: line,
      issueDate: '2026-11-24',
      validUntil: null,
      issuedAt: at,
      holderNameKanji: '山田 太郎',
      offlinePayload: 'payload',
      offlineKeyId: 'k1',
      status: 'valid',
      revokedAt: null,
      revokedBy: null,
      revocationReason: null,
    }));
    const reservation: Reservation = {
      id: `res-${serial}`,
      number: String(10_000_000 + serial),
      orderId,
      accountId: owner.id,
      status: 'reserved',
      createdAt: at,
      expiresAt: later(7 * 86_400).toISOString(),
      reminderSentAt: null,
      claim: null,
      printedAt: null,
      attempts: [],
      updatedAt: at,
    };
    await store.certificates.insertMany(certificates);
    await store.orders.insert({
      id: orderId,
      accountId: owner.id,
      studentId: '2101001',
      destination: 'convenience',
      items: certificates.map((c) => ({ typeCode: c.typeCode, language: c.language, copies: c.copies })),
      totalFee: 600,
      language: 'ja',
      certificateIds: certificates.map((c) => c.id),
      fulfilmentId: reservation.id,
      createdAt: at,
    });
    expect(await store.reservations.insert(reservation, at)).toBe(true);
    for (const [i, c] of certificates.entries()) await stores.certificatePdfs.write(c.number, pdfOf(i + 1));
    return { reservation, certificates };
  }
  const statusOf = async (r: Reservation) => (await store.reservations.get(r.id))!.status;

  beforeEach(async () => {
    stores = await tempStores();
    ({ certificates: store, audit } = stores);
    printing = createReservationPrinting({
      store,
      transaction: (work) => stores.transaction(work),
      random,
      pdfs: stores.certificatePdfs,
      printLeaseSeconds: LEASE,
    });
  });
  afterEach(async () => {
    await stores.close();
    rmSync(stores.dataDir, { recursive: true, force: true });
  });

  it('is printed only when the terminal confirms, after it had every document; each step is audited', async () => {
    const { reservation, certificates } = await reserve();
    const ticket = await printing.claim(reservation.number, 'store-1', T0);
    expect(ticket).toMatchObject({ number: reservation.number, leaseUntil: later(LEASE).toISOString() });
    expect(ticket.documents).toEqual([
      { certificateNumber: certificates[0]!.number, typeCode: 'enrollment', language: 'ja', copies: 1 },
      { certificateNumber: certificates[1]!.number, typeCode: 'enrollment', language: 'en', copies: 2 },
    ]);
    expect(await printing.document(reservation.number, ticket.claimId, certificates[0]!.number, later(10))).toEqual(pdfOf(1));
    expect(await printing.document(reservation.number, ticket.claimId, certificates[1]!.number, later(11))).toEqual(pdfOf(2));
    // Claimed and delivered is not printed: a crash now must leave the number printable later.
    expect(await statusOf(reservation)).toBe('printing');

    const printed = await printing.confirm(reservation.number, ticket.claimId, later(12));
    expect(printed).toMatchObject({ status: 'printed', printedAt: later(12).toISOString(), claim: null });
    expect(await refusal(printing.document(reservation.number, ticket.claimId, certificates[0]!.number, later(13)))).toBe('reservation.claimLost');

    const actions = (await audit.list({ targetId: reservation.id })).items.map((e) => e.action).reverse();
    expect(actions).toEqual(['certificate.reservation.printStarted', 'certificate.reservation.printed']);
  });

  it('answers a repeated confirmation of the same claim (its answer was lost) with the same print, audited once', async () => {
    const { reservation } = await reserve();
    const ticket = await printing.claim(reservation.number, 'store-1', T0);
    const first = await printing.confirm(reservation.number, ticket.claimId, later(5));
    const again = await printing.confirm(reservation.number, ticket.claimId, later(60));
    expect(again.printedAt).toBe(first.printedAt);
    expect(await refusal(printing.confirm(reservation.number, 'another-claim', later(61)))).toBe('reservation.claimLost');
    const actions = (await audit.list({ targetId: reservation.id })).items.map((e) => e.action);
    expect(actions.filter((a) => a === 'certificate.reservation.printed')).toHaveLength(1);
  });

  it('lets exactly one of two racing terminals claim a number', async () => {
    const { reservation } = await reserve();
    const results = await Promise.allSettled([printing.claim(reservation.number, 'store-1', T0), printing.claim(reservation.number, 'store-2', T0)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as DomainError).code)).toEqual(['reservation.busy']);
    expect((await store.reservations.get(reservation.id))!.attempts).toHaveLength(1);
  });

  it('gives a number whose claim was never confirmed back after the lease; the old claim can then neither fetch nor confirm', async () => {
    const { reservation, certificates } = await reserve();
    const crashed = await printing.claim(reservation.number, 'store-1', T0);
    expect(await refusal(printing.claim(reservation.number, 'store-2', later(LEASE - 1)))).toBe('reservation.busy');
    // The lease ran out: no more documents for the old claim, even before anyone else claims.
    expect(await refusal(printing.document(reservation.number, crashed.claimId, certificates[0]!.number, later(LEASE)))).toBe('reservation.claimLost');

    const second = await printing.claim(reservation.number, 'store-2', later(LEASE + 1));
    expect(await refusal(printing.confirm(reservation.number, crashed.claimId, later(LEASE + 2)))).toBe('reservation.claimLost');
    expect(await refusal(printing.fail(reservation.number, crashed.claimId, 'late', later(LEASE + 2)))).toBe('reservation.claimLost');
    await printing.confirm(reservation.number, second.claimId, later(LEASE + 3));
    const attempts = (await store.reservations.get(reservation.id))!.attempts;
    expect(attempts.map((a) => [a.by, a.outcome])).toEqual([
      ['store-1', 'abandoned'],
      ['store-2', 'printed'],
    ]);
  });

  it('accepts a late confirmation when no other claim took the number over', async () => {
    const { reservation } = await reserve();
    const slow = await printing.claim(reservation.number, 'store-1', T0);
    const printed = await printing.confirm(reservation.number, slow.claimId, later(LEASE + 30));
    expect(printed.status).toBe('printed');
  });

  it('refuses a confirmation after the student cancelled the number whose lease had run out', async () => {
    const { reservation } = await reserve();
    const slow = await printing.claim(reservation.number, 'store-1', T0);
    await cancelReservationOrder({ store, audit }, owner, reservation.orderId, later(LEASE + 1));
    expect(await refusal(printing.confirm(reservation.number, slow.claimId, later(LEASE + 2)))).toBe('reservation.claimLost');
    expect(await statusOf(reservation)).toBe('cancelled');
  });

  it('makes a number printable again at once after a reported failure, with the detail in the attempt log and the audit', async () => {
    const { reservation } = await reserve();
    const first = await printing.claim(reservation.number, 'store-1', T0);
    expect(await printing.fail(reservation.number, first.claimId, 'paper jam', later(5))).toMatchObject({ status: 'reserved', claim: null, printedAt: null });
    const retry = await printing.claim(reservation.number, 'store-1', later(6));
    await printing.confirm(reservation.number, retry.claimId, later(7));
    expect((await store.reservations.get(reservation.id))!.attempts.map((a) => [a.outcome, a.detail])).toEqual([
      ['failed', 'paper jam'],
      ['printed', null],
    ]);
    const failed = (await audit.list({ targetId: reservation.id })).items.find((e) => e.action === 'certificate.reservation.printFailed');
    expect(failed).toMatchObject({ actor: { type: 'system', id: 'store-1' }, note: 'paper jam' });
  });

  it('serves only the documents of the claimed reservation', async () => {
    const { reservation } = await reserve();
    const other = await reserve();
    const ticket = await printing.claim(reservation.number, 'store-1', T0);
    expect(await refusal(printing.document(reservation.number, ticket.claimId, other.certificates[0]!.number, later(1)))).toBe('notFound');
    expect(await refusal(printing.document(other.reservation.number, ticket.claimId, other.certificates[0]!.number, later(1)))).toBe('reservation.claimLost');
  });

  it('refuses to claim a printed, expired, cancelled or unknown number', async () => {
    const printed = await reserve();
    const ticket = await printing.claim(printed.reservation.number, 'store-1', T0);
    await printing.confirm(printed.reservation.number, ticket.claimId, later(1));
    expect(await refusal(printing.claim(printed.reservation.number, 'store-1', later(2)))).toBe('reservation.alreadyPrinted');
    expect(await refusal(printing.documents(printed.reservation.number, later(2)))).toBe('reservation.alreadyPrinted');

    const expired = await reserve();
    expect(await refusal(printing.claim(expired.reservation.number, 'store-1', later(8 * 86_400)))).toBe('reservation.expired');

    const cancelled = await reserve();
    await cancelReservationOrder({ store, audit }, owner, cancelled.reservation.orderId, later(1));
    expect(await refusal(printing.claim(cancelled.reservation.number, 'store-1', later(2)))).toBe('reservation.cancelled');

    expect(await refusal(printing.claim('99999999', 'store-1', T0))).toBe('reservation.notFound');
  });

  it('keeps the reservation as it was when the audit entry of a step cannot be written', async () => {
    const { reservation } = await reserve();
    const unaudited = createReservationPrinting({
      store,
      transaction: (work) => stores.transaction((tx) => work(auditFails(tx))),
      random,
      pdfs: stores.certificatePdfs,
    });
    await expect(unaudited.claim(reservation.number, 'store-1', T0)).rejects.toThrow('the audit log cannot be written');
    expect(await statusOf(reservation)).toBe('reserved');

    const ticket = await printing.claim(reservation.number, 'store-1', T0);
    const claimed = await store.reservations.get(reservation.id);
    await expect(unaudited.confirm(reservation.number, ticket.claimId, later(1))).rejects.toThrow('the audit log cannot be written');
    expect(await store.reservations.get(reservation.id)).toEqual(claimed);
    await expect(unaudited.fail(reservation.number, ticket.claimId, 'paper jam', later(1))).rejects.toThrow('the audit log cannot be written');
    expect(await store.reservations.get(reservation.id)).toEqual(claimed);

    await printing.confirm(reservation.number, ticket.claimId, later(2));
    const { items } = await audit.list({ targetId: reservation.id });
    expect(items.map((e) => e.action)).toEqual(['certificate.reservation.printed', 'certificate.reservation.printStarted']);
  });
});
