import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../service/adapters/lowdb/audit-store.js';
import { openCertificateStore, type LowdbCertificateStore } from '../../service/adapters/lowdb/certificate-store.js';
import type { AuditLog } from '../../service/domain/audit.js';
import type { Reservation } from '../../service/domain/certificates/model.js';
import { createReservationMaintenance, type ReservationMaintenance } from '../../service/domain/certificates/reminders.js';
import { transitionReservation } from '../../service/domain/certificates/transitions.js';
import type { Account, MailMessage } from '../../service/domain/model.js';
import type { Mailer } from '../../service/domain/ports.js';
import { OutboxMailer, random, TestClock } from '../support/factories.js';

const HOUR = 3600;

const accountsById: Record<string, Pick<Account, 'id' | 'mail' | 'language'>> = {
  'acc-ja': { id: 'acc-ja', mail: 'taro@example.ac.jp', language: 'ja' },
  'acc-en': { id: 'acc-en', mail: 'hanako@example.ac.jp', language: 'en' },
  'acc-nomail': { id: 'acc-nomail', mail: null, language: 'ja' },
};

class FailingMailer implements Mailer {
  attempts = 0;
  async send(_message: MailMessage): Promise<void> {
    this.attempts++;
    throw new Error('SMTP is down');
  }
}

describe('reservation reminders and expiry', () => {
  let dir: string;
  let store: LowdbCertificateStore;
  let audit: AuditLog & { flush(): Promise<void> };
  let clock: TestClock;
  let outbox: OutboxMailer;
  let errors: unknown[];
  let serial = 0;

  const maintenanceWith = (mailer: Mailer): ReservationMaintenance =>
    createReservationMaintenance({
      store,
      accounts: {
        async get(id) {
          const a = accountsById[id];
          if (!a) throw new Error(`no account ${id}`);
          return a;
        },
      },
      mailer,
      audit,
      logger: { info: () => {}, error: (obj) => errors.push(obj) },
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
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-unit-reminders-'));
    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
    audit = await openAuditStore(dir, random);
    clock = new TestClock(new Date('2026-04-01T09:00:00Z'));
    outbox = new OutboxMailer();
    errors = [];
  });
  afterEach(async () => {
    await audit.flush();
    await store.close();
  });

  it('reminds a reservation 23 hours before its expiry but not one 25 hours before', async () => {
    const due = await reserve(23);
    await reserve(25);
    const outcomes = await maintenanceWith(outbox).sendDueReminders(clock.now());
    expect(outcomes).toEqual([{ reservationId: due.id, number: due.number, result: 'sent' }]);
    expect(outbox.sent).toHaveLength(1);
    expect((await store.reservations.get(due.id))!.reminderSentAt).toBe(clock.now().toISOString());
  });

  it('mails the number and the expiry in the account language, and audits the reminder', async () => {
    const ja = await reserve(20, 'acc-ja');
    const en = await reserve(21, 'acc-en');
    await maintenanceWith(outbox).sendDueReminders(clock.now());
    const [toJa, toEn] = outbox.sent;
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
    const maintenance = maintenanceWith(outbox);
    await Promise.all([maintenance.sendDueReminders(clock.now()), maintenance.sendDueReminders(clock.now())]);
    clock.advance(HOUR);
    await maintenance.sendDueReminders(clock.now());
    expect(outbox.sent).toHaveLength(1);
  });

  it('does not remind an expired, printed or cancelled reservation', async () => {
    const expiring = await reserve(1);
    const printed = await reserve(5);
    await transitionReservation(store, printed.id, (r) => ({ ...r, status: 'printed', printedAt: r.createdAt }));
    const cancelled = await reserve(6);
    await transitionReservation(store, cancelled.id, (r) => ({ ...r, status: 'cancelled' }));
    clock.advance(2 * HOUR);
    const outcomes = await maintenanceWith(outbox).sendDueReminders(clock.now());
    expect(outcomes).toEqual([]);
    expect(outbox.sent).toEqual([]);
    expect((await store.reservations.get(expiring.id))!.reminderSentAt).toBeNull();
  });

  it('logs a failed mail without throwing and does not retry it', async () => {
    const due = await reserve(12);
    const failing = new FailingMailer();
    const maintenance = maintenanceWith(failing);
    const outcomes = await maintenance.sendDueReminders(clock.now());
    expect(outcomes).toEqual([{ reservationId: due.id, number: due.number, result: 'failed' }]);
    expect(errors).toHaveLength(1);
    await maintenance.sendDueReminders(clock.now());
    expect(failing.attempts).toBe(1);
    const [entry] = (await audit.list({ action: 'certificate.reservation.reminded' })).items;
    expect(entry!.note).toContain('SMTP is down');
  });

  it('records but does not mail a reminder for an account without a verified address', async () => {
    await reserve(12, 'acc-nomail');
    const outcomes = await maintenanceWith(outbox).sendDueReminders(clock.now());
    expect(outcomes.map((o) => o.result)).toEqual(['noAddress']);
    expect(outbox.sent).toEqual([]);
  });

  it('marks reservations past their expiry expired and audits each one', async () => {
    const soon = await reserve(1);
    const later = await reserve(48);
    clock.advance(2 * HOUR);
    const expired = await maintenanceWith(outbox).expire(clock.now());
    expect(expired.map((r) => r.id)).toEqual([soon.id]);
    expect((await store.reservations.get(soon.id))!.status).toBe('expired');
    expect((await store.reservations.get(later.id))!.status).toBe('reserved');
    const entries = await audit.list({ action: 'certificate.reservation.expired' });
    expect(entries.items.map((e) => e.target.id)).toEqual([soon.id]);
  });

  it('a maintenance run expires first and then reminds, and survives a failing mailer', async () => {
    await reserve(1);
    const due = await reserve(20);
    clock.advance(2 * HOUR);
    await maintenanceWith(new FailingMailer()).run(clock.now());
    expect((await store.reservations.get(due.id))!.reminderSentAt).not.toBeNull();
    expect((await audit.list({ action: 'certificate.reservation.expired' })).items).toHaveLength(1);
  });
});
