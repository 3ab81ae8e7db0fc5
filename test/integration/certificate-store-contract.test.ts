/**
 * What the CertificateStore and CertificatePdfArchive ports promise (types, orders, certificates,
 * reservations, campus jobs, mail orders, the signed PDFs), run against every adapter family:
 * lowdb files and a real PostgreSQL. What only lowdb does (files, its sweep timer) is in
 * test/unit/certificate-store.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CampusJob, IssuedCertificate, MailOrder, PrintClaim } from '../../service/domain/certificates/model.js';
import {
  dueForReminder,
  expireReservations,
  findReservationByNumber,
  isReservationNumberActive,
} from '../../service/domain/certificates/reservation-records.js';
import {
  claimCampusJob,
  completeReservationPrint,
  failCampusJob,
  failReservationPrint,
  revokeCertificate,
  shipMailOrder,
  type PrintRefusal,
} from '../../service/domain/certificates/state-machines.js';
import { transitionCampusJob, transitionCertificate, transitionMailOrder, transitionReservation } from '../../service/domain/certificates/transitions.js';
import { at, campusJob, certificate, certificateType, claim, claiming, DAY, mailOrder, order, reservation, T0 } from '../support/certificate-records.js';
import { account } from '../support/factories.js';
import { useStoreFamilies, type StoreFamily } from '../support/store-families.js';

/**
 * The family's certificate ports over empty storage, with accounts acc-1 and acc-2, and `placed`:
 * what a record refers to (its account's order, its type) created first, as placing an order does.
 */
async function open(family: StoreFamily) {
  const { store: accounts, certificates: store, certificatePdfs: pdfs } = await family.open();
  for (const id of ['acc-1', 'acc-2']) await accounts.accounts.insert(account({ id }));
  async function placed<R extends { orderId: string; accountId: string; typeCode?: string }>(record: R): Promise<R> {
    if (record.typeCode !== undefined) await store.types.insert(certificateType({ code: record.typeCode }));
    if (!(await store.orders.get(record.orderId))) await store.orders.insert(order({ id: record.orderId, accountId: record.accountId }));
    return record;
  }
  const issue = async (list: IssuedCertificate[]) => {
    for (const c of list) await placed(c);
    await store.certificates.insertMany(list);
  };
  return { store, pdfs, placed, issue };
}

describe.each(useStoreFamilies())('certificate store over $name', (family) => {
  describe('types', () => {
    it('upserts types by code and lists them in display order', async () => {
      const { store } = await open(family);
      await store.types.put(certificateType({ code: 'transcript', template: 'transcript', sortOrder: 2 }));
      await store.types.put(certificateType({ code: 'enrollment', sortOrder: 1 }));
      await store.types.put(certificateType({ code: 'transcript', template: 'transcript', sortOrder: 2, fee: 300 }));
      expect((await store.types.list()).map((t) => [t.code, t.fee])).toEqual([
        ['enrollment', 200],
        ['transcript', 300],
      ]);
      expect(await store.types.get('transcript')).toEqual(certificateType({ code: 'transcript', template: 'transcript', sortOrder: 2, fee: 300 }));
      expect(await store.types.get('missing')).toBeNull();
    });

    it('returns copies, so changing a returned type changes nothing stored', async () => {
      const { store } = await open(family);
      await store.types.put(certificateType());
      const t = (await store.types.get('enrollment'))!;
      t.fee = 9999;
      t.languages.push('en');
      expect((await store.types.get('enrollment'))?.fee).toBe(200);
      expect((await store.types.get('enrollment'))?.languages).toEqual(['ja', 'en']);
    });

    it('creates a type only under a new code', async () => {
      const { store } = await open(family);
      expect(await store.types.insert(certificateType({ fee: 100 }))).toBe(true);
      expect(await store.types.insert(certificateType({ fee: 999 }))).toBe(false);
      expect((await store.types.get('enrollment'))?.fee).toBe(100);
    });

    it('deletes a type only while no certificate of it exists, revoked ones too', async () => {
      const { store, issue } = await open(family);
      await store.types.put(certificateType({ code: 'transcript', template: 'transcript' }));
      await store.types.put(certificateType({ code: 'discount', template: 'studentDiscount' }));
      const issued = certificate({ typeCode: 'transcript' });
      await issue([issued, certificate({ typeCode: 'transcript' })]);
      await transitionCertificate(store, issued.id, (c) => revokeCertificate(c, { reason: 'x', by: 'staff', at: at(1) }));
      expect(await store.types.issuedCounts()).toEqual({ transcript: 2 });
      expect(await store.types.remove('transcript')).toBe('inUse');
      expect(await store.types.remove('discount')).toBe('removed');
      expect(await store.types.remove('discount')).toBe('absent');
      expect((await store.types.list()).map((t) => t.code)).toEqual(['transcript']);
    });

    it('lets a type go again when the order that issued its only certificate was rolled back', async () => {
      const stores = await family.open();
      await stores.store.accounts.insert(account({ id: 'acc-1' }));
      await stores.certificates.types.put(certificateType({ code: 'transcript', template: 'transcript' }));
      const undone = certificate({ typeCode: 'transcript' });
      const placing = stores.transaction(async (tx) => {
        await tx.certificates.orders.insert(order({ id: undone.orderId, accountId: undone.accountId }));
        await tx.certificates.certificates.insertMany([undone]);
        throw new Error('the order could not be completed');
      });
      await expect(placing).rejects.toThrow('the order could not be completed');
      expect(await stores.certificates.types.issuedCounts()).toEqual({});
      expect(await stores.certificates.types.remove('transcript')).toBe('removed');
    });
  });

  describe('orders', () => {
    it('inserts orders, refuses a duplicate ID and lists an account’s orders newest first', async () => {
      const { store } = await open(family);
      const first = order({ createdAt: at(1) });
      const second = order({ createdAt: at(2) });
      const tied = order({ id: 'order-zz', createdAt: at(2) });
      for (const o of [first, second, tied, order({ accountId: 'acc-2' })]) await store.orders.insert(o);
      await expect(store.orders.insert(first)).rejects.toThrow(/exists already/);
      expect(await store.orders.get(first.id)).toEqual(first);
      expect((await store.orders.listForAccount('acc-1')).map((o) => o.id)).toEqual([tied.id, second.id, first.id]);
      expect(await store.orders.listForAccount('nobody')).toEqual([]);
      expect((await store.orders.getMany([first.id, 'missing', second.id])).map((o) => o.id).sort()).toEqual([first.id, second.id].sort());
    });

    it('gives an order back with its certificates in line order', async () => {
      const { store, issue } = await open(family);
      const o = order({
        items: [
          { typeCode: 'enrollment', language: 'ja', copies: 1 },
          { typeCode: 'transcript', language: 'en', copies: 2 },
        ],
        totalFee: 600,
      });
      const lines = [
        certificate({ id: 'cert-b', orderId: o.id }),
        certificate({ id: 'cert-a', orderId: o.id, typeCode: 'transcript', language: 'en', copies: 2 }),
      ];
      await store.orders.insert({ ...o, certificateIds: lines.map((c) => c.id) });
      await issue(lines);
      expect(await store.orders.get(o.id)).toEqual({ ...o, certificateIds: ['cert-b', 'cert-a'] });
    });
  });

  describe('certificates', () => {
    it('finds a certificate by its number, ignoring case and surrounding spaces', async () => {
      const { store, issue } = await open(family);
      const c = certificate({ number: 'SHM-2026-AB12-CD34', holderNameRoman: 'YAMADA Taro', holderNameKana: 'ヤマダ タロウ', validUntil: '2027-02-23' });
      const other = certificate();
      await issue([c, other]);
      expect(await store.certificates.get(c.id)).toEqual(c);
      expect(await store.certificates.get(other.id)).toEqual(other);
      expect((await store.certificates.findByNumber(' shm-2026-ab12-cd34 '))?.id).toBe(c.id);
      expect(await store.certificates.findByNumber('SHM-2026-0000-0000')).toBeNull();
      expect((await store.certificates.getMany([other.id, 'missing', c.id])).map((x) => x.id).sort()).toEqual([c.id, other.id].sort());
    });

    it('refuses a batch with a number that is taken, and stores none of that batch', async () => {
      const { store, issue } = await open(family);
      await issue([certificate({ number: 'SHM-2026-AAAA-AAAA' })]);
      const fresh = certificate({ number: 'SHM-2026-BBBB-BBBB' });
      await expect(issue([fresh, certificate({ number: 'SHM-2026-AAAA-AAAA' })])).rejects.toThrow(/exists already/);
      expect(await store.certificates.get(fresh.id)).toBeNull();
      expect(await store.certificates.findByNumber('SHM-2026-BBBB-BBBB')).toBeNull();
    });

    it('revokes once: a second revocation is not applicable and changes nothing', async () => {
      const { store, issue } = await open(family);
      const c = certificate();
      await issue([c]);
      const revoked = await transitionCertificate(store, c.id, (cur) => revokeCertificate(cur, { reason: '誤発行', by: 'staff-1', at: at(5) }));
      expect(revoked).toEqual({ ...c, status: 'revoked', revokedAt: at(5), revokedBy: 'staff-1', revocationReason: '誤発行' });
      const again = await transitionCertificate(store, c.id, (cur) => revokeCertificate(cur, { reason: 'again', by: 'staff-2', at: at(6) }));
      expect(again).toBeNull();
      expect(await store.certificates.get(c.id)).toEqual(revoked);
      expect(await transitionCertificate(store, 'missing', (cur) => cur)).toBeNull();
    });

    it('refuses an update that would change the certificate number', async () => {
      const { store, issue } = await open(family);
      const c = certificate();
      await issue([c]);
      await expect(transitionCertificate(store, c.id, (cur) => ({ ...cur, number: 'SHM-2026-ZZZZ-ZZZZ' }))).rejects.toThrow(/number/);
      expect((await store.certificates.get(c.id))?.number).toBe(c.number);
    });

    it('searches by number, student ID and status, newest first and paged', async () => {
      const { store, issue } = await open(family);
      const old = certificate({ studentId: 'S0001', issuedAt: at(1) });
      const revoked = certificate({ studentId: 'S0001', issuedAt: at(2), status: 'revoked', revokedAt: at(2), revokedBy: 'staff-1', revocationReason: 'x' });
      const latest = certificate({ studentId: 'S0001', issuedAt: at(3) });
      const other = certificate({ studentId: 'S0002', accountId: 'acc-2', issuedAt: at(4) });
      await issue([old, revoked, latest, other]);

      expect((await store.certificates.search({ number: other.number.toLowerCase() })).items.map((c) => c.id)).toEqual([other.id]);
      expect((await store.certificates.search({ number: other.number, studentId: 'S0001' })).total).toBe(0);
      expect((await store.certificates.search({ studentId: ' S0001 ' })).items.map((c) => c.id)).toEqual([latest.id, revoked.id, old.id]);
      expect((await store.certificates.search({ studentId: 'S0001', status: 'valid' })).items.map((c) => c.id)).toEqual([latest.id, old.id]);
      expect(await store.certificates.search({ status: 'revoked' })).toEqual({ total: 1, items: [revoked] });
      const paged = await store.certificates.search({ offset: 1, limit: 2 });
      expect(paged.total).toBe(4);
      expect(paged.items.map((c) => c.id)).toEqual([latest.id, revoked.id]);
      expect(await store.certificates.search({ offset: 10 })).toEqual({ total: 4, items: [] });
      expect((await store.certificates.listForAccount('acc-1')).map((c) => c.id)).toEqual([latest.id, revoked.id, old.id]);
      expect((await store.certificates.listForAccount('acc-2')).map((c) => c.id)).toEqual([other.id]);
    });
  });

  describe('reservations', () => {
    it('prints exactly once when two printers claim the same reservation at the same moment', async () => {
      const { store, placed } = await open(family);
      const r = await placed(reservation());
      await store.reservations.insert(r, T0);
      const refusals: PrintRefusal[] = [];
      const [a, b] = await Promise.all([
        transitionReservation(store, r.id, claiming(claim('c-a', 1, 'store-A'), refusals)),
        transitionReservation(store, r.id, claiming(claim('c-b', 1, 'store-B'), refusals)),
      ]);
      const winners = [a, b].filter((x) => x !== null);
      expect(winners).toHaveLength(1);
      expect(refusals).toEqual(['busy']);

      const winner = winners[0]!.claim!;
      const printed = await transitionReservation(store, r.id, (cur) => completeReservationPrint(cur, winner.claimId, at(2)));
      expect(printed?.status).toBe('printed');
      expect(await transitionReservation(store, r.id, claiming(claim('c-c', 3), refusals))).toBeNull();
      expect(refusals).toEqual(['busy', 'printed']);
      expect((await store.reservations.get(r.id))?.attempts.map((x) => [x.by, x.outcome])).toEqual([[winner.by, 'printed']]);
    });

    it('lets exactly one of 20 simultaneous claims of one reservation win', async () => {
      const { store, placed } = await open(family);
      const r = await placed(reservation());
      await store.reservations.insert(r, T0);
      const refusals: PrintRefusal[] = [];
      const claims = Array.from({ length: 20 }, (_, i) => claim(`c-${i}`, 1, `store-${i}`));
      const results = await Promise.all(claims.map((c) => transitionReservation(store, r.id, claiming(c, refusals))));
      const winners = results.filter((x) => x !== null);
      expect(winners).toHaveLength(1);
      expect(refusals).toEqual(Array.from({ length: 19 }, () => 'busy'));
      const stored = await store.reservations.get(r.id);
      expect(stored).toEqual(winners[0]);
      expect(stored?.status).toBe('printing');
      expect(stored?.attempts).toHaveLength(1);
      expect(claims).toContainEqual(stored?.claim);
    });

    it('leaves a reservation printable after a failed print, so it can still be printed', async () => {
      const { store, placed } = await open(family);
      const r = await placed(reservation());
      await store.reservations.insert(r, T0);
      await transitionReservation(store, r.id, claiming(claim('c1', 1), []));
      const failed = await transitionReservation(store, r.id, (cur) => failReservationPrint(cur, 'c1', at(2), 'paper jam'));
      expect(failed?.status).toBe('reserved');
      expect(failed?.claim).toBeNull();
      expect(await isReservationNumberActive(store.reservations, r.number, at(3))).toBe(true);
      // The failed claim cannot complete the print afterwards.
      expect(await transitionReservation(store, r.id, (cur) => completeReservationPrint(cur, 'c1', at(3)))).toBeNull();
      const again = await transitionReservation(store, r.id, claiming(claim('c2', 4), []));
      expect(again?.status).toBe('printing');
      const printed = await transitionReservation(store, r.id, (cur) => completeReservationPrint(cur, 'c2', at(5)));
      expect(printed?.attempts.map((x) => x.outcome)).toEqual(['failed', 'printed']);
      expect(await store.reservations.get(r.id)).toEqual(printed);
    });

    it('refuses to claim an expired reservation', async () => {
      const { store, placed } = await open(family);
      const r = await placed(reservation({ expiresAt: at(60) }));
      await store.reservations.insert(r, T0);
      const refusals: PrintRefusal[] = [];
      expect(await transitionReservation(store, r.id, claiming(claim('c1', 61), refusals))).toBeNull();
      expect(refusals).toEqual(['expired']);
      expect(await store.reservations.get(r.id)).toEqual(r);
    });

    it('refuses a second active reservation with the same number, and allows it once the first has expired', async () => {
      const { store, placed } = await open(family);
      const first = await placed(reservation({ number: '11112222', expiresAt: at(60) }));
      expect(await store.reservations.insert(first, T0)).toBe(true);
      const second = await placed(reservation({ number: '11112222', createdAt: at(30), expiresAt: at(30 + 7 * DAY) }));
      expect(await store.reservations.insert(second, at(30))).toBe(false);
      expect(await store.reservations.get(second.id)).toBeNull();

      // The first is still stored as reserved, past its expiry: its number is free again.
      const later = { ...second, createdAt: at(61), expiresAt: at(61 + 7 * DAY) };
      expect(await store.reservations.insert(later, at(61))).toBe(true);
      expect(await store.reservations.get(later.id)).toEqual(later);
      expect((await findReservationByNumber(store.reservations, '11112222', at(62)))?.id).toBe(later.id);
      expect((await store.reservations.listByNumber('11112222')).map((r) => r.id)).toEqual([first.id, later.id]);
    });

    it('lets only one of two concurrent inserts take the same number, also when an expired one held it', async () => {
      const { store, placed } = await open(family);
      const results = await Promise.all([
        store.reservations.insert(await placed(reservation({ number: '55556666' })), T0),
        store.reservations.insert(await placed(reservation({ number: '55556666' })), T0),
      ]);
      expect(results.sort()).toEqual([false, true]);

      await store.reservations.insert(await placed(reservation({ number: '55557777', expiresAt: at(60) })), T0);
      const racing = await Promise.all(
        Array.from({ length: 5 }, async () => store.reservations.insert(await placed(reservation({ number: '55557777', createdAt: at(61) })), at(61))),
      );
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect(await isReservationNumberActive(store.reservations, '55557777', at(62))).toBe(true);
    });

    it('finds the latest reservation with a number when none is active, and nothing for an unknown number', async () => {
      const { store, placed } = await open(family);
      const early = await placed(reservation({ number: '33334444', createdAt: T0, expiresAt: at(10) }));
      const late = await placed(reservation({ number: '33334444', createdAt: at(20), expiresAt: at(30) }));
      await store.reservations.insert(early, T0);
      await store.reservations.insert(late, at(20));
      expect((await findReservationByNumber(store.reservations, '33334444', at(100)))?.id).toBe(late.id);
      expect(await isReservationNumberActive(store.reservations, '33334444', at(100))).toBe(false);
      expect(await findReservationByNumber(store.reservations, '99999999', at(100))).toBeNull();
    });

    it('lists reminders due within the window, oldest expiry first, skipping those already reminded', async () => {
      const { store, placed } = await open(family);
      const soon = await placed(reservation({ number: '00000001', expiresAt: at(2 * 60) }));
      const sooner = await placed(reservation({ number: '00000002', expiresAt: at(60) }));
      const reminded = await placed(reservation({ number: '00000003', expiresAt: at(60), reminderSentAt: T0 }));
      const far = await placed(reservation({ number: '00000004', expiresAt: at(3 * DAY) }));
      const gone = await placed(reservation({ number: '00000005', expiresAt: at(-1) }));
      for (const r of [soon, sooner, reminded, far, gone]) await store.reservations.insert(r, at(-10));
      expect((await dueForReminder(store.reservations, T0, 24)).map((r) => r.id)).toEqual([sooner.id, soon.id]);
      await transitionReservation(store, sooner.id, (cur) => ({ ...cur, reminderSentAt: T0 }));
      expect((await dueForReminder(store.reservations, T0, 24)).map((r) => r.id)).toEqual([soon.id]);
    });

    it('expires reservations past their expiry in one sweep, leaving printed and current ones alone', async () => {
      const { store, placed } = await open(family);
      const old = await placed(reservation({ number: '10000001', expiresAt: at(60) }));
      const current = await placed(reservation({ number: '10000002', expiresAt: at(7 * DAY) }));
      const printed = await placed(reservation({ number: '10000003', expiresAt: at(60) }));
      for (const r of [old, current, printed]) await store.reservations.insert(r, T0);
      await transitionReservation(store, printed.id, claiming(claim('c1', 1), []));
      await transitionReservation(store, printed.id, (cur) => completeReservationPrint(cur, 'c1', at(2)));

      expect((await store.reservations.openExpiredBy(at(61))).map((r) => r.id)).toEqual([old.id]);
      const expired = await expireReservations(store.reservations, at(61));
      expect(expired.map((r) => [r.id, r.status])).toEqual([[old.id, 'expired']]);
      expect((await store.reservations.get(current.id))?.status).toBe('reserved');
      expect((await store.reservations.get(printed.id))?.status).toBe('printed');
      expect(await expireReservations(store.reservations, at(62))).toEqual([]);
    });

    it('holds a number past its expiry while a print under way keeps its lease, and expires it once the lease has run out', async () => {
      const { store, placed } = await open(family);
      const r = await placed(reservation({ number: '60000001', expiresAt: at(60) }));
      await store.reservations.insert(r, T0);
      expect(await transitionReservation(store, r.id, claiming(claim('c1', 55), []))).not.toBeNull();
      expect(await store.reservations.insert(await placed(reservation({ number: '60000001' })), at(62))).toBe(false);
      expect(await isReservationNumberActive(store.reservations, '60000001', at(62))).toBe(true);
      expect(await expireReservations(store.reservations, at(62))).toEqual([]);
      expect((await findReservationByNumber(store.reservations, '60000001', at(62)))?.status).toBe('printing');

      expect(await isReservationNumberActive(store.reservations, '60000001', at(65))).toBe(false);
      const expired = await expireReservations(store.reservations, at(65));
      expect(expired.map((x) => [x.id, x.status, x.attempts.map((a) => a.outcome)])).toEqual([[r.id, 'expired', ['abandoned']]]);
      const next = await placed(reservation({ number: '60000001', createdAt: at(65), expiresAt: at(65 + DAY) }));
      expect(await store.reservations.insert(next, at(65))).toBe(true);
      expect((await findReservationByNumber(store.reservations, '60000001', at(66)))?.id).toBe(next.id);
    });

    it('gives the number of a print whose lease and expiry have both run out to a new reservation, marking the old one expired', async () => {
      const { store, placed } = await open(family);
      const r = await placed(reservation({ number: '60000004', expiresAt: at(60) }));
      await store.reservations.insert(r, T0);
      await transitionReservation(store, r.id, claiming(claim('c1', 55), []));
      const next = await placed(reservation({ number: '60000004', createdAt: at(70), expiresAt: at(70 + DAY) }));
      expect(await store.reservations.insert(next, at(70))).toBe(true);
      expect((await findReservationByNumber(store.reservations, '60000004', at(71)))?.id).toBe(next.id);
      expect(await isReservationNumberActive(store.reservations, '60000004', at(71))).toBe(true);
      expect(await store.reservations.insert(await placed(reservation({ number: '60000004' })), at(72))).toBe(false);
    });

    it('does not remind a reservation while its print is under way, but does once the claim’s lease has run out', async () => {
      const { store, placed } = await open(family);
      const printing = await placed(reservation({ number: '60000002', expiresAt: at(60) }));
      const reserved = await placed(reservation({ number: '60000003', expiresAt: at(60) }));
      for (const r of [printing, reserved]) await store.reservations.insert(r, T0);
      await transitionReservation(store, printing.id, claiming(claim('c1', 1), []));
      expect((await dueForReminder(store.reservations, at(2), 24)).map((r) => r.id)).toEqual([reserved.id]);
      // The claim's lease ran out (at 11): printable again, so due again.
      expect((await dueForReminder(store.reservations, at(12), 24)).map((r) => r.id).sort()).toEqual([printing.id, reserved.id].sort());
    });

    it('lists an account’s reservations newest first and gets several by id', async () => {
      const { store, placed } = await open(family);
      const a = await placed(reservation({ number: '20000001', createdAt: at(1) }));
      const b = await placed(reservation({ number: '20000002', createdAt: at(2) }));
      await store.reservations.insert(a, at(1));
      await store.reservations.insert(b, at(2));
      await store.reservations.insert(await placed(reservation({ number: '20000003', accountId: 'acc-2' })), at(3));
      expect((await store.reservations.listForAccount('acc-1')).map((r) => r.id)).toEqual([b.id, a.id]);
      expect((await store.reservations.getMany([a.id, 'missing', b.id])).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    });
  });

  describe('campus jobs and mail orders', () => {
    const claimJob = (c: PrintClaim, refused: string[]) => (cur: CampusJob) => {
      const result = claimCampusJob(cur, c);
      if ('refused' in result) return (refused.push(result.refused), null);
      return result;
    };

    it('claims a campus job once, and makes it printable again after a failed print', async () => {
      const { store, placed } = await open(family);
      const job = await placed(campusJob());
      await store.campusJobs.insert(job);
      await expect(store.campusJobs.insert(job)).rejects.toThrow(/exists already/);
      const refused: string[] = [];
      const [a, b] = await Promise.all([
        transitionCampusJob(store, job.id, claimJob(claim('k1', 1, 'kiosk-1'), refused)),
        transitionCampusJob(store, job.id, claimJob(claim('k2', 1, 'kiosk-2'), refused)),
      ]);
      const winner = [a, b].filter((x) => x !== null);
      expect(winner).toHaveLength(1);
      expect(refused).toEqual(['busy']);
      const failed = await transitionCampusJob(store, job.id, (cur) => failCampusJob(cur, winner[0]!.claim!.claimId, at(2), 'offline'));
      expect(failed?.status).toBe('waiting');
      expect(await store.campusJobs.get(job.id)).toEqual(failed);
      expect((await store.campusJobs.listForAccount('acc-1')).map((j) => j.id)).toEqual([job.id]);
      expect((await store.campusJobs.getMany([job.id, 'missing'])).map((j) => j.id)).toEqual([job.id]);
    });

    it('lets exactly one of 20 simultaneous claims of one campus job win', async () => {
      const { store, placed } = await open(family);
      const job = await placed(campusJob());
      await store.campusJobs.insert(job);
      const refused: string[] = [];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => transitionCampusJob(store, job.id, claimJob(claim(`k${i}`, 1, `kiosk-${i}`), refused))),
      );
      expect(results.filter((x) => x !== null)).toHaveLength(1);
      expect(refused).toHaveLength(19);
    });

    it('ships a mail order once and lists waiting orders oldest first', async () => {
      const { store, placed } = await open(family);
      const first = await placed(mailOrder({ createdAt: at(1), address: { kind: 'overseas', lines: ['1 Main St', 'Springfield'], country: 'USA' } }));
      const second = await placed(mailOrder({ createdAt: at(2) }));
      await store.mailOrders.insert(second);
      await store.mailOrders.insert(first);
      expect(await store.mailOrders.get(first.id)).toEqual(first);
      expect((await store.mailOrders.list({ status: 'awaitingShipment' })).items.map((m) => m.id)).toEqual([first.id, second.id]);
      const ship = (n: string) => (cur: MailOrder) => shipMailOrder(cur, { trackingNumber: n, by: 'staff-1', at: at(3) });
      const [x, y] = await Promise.all([transitionMailOrder(store, first.id, ship('T1')), transitionMailOrder(store, first.id, ship('T2'))]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
      expect(await store.mailOrders.get(first.id)).toEqual([x, y].find(Boolean));
      expect((await store.mailOrders.list({ status: 'awaitingShipment' })).items.map((m) => m.id)).toEqual([second.id]);
      expect((await store.mailOrders.list({ status: 'shipped', limit: 1 })).total).toBe(1);
      expect(await store.mailOrders.list({ offset: 5 })).toEqual({ total: 2, items: [] });
      expect((await store.mailOrders.getMany([first.id, 'missing'])).map((m) => m.id)).toEqual([first.id]);
    });
  });

  describe('certificate PDFs', () => {
    it('keeps a PDF byte for byte and replaces it', async () => {
      const { pdfs, issue } = await open(family);
      const c = certificate({ number: 'SHM-2026-PDF0-0001' });
      await issue([c]);
      // Every byte value, NUL and 0xFF included, and more than one page of a file.
      const bytes = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), ...randomBytes(200_000)]);
      expect(await pdfs.read(c.number)).toBeNull();
      await pdfs.write(c.number, bytes);
      const read = await pdfs.read(c.number);
      expect(read).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(read!).equals(Buffer.from(bytes))).toBe(true);

      // A view into a larger buffer is stored as the view, not the whole buffer.
      const larger = randomBytes(64);
      await pdfs.write(c.number, new Uint8Array(larger.buffer, larger.byteOffset + 8, 16));
      expect(Buffer.from((await pdfs.read(c.number))!).equals(larger.subarray(8, 24))).toBe(true);

      expect(await pdfs.read('../etc/passwd')).toBeNull();
      await expect(pdfs.write('not-a-number', bytes)).rejects.toThrow(RangeError);
    });
  });
});
