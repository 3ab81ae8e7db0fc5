import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATE_FILES, openCertificateStore, type LowdbCertificateStore } from '../../service/adapters/lowdb/certificate-store.js';
import { type CampusJob, type CertificateType, type IssuedCertificate, type MailOrder, type Order, type PrintClaim, type Reservation } from '../../service/domain/certificates/model.js';
import { dueForReminder, expireReservations, findReservationByNumber, isReservationNumberActive } from '../../service/domain/certificates/reservation-records.js';
import { claimCampusJob, claimReservation, completeReservationPrint, failCampusJob, failReservationPrint, revokeCertificate, shipMailOrder, type PrintRefusal } from '../../service/domain/certificates/state-machines.js';
import { transitionCampusJob, transitionCertificate, transitionMailOrder, transitionReservation } from '../../service/domain/certificates/transitions.js';

const T0 = '2026-11-24T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const DAY = 24 * 60;

let serial = 0;
const nextId = (prefix: string) => `${prefix}-${++serial}`;

function certificateType(overrides: Partial<CertificateType> = {}): CertificateType {
  return {
    code: 'enrollment',
    name: { ja: '在学証明書', en: 'Certificate of Enrollment' },
    template: 'enrollment',
    languages: ['ja', 'en'],
    eligibleStatuses: ['enrolled'],
    requiresGraduationDateWithinMonths: null,
    destinations: ['convenience', 'campus', 'mail'],
    maxCopies: 10,
    validityMonths: null,
    fee: 200,
    active: true,
    sortOrder: 1,
    ...overrides,
  };
}

function order(overrides: Partial<Order> = {}): Order {
  return {
    id: nextId('order'),
    accountId: 'acc-1',
    studentId: 'S0001',
    destination: 'convenience',
    items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }],
    totalFee: 200,
    language: 'ja',
    certificateIds: [],
    fulfilmentId: 'f-1',
    createdAt: T0,
    ...overrides,
  };
}

function certificate(overrides: Partial<IssuedCertificate> = {}): IssuedCertificate {
  const id = overrides.id ?? nextId('cert');
  return {
    id,
    number: `SHM-2026-${String(serial).padStart(4, '0')}-ABCD`,
    verificationCode: 'ABCDEFGHJK',
    orderId: 'order-x',
    accountId: 'acc-1',
    studentId: 'S0001',
    typeCode: 'enrollment',
    language: 'ja',
    copies: 1,
    issueDate: '2026-11-24',
    validUntil: null,
    issuedAt: T0,
    holderNameKanji: '山田 太郎',
    offlinePayload: 'payload',
    offlineKeyId: 'k1',
    status: 'valid',
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
    ...overrides,
  };
}

function reservation(overrides: Partial<Reservation> = {}): Reservation {
  return {
    id: nextId('res'),
    number: '12345678',
    orderId: 'order-x',
    accountId: 'acc-1',
    status: 'reserved',
    createdAt: T0,
    expiresAt: at(7 * DAY),
    reminderSentAt: null,
    claim: null,
    printedAt: null,
    attempts: [],
    updatedAt: T0,
    ...overrides,
  };
}

function campusJob(overrides: Partial<CampusJob> = {}): CampusJob {
  return {
    id: nextId('job'),
    orderId: 'order-x',
    accountId: 'acc-1',
    status: 'waiting',
    createdAt: T0,
    claim: null,
    printedAt: null,
    attempts: [],
    updatedAt: T0,
    ...overrides,
  };
}

function mailOrder(overrides: Partial<MailOrder> = {}): MailOrder {
  return {
    id: nextId('mail'),
    orderId: 'order-x',
    accountId: 'acc-1',
    recipientName: '山田 太郎',
    address: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' },
    status: 'awaitingShipment',
    trackingNumber: null,
    shippedAt: null,
    shippedBy: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const claim = (claimId: string, minutes: number, by = 'store-simulator'): PrintClaim => ({ claimId, by, at: at(minutes), leaseUntil: at(minutes + 10) });

/** A `transition` change that claims, remembering why it was refused. */
function claiming(c: PrintClaim, refusals: PrintRefusal[]) {
  return (r: Reservation): Reservation | null => {
    const result = claimReservation(r, c);
    if ('refused' in result) {
      refusals.push(result.refused);
      return null;
    }
    return result;
  };
}

describe('certificate store', () => {
  let dir: string;
  let store: LowdbCertificateStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-certificates-'));
    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('types', () => {
    it('upserts types by code and lists them in display order', async () => {
      await store.types.put(certificateType({ code: 'transcript', template: 'transcript', sortOrder: 2 }));
      await store.types.put(certificateType({ code: 'enrollment', sortOrder: 1 }));
      await store.types.put(certificateType({ code: 'transcript', template: 'transcript', sortOrder: 2, fee: 300 }));
      expect((await store.types.list()).map((t) => [t.code, t.fee])).toEqual([
        ['enrollment', 200],
        ['transcript', 300],
      ]);
      expect((await store.types.get('transcript'))?.fee).toBe(300);
      expect(await store.types.get('missing')).toBeNull();
    });

    it('returns copies, so changing a returned type changes nothing stored', async () => {
      await store.types.put(certificateType());
      const t = (await store.types.get('enrollment'))!;
      t.fee = 9999;
      t.languages.push('en');
      expect((await store.types.get('enrollment'))?.fee).toBe(200);
      expect((await store.types.get('enrollment'))?.languages).toEqual(['ja', 'en']);
    });

    it('creates a type only under a new code', async () => {
      expect(await store.types.insert(certificateType({ fee: 100 }))).toBe(true);
      expect(await store.types.insert(certificateType({ fee: 999 }))).toBe(false);
      expect((await store.types.get('enrollment'))?.fee).toBe(100);
    });

    it('deletes a type only while no certificate of it exists, also after the store is reopened', async () => {
      await store.types.put(certificateType({ code: 'transcript', template: 'transcript' }));
      await store.types.put(certificateType({ code: 'discount', template: 'studentDiscount' }));
      const issued = certificate({ typeCode: 'transcript' });
      await store.certificates.insertMany([issued, certificate({ typeCode: 'transcript' })]);
      await transitionCertificate(store, issued.id, (c) => revokeCertificate(c, { reason: 'x', by: 'staff', at: at(1) }));
      expect(await store.types.issuedCounts()).toEqual({ transcript: 2 });

      await store.close();
      store = await openCertificateStore(dir, { expireIntervalMs: 0 });
      expect(await store.types.remove('transcript')).toBe('inUse');
      expect(await store.types.remove('discount')).toBe('removed');
      expect(await store.types.remove('discount')).toBe('absent');
      expect((await store.types.list()).map((t) => t.code)).toEqual(['transcript']);
    });

    it('lets a type go again once the certificates of a half-placed order are undone', async () => {
      await store.types.put(certificateType({ code: 'transcript', template: 'transcript' }));
      const undone = certificate({ typeCode: 'transcript' });
      await store.certificates.insertMany([undone]);
      await store.certificates.removeMany([undone.id]);
      expect(await store.types.issuedCounts()).toEqual({});
      expect(await store.types.remove('transcript')).toBe('removed');
    });
  });

  describe('orders', () => {
    it('inserts orders, refuses a duplicate ID and lists an account’s orders newest first', async () => {
      const first = order({ createdAt: at(1) });
      const second = order({ createdAt: at(2) });
      await store.orders.insert(first);
      await store.orders.insert(second);
      await store.orders.insert(order({ accountId: 'acc-2' }));
      await expect(store.orders.insert(first)).rejects.toThrow(/exists already/);
      expect(await store.orders.get(first.id)).toEqual(first);
      expect((await store.orders.listForAccount('acc-1')).map((o) => o.id)).toEqual([second.id, first.id]);
      expect(await store.orders.listForAccount('nobody')).toEqual([]);
    });
  });

  describe('certificates', () => {
    it('finds a certificate by its number, ignoring case and surrounding spaces', async () => {
      const c = certificate({ number: 'SHM-2026-AB12-CD34' });
      await store.certificates.insertMany([c, certificate()]);
      expect(await store.certificates.get(c.id)).toEqual(c);
      expect((await store.certificates.findByNumber(' shm-2026-ab12-cd34 '))?.id).toBe(c.id);
      expect(await store.certificates.findByNumber('SHM-2026-0000-0000')).toBeNull();
    });

    it('refuses a batch with a number that is taken, and stores none of that batch', async () => {
      await store.certificates.insertMany([certificate({ number: 'SHM-2026-AAAA-AAAA' })]);
      const fresh = certificate({ number: 'SHM-2026-BBBB-BBBB' });
      await expect(store.certificates.insertMany([fresh, certificate({ number: 'SHM-2026-AAAA-AAAA' })])).rejects.toThrow(/exists already/);
      expect(await store.certificates.get(fresh.id)).toBeNull();
      expect(await store.certificates.findByNumber('SHM-2026-BBBB-BBBB')).toBeNull();
    });

    it('revokes once: a second revocation is not applicable and changes nothing', async () => {
      const c = certificate();
      await store.certificates.insertMany([c]);
      const revoked = await transitionCertificate(store, c.id, (cur) => revokeCertificate(cur, { reason: '誤発行', by: 'staff-1', at: at(5) }));
      expect(revoked?.status).toBe('revoked');
      const again = await transitionCertificate(store, c.id, (cur) => revokeCertificate(cur, { reason: 'again', by: 'staff-2', at: at(6) }));
      expect(again).toBeNull();
      expect((await store.certificates.get(c.id))?.revokedBy).toBe('staff-1');
      expect(await transitionCertificate(store, 'missing', (cur) => cur)).toBeNull();
    });

    it('refuses an update that would change the certificate number', async () => {
      const c = certificate();
      await store.certificates.insertMany([c]);
      await expect(transitionCertificate(store, c.id, (cur) => ({ ...cur, number: 'SHM-2026-ZZZZ-ZZZZ' }))).rejects.toThrow(/number/);
      expect((await store.certificates.get(c.id))?.number).toBe(c.number);
    });

    it('searches by number, student ID and status, newest first and paged', async () => {
      const old = certificate({ studentId: 'S0001', issuedAt: at(1) });
      const revoked = certificate({ studentId: 'S0001', issuedAt: at(2), status: 'revoked' });
      const latest = certificate({ studentId: 'S0001', issuedAt: at(3) });
      const other = certificate({ studentId: 'S0002', accountId: 'acc-2', issuedAt: at(4) });
      await store.certificates.insertMany([old, revoked, latest, other]);

      expect((await store.certificates.search({ number: other.number.toLowerCase() })).items.map((c) => c.id)).toEqual([other.id]);
      expect((await store.certificates.search({ number: other.number, studentId: 'S0001' })).total).toBe(0);
      expect((await store.certificates.search({ studentId: 'S0001' })).items.map((c) => c.id)).toEqual([latest.id, revoked.id, old.id]);
      expect((await store.certificates.search({ studentId: 'S0001', status: 'valid' })).items.map((c) => c.id)).toEqual([latest.id, old.id]);
      expect(await store.certificates.search({ status: 'revoked' })).toEqual({ total: 1, items: [revoked] });
      const paged = await store.certificates.search({ offset: 1, limit: 2 });
      expect(paged.total).toBe(4);
      expect(paged.items.map((c) => c.id)).toEqual([latest.id, revoked.id]);
      expect((await store.certificates.listForAccount('acc-2')).map((c) => c.id)).toEqual([other.id]);
    });
  });

  describe('reservations', () => {
    it('prints exactly once when two printers claim the same reservation at the same moment', async () => {
      const r = reservation();
      await store.reservations.insert(r, T0);
      const refusals: PrintRefusal[] = [];
      const [a, b] = await Promise.all([
        transitionReservation(store, r.id, claiming(claim('c-a', 1, 'store-A'), refusals)),
        transitionReservation(store, r.id, claiming(claim('c-b', 1, 'store-B'), refusals)),
      ]);
      const winners = [a, b].filter((x) => x !== null);
      expect(winners).toHaveLength(1);
      expect(refusals).toEqual(['busy']);
      expect(winners[0]!.claim?.by).toBe('store-A');

      const printed = await transitionReservation(store, r.id, (cur) => completeReservationPrint(cur, 'c-a', at(2)));
      expect(printed?.status).toBe('printed');
      expect(await transitionReservation(store, r.id, claiming(claim('c-c', 3), refusals))).toBeNull();
      expect(refusals).toEqual(['busy', 'printed']);
      expect((await store.reservations.get(r.id))?.attempts.map((x) => x.outcome)).toEqual(['printed']);
    });

    it('leaves a reservation printable after a failed print, so it can still be printed', async () => {
      const r = reservation();
      await store.reservations.insert(r, T0);
      await transitionReservation(store, r.id, claiming(claim('c1', 1), []));
      const failed = await transitionReservation(store, r.id, (cur) => failReservationPrint(cur, 'c1', at(2), 'paper jam'));
      expect(failed?.status).toBe('reserved');
      expect(await isReservationNumberActive(store.reservations, r.number, at(3))).toBe(true);
      // The failed claim cannot complete the print afterwards.
      expect(await transitionReservation(store, r.id, (cur) => completeReservationPrint(cur, 'c1', at(3)))).toBeNull();
      const again = await transitionReservation(store, r.id, claiming(claim('c2', 4), []));
      expect(again?.status).toBe('printing');
      const printed = await transitionReservation(store, r.id, (cur) => completeReservationPrint(cur, 'c2', at(5)));
      expect(printed?.attempts.map((x) => x.outcome)).toEqual(['failed', 'printed']);
    });

    it('refuses to claim an expired reservation', async () => {
      const r = reservation({ expiresAt: at(60) });
      await store.reservations.insert(r, T0);
      const refusals: PrintRefusal[] = [];
      expect(await transitionReservation(store, r.id, claiming(claim('c1', 61), refusals))).toBeNull();
      expect(refusals).toEqual(['expired']);
      expect((await store.reservations.get(r.id))?.status).toBe('reserved');
    });

    it('refuses a second active reservation with the same number, and allows it once the first has expired', async () => {
      const first = reservation({ number: '11112222', expiresAt: at(60) });
      expect(await store.reservations.insert(first, T0)).toBe(true);
      const second = reservation({ number: '11112222', createdAt: at(30), expiresAt: at(30 + 7 * DAY) });
      expect(await store.reservations.insert(second, at(30))).toBe(false);
      expect(await store.reservations.get(second.id)).toBeNull();

      const later = { ...second, createdAt: at(61), expiresAt: at(61 + 7 * DAY) };
      expect(await store.reservations.insert(later, at(61))).toBe(true);
      expect((await findReservationByNumber(store.reservations, '11112222', at(62)))?.id).toBe(later.id);
      expect((await findReservationByNumber(store.reservations, '11112222', at(30)))?.id).toBe(first.id);
    });

    it('lets only one of two concurrent inserts take the same number', async () => {
      const results = await Promise.all([
        store.reservations.insert(reservation({ number: '55556666' }), T0),
        store.reservations.insert(reservation({ number: '55556666' }), T0),
      ]);
      expect(results.sort()).toEqual([false, true]);
    });

    it('finds the latest reservation with a number when none is active, and nothing for an unknown number', async () => {
      const early = reservation({ number: '33334444', createdAt: T0, expiresAt: at(10) });
      const late = reservation({ number: '33334444', createdAt: at(20), expiresAt: at(30) });
      await store.reservations.insert(early, T0);
      await store.reservations.insert(late, at(20));
      expect((await findReservationByNumber(store.reservations, '33334444', at(100)))?.id).toBe(late.id);
      expect(await isReservationNumberActive(store.reservations, '33334444', at(100))).toBe(false);
      expect(await findReservationByNumber(store.reservations, '99999999', at(100))).toBeNull();
    });

    it('lists reminders due within the window, oldest expiry first, skipping those already reminded', async () => {
      const soon = reservation({ number: '00000001', expiresAt: at(2 * 60) });
      const sooner = reservation({ number: '00000002', expiresAt: at(60) });
      const reminded = reservation({ number: '00000003', expiresAt: at(60), reminderSentAt: T0 });
      const far = reservation({ number: '00000004', expiresAt: at(3 * DAY) });
      const gone = reservation({ number: '00000005', expiresAt: at(-1) });
      for (const r of [soon, sooner, reminded, far, gone]) await store.reservations.insert(r, at(-10));
      expect((await dueForReminder(store.reservations, T0, 24)).map((r) => r.id)).toEqual([sooner.id, soon.id]);
      await transitionReservation(store, sooner.id, (cur) => ({ ...cur, reminderSentAt: T0 }));
      expect((await dueForReminder(store.reservations, T0, 24)).map((r) => r.id)).toEqual([soon.id]);
    });

    it('expires reservations past their expiry in one sweep, leaving printed and current ones alone', async () => {
      const old = reservation({ number: '10000001', expiresAt: at(60) });
      const current = reservation({ number: '10000002', expiresAt: at(7 * DAY) });
      const printed = reservation({ number: '10000003', expiresAt: at(60) });
      for (const r of [old, current, printed]) await store.reservations.insert(r, T0);
      await transitionReservation(store, printed.id, claiming(claim('c1', 1), []));
      await transitionReservation(store, printed.id, (cur) => completeReservationPrint(cur, 'c1', at(2)));

      const expired = await expireReservations(store.reservations, at(61));
      expect(expired.map((r) => [r.id, r.status])).toEqual([[old.id, 'expired']]);
      expect((await store.reservations.get(current.id))?.status).toBe('reserved');
      expect((await store.reservations.get(printed.id))?.status).toBe('printed');
      expect(await expireReservations(store.reservations, at(62))).toEqual([]);
    });

    it('holds a number past its expiry while a print under way keeps its lease, and expires it once the lease has run out', async () => {
      const r = reservation({ number: '60000001', expiresAt: at(60) });
      await store.reservations.insert(r, T0);
      expect(await transitionReservation(store, r.id, claiming(claim('c1', 55), []))).not.toBeNull();
      expect(await store.reservations.insert(reservation({ number: '60000001' }), at(62))).toBe(false);
      expect(await isReservationNumberActive(store.reservations, '60000001', at(62))).toBe(true);
      expect(await expireReservations(store.reservations, at(62))).toEqual([]);
      expect((await findReservationByNumber(store.reservations, '60000001', at(62)))?.status).toBe('printing');

      expect(await isReservationNumberActive(store.reservations, '60000001', at(65))).toBe(false);
      const expired = await expireReservations(store.reservations, at(65));
      expect(expired.map((x) => [x.id, x.status, x.attempts.map((a) => a.outcome)])).toEqual([[r.id, 'expired', ['abandoned']]]);
      const next = reservation({ number: '60000001', createdAt: at(65), expiresAt: at(65 + DAY) });
      expect(await store.reservations.insert(next, at(65))).toBe(true);
      expect((await findReservationByNumber(store.reservations, '60000001', at(66)))?.id).toBe(next.id);
    });

    it('does not remind a reservation while its print is under way, but does once the claim’s lease has run out', async () => {
      const printing = reservation({ number: '60000002', expiresAt: at(60) });
      const reserved = reservation({ number: '60000003', expiresAt: at(60) });
      for (const r of [printing, reserved]) await store.reservations.insert(r, T0);
      await transitionReservation(store, printing.id, claiming(claim('c1', 1), []));
      expect((await dueForReminder(store.reservations, at(2), 24)).map((r) => r.id)).toEqual([reserved.id]);
      // The claim's lease ran out (at 11): printable again, so due again.
      expect((await dueForReminder(store.reservations, at(12), 24)).map((r) => r.id).sort()).toEqual([printing.id, reserved.id].sort());
    });

    it('lists an account’s reservations newest first', async () => {
      const a = reservation({ number: '20000001', createdAt: at(1) });
      const b = reservation({ number: '20000002', createdAt: at(2) });
      await store.reservations.insert(a, at(1));
      await store.reservations.insert(b, at(2));
      await store.reservations.insert(reservation({ number: '20000003', accountId: 'acc-2' }), at(3));
      expect((await store.reservations.listForAccount('acc-1')).map((r) => r.id)).toEqual([b.id, a.id]);
    });
  });

  describe('campus jobs and mail orders', () => {
    it('claims a campus job once, and makes it printable again after a failed print', async () => {
      const job = campusJob();
      await store.campusJobs.insert(job);
      const refused: string[] = [];
      const claimJob = (c: PrintClaim) => (cur: CampusJob) => {
        const result = claimCampusJob(cur, c);
        if ('refused' in result) return (refused.push(result.refused), null);
        return result;
      };
      const [a, b] = await Promise.all([
        transitionCampusJob(store, job.id, claimJob(claim('k1', 1, 'kiosk-1'))),
        transitionCampusJob(store, job.id, claimJob(claim('k2', 1, 'kiosk-2'))),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(refused).toEqual(['busy']);
      const failed = await transitionCampusJob(store, job.id, (cur) => failCampusJob(cur, 'k1', at(2), 'offline'));
      expect(failed?.status).toBe('waiting');
      expect((await store.campusJobs.listForAccount('acc-1')).map((j) => j.id)).toEqual([job.id]);
    });

    it('ships a mail order once and lists waiting orders oldest first', async () => {
      const first = mailOrder({ createdAt: at(1) });
      const second = mailOrder({ createdAt: at(2) });
      await store.mailOrders.insert(second);
      await store.mailOrders.insert(first);
      expect((await store.mailOrders.list({ status: 'awaitingShipment' })).items.map((m) => m.id)).toEqual([first.id, second.id]);
      const ship = (n: string) => (cur: MailOrder) => shipMailOrder(cur, { trackingNumber: n, by: 'staff-1', at: at(3) });
      const [x, y] = await Promise.all([transitionMailOrder(store, first.id, ship('T1')), transitionMailOrder(store, first.id, ship('T2'))]);
      expect([x, y].filter(Boolean).map((m) => m!.trackingNumber)).toEqual(['T1']);
      expect((await store.mailOrders.list({ status: 'awaitingShipment' })).items.map((m) => m.id)).toEqual([second.id]);
      expect((await store.mailOrders.list({ status: 'shipped', limit: 1 })).total).toBe(1);
    });
  });

  it('keeps everything across close and reopen, one file per kind, indexes rebuilt', async () => {
    await store.types.put(certificateType());
    const o = order();
    await store.orders.insert(o);
    const c = certificate({ number: 'SHM-2026-KEEP-0001' });
    await store.certificates.insertMany([c]);
    const r = reservation({ number: '77778888' });
    await store.reservations.insert(r, T0);
    await transitionReservation(store, r.id, claiming(claim('c1', 1), []));
    await store.campusJobs.insert(campusJob());
    await store.mailOrders.insert(mailOrder());
    await store.close();

    for (const name of Object.values(CERTIFICATE_FILES)) {
      expect(JSON.parse(readFileSync(path.join(dir, name), 'utf8')).records, name).toHaveLength(1);
    }

    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
    expect(store.counts()).toEqual({ types: 1, orders: 1, certificates: 1, reservations: 1, campusJobs: 1, mailOrders: 1 });
    expect(await store.types.get('enrollment')).toEqual(certificateType());
    expect(await store.orders.listForAccount('acc-1')).toEqual([o]);
    expect((await store.certificates.findByNumber('SHM-2026-KEEP-0001'))?.id).toBe(c.id);
    expect((await findReservationByNumber(store.reservations, '77778888', at(2)))?.status).toBe('printing');
    // The claim is held across the restart: another printer is refused until its lease runs out.
    const refusals: PrintRefusal[] = [];
    expect(await transitionReservation(store, r.id, claiming(claim('c2', 2), refusals))).toBeNull();
    expect(refusals).toEqual(['busy']);
    expect(await store.reservations.insert(reservation({ number: '77778888' }), at(2))).toBe(false);
  });

  it('refuses to work once closed', async () => {
    await store.close();
    await expect(store.types.list()).rejects.toThrow(/closed/);
    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
  });

  it('expires reservations on its own timer, reporting them, at the time it is given', async () => {
    await store.reservations.insert(reservation({ number: '40000001', expiresAt: at(60) }), T0);
    await store.close();
    const reported: Reservation[][] = [];
    store = await openCertificateStore(dir, { expireIntervalMs: 5, now: () => new Date(at(61)), onExpired: (e) => reported.push(e) });
    await expect.poll(() => reported.length).toBeGreaterThan(0);
    expect(reported[0]!.map((r) => r.number)).toEqual(['40000001']);
    expect((await findReservationByNumber(store.reservations, '40000001', at(61)))?.status).toBe('expired');
  });
});
