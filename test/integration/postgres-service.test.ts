/**
 * The service on PostgreSQL (DATABASE_URL), in-process: it refuses a database whose schema is not
 * this version's without showing the database password, ends its connections when it stops, and two services on one database share
 * their keys and run the periodic maintenance one at a time, each reminder mailed once.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { jobLockKey } from '../../service/adapters/postgres/job-locks.js';
import { loadConfig } from '../../service/config.js';
import { createApp } from '../../service/app.js';
import type { Reservation } from '../../service/domain/certificates/model.js';
import { certificate, order, reservation } from '../support/certificate-records.js';
import { account, RecordingTransport, TestClock } from '../support/factories.js';
import { studentRow, studentsCsv } from '../support/registry-fixtures.js';
import { freshEmptyDatabase, freshMigratedDatabase } from '../support/service-database.js';
import { startService, type RunningService } from '../support/service.js';

const running: RunningService[] = [];
const clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await Promise.all(clients.splice(0).map((c) => c.end()));
});

async function start(databaseUrl: string, overrides: Parameters<typeof startService>[1] = {}): Promise<RunningService> {
  // The smallest pool allowed: the locks a starting service takes must leave it connections to work with.
  const service = await startService({ DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: '4' }, overrides);
  running.push(service);
  return service;
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  clients.push(client);
  return client;
}

const startError = async (databaseUrl: string): Promise<Error> => {
  const config = loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: '/nonexistent/shomei-never-written', LOG_LEVEL: 'silent' });
  return createApp(config).then(
    () => {
      throw new Error('the service started');
    },
    (e: unknown) => e as Error,
  );
};

describe('the service on PostgreSQL', () => {
  it('refuses to start on a database that was never migrated, or was migrated by a newer version, and says what to do', async () => {
    const empty = await freshEmptyDatabase();
    const refused = await startError(empty);
    expect(refused.message).toContain('migrations not applied yet: 0001_initial_schema');
    expect(refused.message).toContain('npm run migrate');
    expect(refused.message).not.toContain(new URL(empty).password);

    const ahead = await freshMigratedDatabase();
    await (await connect(ahead)).query("INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (99, '0099_from_the_future', 'x', 1)");
    expect((await startError(ahead)).message).toContain('0099_from_the_future (the database was migrated by a newer version)');
  });

  it('ends its connections when it stops', async () => {
    const url = await freshMigratedDatabase();
    const service = await start(url);
    const db = await connect(url);
    const connections = async () =>
      (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'shomei'"))
        .rows[0]!.n;
    expect(await connections()).toBeGreaterThan(0);
    await service.stop();
    running.splice(running.indexOf(service), 1);
    // The server notices a closed connection at once; give it a moment to drop the row.
    for (let i = 0; i < 50 && (await connections()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await connections()).toBe(0);
  });

  it('gives two services on one database the same SAML, QR-signing and PDF-signing keys, none of them in DATA_DIR', async () => {
    const url = await freshMigratedDatabase();
    const [a, b] = await Promise.all([start(url), start(url)]);
    expect(b.deps.certificates.offlineKey.keyId).toBe(a.deps.certificates.offlineKey.keyId);
    expect(b.deps.certificates.signingIdentity).toEqual(a.deps.certificates.signingIdentity);
    const metadata = async (s: RunningService) => (await (await fetch(`${s.url}/saml/metadata`)).text()).match(/<ds:X509Certificate>([^<]+)</)?.[1];
    expect(await metadata(a)).toBeTruthy();
    expect(await metadata(b)).toBe(await metadata(a));
    const { readdirSync } = await import('node:fs');
    for (const s of [a, b]) expect(readdirSync(s.dataDir).filter((f) => f.endsWith('.pem'))).toEqual([]);
  });

  it("imports into the registry one at a time across instances, and each instance sees the other's import", async () => {
    const url = await freshMigratedDatabase();
    const [a, b] = await Promise.all([start(url), start(url)]);
    const facultyCodes = async (s: RunningService) => (await s.deps.registry.catalogue()).flatMap((u) => u.faculties.map((f) => `${u.code}/${f.code}`));
    // B has read its catalogue before A imports.
    expect(await facultyCodes(b)).not.toContain('NEWU/LAW');
    const actor = { type: 'staff', id: 'staff-1', name: 'Admin One' } as const;
    const csv = studentsCsv(
      Array.from({ length: 40 }, (_, i) =>
        studentRow({
          student_id: `27${String(i).padStart(5, '0')}`,
          university_code: 'NEWU',
          faculty_code: 'LAW',
          faculty_ja: '法学部',
          faculty_en: 'Faculty of Law',
        }),
      ),
    );
    const preview = await a.deps.registry.previewImport('students', csv, actor);
    expect(preview.counts.added).toBe(40);
    // The same previewed file committed on both at once: one import, the other finds its preview stale.
    const outcomes = await Promise.allSettled([a, b, a, b].map((s) => s.deps.registry.commitImport('students', csv, preview.hash!, actor)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected'))
      expect(o.reason).toMatchObject({ code: 'registry.previewStale' });
    expect((await a.stores.audit.list({ action: 'registry.students.imported', actorId: 'staff-1' })).items).toHaveLength(1);
    expect(await facultyCodes(b)).toContain('NEWU/LAW');
  });

  describe('the reservation maintenance of two services on one database', () => {
    /** Two services with their own clock and outbox, and one convenience reservation due for its reminder (23 h left). */
    async function twoServicesAndADueReservation() {
      const url = await freshMigratedDatabase();
      const clock = new TestClock(new Date('2026-11-24T09:00:00Z'));
      const mailers = [new RecordingTransport(), new RecordingTransport()] as const;
      const [a, b] = await Promise.all(mailers.map((mailer) => start(url, { clock, mailer })));
      const stores = a!.stores;
      // The runs each service starts with are over before the reservation exists.
      for (const s of [a!, b!]) await s.deps.certificates.runMaintenance();
      const student = account({ mail: 'student@example.ac.jp' });
      await stores.store.accounts.insert(student);
      const type = (await stores.certificates.types.list()).find((t) => t.active && t.destinations.includes('convenience'))!;
      const now = clock.now().toISOString();
      const placed = order({ accountId: student.id, items: [{ typeCode: type.code, language: 'ja', copies: 1 }], createdAt: now });
      const issued = certificate({ orderId: placed.id, accountId: student.id, typeCode: type.code, issuedAt: now });
      const booked: Reservation = reservation({
        number: '27182818',
        orderId: placed.id,
        accountId: student.id,
        createdAt: now,
        updatedAt: now,
        expiresAt: new Date(clock.now().getTime() + 23 * 3600_000).toISOString(),
      });
      await stores.transaction(async (tx) => {
        await tx.certificates.certificates.insertMany([issued]);
        await tx.certificatePdfs.write(issued.number, new Uint8Array([37, 80, 68, 70]));
        await tx.certificates.orders.insert({ ...placed, certificateIds: [issued.id], fulfilmentId: booked.id });
        await tx.certificates.reservations.insert(booked, now);
      });
      const reminders = () => mailers.flatMap((m) => m.sent).filter((m) => m.text.includes(booked.number));
      return { url, clock, a: a!, b: b!, booked, reminders };
    }

    it('mails a reminder once when both send due reminders at the same moment (claimed before it is sent)', async () => {
      const { a, b, clock, booked, reminders } = await twoServicesAndADueReservation();
      const outcomes = await Promise.all([a, b, a, b].map((s) => s.deps.certificates.maintenance.sendDueReminders(clock.now())));
      expect(outcomes.flat()).toEqual([{ reservationId: booked.id, number: booked.number, result: 'sent' }]);
      // Sent after, by either service's outbox worker: once.
      await expect.poll(() => a.stores.mailOutbox.list()).toEqual([]);
      expect(reminders()).toHaveLength(1);
    });

    it('runs on one instance at a time: a run that finds another instance at it skips, and the next run does the work', async () => {
      const { url, a, b, booked, reminders } = await twoServicesAndADueReservation();
      // Another instance holds the job (as a long run would).
      const other = await connect(url);
      await other.query('SELECT pg_advisory_lock($1::bigint)', [jobLockKey('reservation-maintenance')]);
      await Promise.all([a.deps.certificates.runMaintenance(), b.deps.certificates.runMaintenance()]);
      expect(await a.stores.mailOutbox.list()).toEqual([]);
      expect(reminders()).toEqual([]);
      expect((await a.stores.certificates.reservations.get(booked.id))?.reminderSentAt).toBeNull();

      await other.query('SELECT pg_advisory_unlock($1::bigint)', [jobLockKey('reservation-maintenance')]);
      await Promise.all([a.deps.certificates.runMaintenance(), b.deps.certificates.runMaintenance(), a.deps.certificates.runMaintenance()]);
      await expect.poll(() => a.stores.mailOutbox.list()).toEqual([]);
      expect(reminders()).toHaveLength(1);
      expect((await b.stores.certificates.reservations.get(booked.id))?.reminderSentAt).not.toBeNull();
    });
  });
});
