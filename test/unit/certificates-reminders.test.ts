import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../service/domain/audit.js';
import type { Reservation } from '../../service/domain/certificates/model.js';
import { createReservationMaintenance, type ReservationMaintenance } from '../../service/domain/certificates/reminders.js';
import type { CertificateStore } from '../../service/domain/certificates/store.js';
import { transitionReservation } from '../../service/domain/certificates/transitions.js';
import type { Stores } from '../../service/domain/stores.js';
import { account, tempStores, TestClock } from '../support/factories.js';
import { FAILED_BEFORE_COMMIT, failingBeforeCommit, realOutbox, type TestOutbox } from '../support/outbox.js';
import { recordingLogger } from '../support/logger.js';

const HOUR = 3600;

describe('reservation reminders and expiry', () => {
  let stores: Stores & { dataDir: string };
  let store: CertificateStore;
  let audit: AuditLog;
  let clock: TestClock;
  let outbox: TestOutbox;
  let log: ReturnType<typeof recordingLogger>;
  const errors = () => log.at('error').map((entry) => entry.obj);
  let serial = 0;

  /** The maintenance over the stores; `failing`: every transaction fails just before its commit. */
  const maintenanceWith = (options: { failing?: boolean } = {}): ReservationMaintenance =>
    createReservationMaintenance({
      store,
      transaction: options.failing ? failingBeforeCommit((work) => stores.transaction(work)) : (work) => stores.transaction(work),
      mailer: outbox.mailer,
      audit,
      logger: log,
      homeUrl: 'https://cert.example.ac.jp/home',
    });

  /** A reservation made now that expires `hours` from now. */
  async function reserve(hours: number, accountId = 'acc-ja'): Promise<Reservation> {
    serial++;
    const now = clock.now();
    const reservation: Reservation = {
      id: `res-${serial}`,
      number: String(10_000_000 + serial * 7919).slice(0, 8),
      orderId: `order-${serial}`,
      accountId,
      status: 'reserved',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + hours * HOUR * 1000).toISOString(),
      reminderSentAt: null,
      claim: null,
      printedAt: null,
      attempts: [],
      updatedAt: now.toISOString(),
    };
    expect(await store.reservations.insert(reservation, now.toISOString())).toBe(true);
    return reservation;
  }

  beforeEach(async () => {
    clock = new TestClock(new Date('2026-04-01T09:00:00Z'));
    stores = await tempStores(clock);
    ({ certificates: store, audit } = stores);
    await stores.store.accounts.insert(account({ id: 'acc-ja', mail: 'taro@example.ac.jp', language: 'ja' }));
    await stores.store.accounts.insert(account({ id: 'acc-en', mail: 'hanako@example.ac.jp', language: 'en' }));
    await stores.store.accounts.insert(account({ id: 'acc-nomail', mail: null, language: 'ja' }));
    outbox = realOutbox(stores, clock);
    log = recordingLogger();
  });
  afterEach(async () => {
    await stores.close();
    rmSync(stores.dataDir, { recursive: true, force: true });
  });

  it('reminds a reservation 23 hours before its expiry but not one 25 hours before', async () => {
    const due = await reserve(23);
    await reserve(25);
    const outcomes = await maintenanceWith().sendDueReminders(clock.now());
    expect(outcomes).toEqual([{ reservationId: due.id, number: due.number, result: 'sent' }]);
    expect(await outbox.mails()).toHaveLength(1);
    expect((await store.reservations.get(due.id))!.reminderSentAt).toBe(clock.now().toISOString());
  });

  it('mails the number and the expiry in the account language, and audits the reminder', async () => {
    const ja = await reserve(20, 'acc-ja');
    const en = await reserve(21, 'acc-en');
    await maintenanceWith().sendDueReminders(clock.now());
    const [toJa, toEn] = await outbox.mails();
    expect(toJa!.to).toBe('taro@example.ac.jp');
    expect(toJa!.subject).toContain('【証明書発行サービス】');
    expect(toJa!.text).toContain(`予約番号:${ja.number}`);
    expect(toJa!.text).toContain('2026/04/02 14:00(日本時間)');
    expect(toEn!.to).toBe('hanako@example.ac.jp');
    expect(toEn!.subject).toContain('[Certificate Issuance Service]');
    expect(toEn!.text).toContain(`Reservation number: ${en.number}`);
    expect(toEn!.text).toContain('(Japan time)');
    expect(toEn!.text).toContain('https://cert.example.ac.jp/home');
    const entries = await audit.list({ action: 'certificate.reservation.reminded' });
    expect(entries.items.map((e) => e.target.id).sort()).toEqual([ja.id, en.id].sort());
    expect(entries.items[0]!.actor.type).toBe('system');
  });

  it('never reminds the same reservation twice, also when two runs overlap', async () => {
    await reserve(10);
    const maintenance = maintenanceWith();
    await Promise.all([maintenance.sendDueReminders(clock.now()), maintenance.sendDueReminders(clock.now())]);
    clock.advance(HOUR);
    await maintenance.sendDueReminders(clock.now());
    expect(await outbox.mails()).toHaveLength(1);
  });

  it('does not remind an expired, printed or cancelled reservation', async () => {
    const expiring = await reserve(1);
    const printed = await reserve(5);
    await transitionReservation(store, printed.id, (r) => ({ ...r, status: 'printed', printedAt: r.createdAt }));
    const cancelled = await reserve(6);
    await transitionReservation(store, cancelled.id, (r) => ({ ...r, status: 'cancelled' }));
    clock.advance(2 * HOUR);
    const outcomes = await maintenanceWith().sendDueReminders(clock.now());
    expect(outcomes).toEqual([]);
    expect(await outbox.mails()).toEqual([]);
    expect((await store.reservations.get(expiring.id))!.reminderSentAt).toBeNull();
  });

  it('enqueues nothing and records nothing when the transaction fails, logs it, and reminds exactly once at the next run', async () => {
    const due = await reserve(12);
    const outcomes = await maintenanceWith({ failing: true }).sendDueReminders(clock.now());
    expect(outcomes).toEqual([{ reservationId: due.id, number: due.number, result: 'failed' }]);
    expect(errors()).toHaveLength(1);
    expect(await outbox.mails()).toEqual([]);
    expect((await store.reservations.get(due.id))!.reminderSentAt).toBeNull();
    expect((await audit.list({ action: 'certificate.reservation.reminded' })).total).toBe(0);

    clock.advance(600);
    expect((await maintenanceWith().sendDueReminders(clock.now())).map((o) => o.result)).toEqual(['sent']);
    expect((await outbox.mails()).map((m) => m.to)).toEqual(['taro@example.ac.jp']);
    expect((await audit.list({ action: 'certificate.reservation.reminded' })).total).toBe(1);
  });

  it('records but does not mail a reminder for an account without a verified address', async () => {
    await reserve(12, 'acc-nomail');
    const outcomes = await maintenanceWith().sendDueReminders(clock.now());
    expect(outcomes.map((o) => o.result)).toEqual(['noAddress']);
    expect(await outbox.mails()).toEqual([]);
  });

  it('marks reservations past their expiry expired and audits each one', async () => {
    const soon = await reserve(1);
    const later = await reserve(48);
    clock.advance(2 * HOUR);
    const expired = await maintenanceWith().expire(clock.now());
    expect(expired.map((r) => r.id)).toEqual([soon.id]);
    expect((await store.reservations.get(soon.id))!.status).toBe('expired');
    expect((await store.reservations.get(later.id))!.status).toBe('reserved');
    const entries = await audit.list({ action: 'certificate.reservation.expired' });
    expect(entries.items.map((e) => e.target.id)).toEqual([soon.id]);
  });

  it('a maintenance run expires first and then reminds', async () => {
    await reserve(1);
    const due = await reserve(20);
    clock.advance(2 * HOUR);
    await maintenanceWith().run(clock.now());
    expect((await store.reservations.get(due.id))!.reminderSentAt).not.toBeNull();
    expect((await audit.list({ action: 'certificate.reservation.expired' })).items).toHaveLength(1);
  });

  it('a maintenance run survives reminders that cannot be written', async () => {
    await reserve(1);
    await reserve(20);
    clock.advance(2 * HOUR);
    await maintenanceWith({ failing: true }).run(clock.now());
    expect((await audit.list({ action: 'certificate.reservation.expired' })).items).toHaveLength(1);
    expect(errors()).toEqual([expect.objectContaining({ err: expect.objectContaining({ message: FAILED_BEFORE_COMMIT }) })]);
  });
});
