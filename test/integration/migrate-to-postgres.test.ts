/**
 * `npm run admin -- migrate-to-postgres`: a DATA_DIR written by the real service (demo university,
 * orders of every destination with their signed PDFs, a decided application, staff, a terminal,
 * a graduate) moved into a real PostgreSQL, and read back through the PostgreSQL ports.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLowdbStores } from '../../service/adapters/lowdb/open.js';
import { migrate } from '../../service/adapters/postgres/migrate.js';
import { openPostgresStores } from '../../service/adapters/postgres/open.js';
import { createPool } from '../../service/adapters/postgres/pool.js';
import { main } from '../../service/cli/staff-admin.js';
import { formatVerificationCode } from '../../service/domain/certificates/numbers.js';
import type { OfflinePublicJwk } from '../../service/domain/certificates/offline-payload.js';
import type { Account } from '../../service/domain/model.js';
import { PAGE_MAX_LIMIT } from '../../service/domain/paging.js';
import type { Stores } from '../../service/domain/stores.js';
import { random, TestClock } from '../support/factories.js';
import { startPostgres, type PostgresCluster } from '../support/postgres.js';
import { verifyOfflinePayload } from '../../renderer/src/verify/offline.js';
import { startService, type RunningService } from '../support/service.js';
import { enrollTerminal } from '../support/terminal.js';

const clock = new TestClock(new Date('2026-04-01T09:00:00Z'));
const student: Account = {
  id: 'acc-student',
  idpEntityId: 'https://idp.example.ac.jp/idp/shibboleth',
  userId: 'taro@example.ac.jp',
  mail: 'taro@mail.example.ac.jp',
  idpMail: 'taro@example.ac.jp',
  displayName: '山田 太郎',
  nameKanji: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  nameRoman: 'Taro Yamada',
  studentIds: ['2101001'],
  affiliation: 'student',
  language: 'ja',
  createdAt: '2026-03-01T00:00:00.000Z',
  lastLoginAt: '2026-04-01T08:59:00.000Z',
  previousLoginAt: '2026-03-20T10:00:00.000Z',
};
const graduate: Account = {
  ...student,
  id: 'acc-graduate',
  idpEntityId: 'shomei:graduates',
  userId: 'hanako@example.jp',
  mail: 'hanako@example.jp',
  studentIds: [],
  kind: 'graduate',
  active: true,
};
const reviewer = { id: 'staff-reviewer', name: 'Reviewer' };

/** What the run printed, and its exit code. */
async function migrateToPostgres(dataDir: string, databaseUrl: string): Promise<{ code: number; output: string }> {
  let output = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      output += chunk.toString('utf8');
      done();
    },
  });
  const code = await main(['migrate-to-postgres', '--data-dir', dataDir], out, { DATABASE_URL: databaseUrl });
  return { code, output };
}

/**
 * A DATA_DIR as the demo service leaves it (registry, certificate types, institution with seal,
 * staff), plus a student who signed in and ordered to every destination, a decided application,
 * a graduate, a terminal, a staff session and a SAML login in flight.
 */
async function serviceDataDir(): Promise<{
  dir: string;
  orders: { id: string; numbers: string[]; reservationNumber: string | null }[];
  sessionHash: string;
  applicationId: string;
  terminalId: string;
}> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-migrate-'));
  const service = await startService({ DATA_DIR: dir }, { clock });
  try {
    const { deps, stores } = service;
    // The demo time-stamping authority makes its key on first use.
    expect((await fetch(`${service.url}/tsa/certificate`)).status).toBe(200);
    await stores.store.accounts.insert(student);
    const session = await deps.sessions.create({ kiosk: false, accountId: student.id });
    const items = [
      { typeCode: 'enrollment', language: 'ja' as const, copies: 1 },
      { typeCode: 'enrollment', language: 'en' as const, copies: 2 },
    ];
    const placed = [
      await deps.certificates.orders.placeOrder({ account: student, studentId: '2101001', destination: 'convenience', items }, clock.now()),
      await deps.certificates.orders.placeOrder({ account: student, studentId: '2101001', destination: 'campus', items: items.slice(0, 1) }, clock.now()),
      await deps.certificates.orders.placeOrder(
        {
          account: student,
          studentId: '2101001',
          destination: 'mail',
          items: items.slice(1),
          postalAddress: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '101号室' },
        },
        clock.now(),
      ),
    ];
    // Credentials downloaded before the move name their status list index: given last certificate first, so not in insertion order.
    for (const c of placed.flatMap((p) => p.certificates).reverse())
      await stores.certificates.credentialStatus.indexOf(c.id, [await stores.certificates.credentialStatus.given()]);
    const form = {
      nameKanji: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      nameRoman: 'Yamada Taro',
      universityCode: 'DEMO',
      facultyCode: 'ENG',
      departmentCode: 'INF',
      studentId: '9990001',
      graduationYearMonth: '2027-03',
      leaveType: 'graduated',
    };
    const application = await deps.applications.submit({ kind: 'studentId', accountId: student.id, form, mail: student.mail!, language: 'ja' });
    await deps.applications.decide(application.id, { action: 'approve', reason: null }, reviewer);
    await deps.applications.requestStudentIdLink((await stores.store.accounts.get(student.id))!);
    await stores.store.accounts.insert(graduate);
    await stores.graduateCredentials.insert({
      accountId: graduate.id,
      passwordHash: 'scrypt$ln=15,r=8,p=1$salt$hash',
      secondPasswordHash: 'scrypt$ln=15,r=8,p=1$salt$hash2',
      createdAt: '2026-03-02T00:00:00.000Z',
      passwordChangedAt: '2026-03-02T00:00:00.000Z',
      secondPasswordChangedAt: '2026-03-02T00:00:00.000Z',
    });
    const terminal = await enrollTerminal(deps.terminals, 'Library-1');
    const admin = (await stores.staff.list())[0]!;
    await stores.staffSessions.put({
      idHash: 'staff-session-hash',
      staffId: admin.id,
      csrfToken: 'csrf',
      createdAt: clock.now().toISOString(),
      lastSeenAt: clock.now().toISOString(),
      expiresAt: '2026-04-01T17:00:00.000Z',
    });
    await stores.store.saml.rememberAssertion('_assertion-1', '2026-04-01T09:05:00.000Z');
    // A share link with a PIN, opened once and refused once.
    const shared = await deps.shareLinks.create(student, placed[0]!.certificates[0]!.number, { days: 7, pin: '2468', label: 'Sample Inc.' });
    const recipient = { ip: '192.0.2.1', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Version/18.1 Mobile/15E148 Safari/604.1' };
    await deps.shareLinks.open(shared.token, '2468', recipient);
    await deps.shareLinks.open(shared.token, '1357', recipient).catch(() => undefined);
    return {
      dir,
      orders: placed.map((p) => ({ id: p.order.id, numbers: p.certificates.map((c) => c.number), reservationNumber: p.reservation?.number ?? null })),
      sessionHash: session.record.idHash,
      applicationId: application.id,
      terminalId: terminal.id,
    };
  } finally {
    await service.stop();
  }
}

const everyPage = async <T>(page: (w: { offset: number; limit: number }) => Promise<{ items: T[] }>): Promise<T[]> =>
  (await page({ offset: 0, limit: PAGE_MAX_LIMIT })).items;

let cluster: PostgresCluster;
let source: Awaited<ReturnType<typeof serviceDataDir>>;
const pools: pg.Pool[] = [];

/** A new database of the cluster with every migration applied. */
async function migratedDatabase(): Promise<{ url: string; pool: pg.Pool }> {
  const url = await cluster.createDatabase();
  const pool = createPool(url);
  pools.push(pool);
  await migrate(pool);
  return { url, pool };
}

beforeAll(async () => {
  [cluster, source] = await Promise.all([startPostgres(), serviceDataDir()]);
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await cluster?.stop();
  if (source) rmSync(source.dir, { recursive: true, force: true });
});

describe('migrate-to-postgres', () => {
  let lowdb: Stores;
  let postgres: Stores;
  let output = '';

  beforeAll(async () => {
    const { url, pool } = await migratedDatabase();
    const run = await migrateToPostgres(source.dir, url);
    output = run.output;
    expect(run.code, run.output).toBe(0);
    lowdb = await openLowdbStores(source.dir, { random, pruneIntervalMs: 0, expireIntervalMs: 0 });
    postgres = openPostgresStores(pool, { random });
  }, 120_000);

  afterAll(async () => {
    await lowdb?.close();
  });

  it('prints a table with every collection matching, and says what to do with the key files', () => {
    for (const name of [
      'accounts',
      'sessions',
      'orders',
      'certificates',
      'reservations',
      'campus print jobs',
      'mail orders',
      'share links',
      'share link accesses',
      'credential status indexes',
      'certificate PDFs',
      'audit log',
      'staff users',
      'terminals',
      'institution seal and logo',
      'service keys',
    ]) {
      expect(output).toMatch(new RegExp(`^${name} +\\d+ +\\d+ +[0-9a-f]{16} +[0-9a-f]{16} +ok$`, 'm'));
    }
    expect(output).not.toContain('MISMATCH');
    expect(output).toMatch(/^orders +3 +3 /m);
    expect(output).toMatch(/^share link accesses +2 +2 /m);
    expect(output).toMatch(/^certificate PDFs +4 +4 /m);
    // The demo service generated all five: SP and demo IdP pairs, the QR key, the PDF signing key, the time-stamping key.
    expect(output).toMatch(/^service keys +5 +5 /m);
    expect(output).toContain('Committed');
    for (const moved of [
      'sp-key.pem, sp-cert.pem → sp-key-pair',
      'offline-verification-key.pem → offline-verification-key',
      'signing-key.pem, signing-cert.pem → demo-signing-keys',
      'tsa-key.pem, tsa-cert.pem → demo-tsa-keys',
      'demo-idp-key.pem, demo-idp-cert.pem → demo-idp-key-pair',
    ]) {
      expect(output).toContain(moved);
    }
    for (const configured of ['SAML_SP_KEY, SAML_SP_CERT', 'CERT_SIGNING_KEY, CERT_SIGNING_CERT', 'SAML_IDP_METADATA']) expect(output).toContain(configured);
  });

  it('gives the student the same account, session, orders, certificates, PDFs and fulfilments from PostgreSQL', async () => {
    expect(await postgres.store.accounts.get(student.id)).toEqual(await lowdb.store.accounts.get(student.id));
    // The approval gave the account the applied-for student ID too.
    expect(await postgres.store.accounts.findByIdentity(student.idpEntityId, student.userId)).toEqual({ ...student, studentIds: ['2101001', '9990001'] });
    expect(await postgres.store.sessions.get(source.sessionHash)).toEqual(await lowdb.store.sessions.get(source.sessionHash));
    expect(await postgres.certificates.orders.listForAccount(student.id)).toEqual(await lowdb.certificates.orders.listForAccount(student.id));
    expect(await postgres.certificates.certificates.listForAccount(student.id)).toEqual(await lowdb.certificates.certificates.listForAccount(student.id));
    expect(await postgres.certificates.reservations.listForAccount(student.id)).toEqual(await lowdb.certificates.reservations.listForAccount(student.id));
    expect(await postgres.certificates.campusJobs.listForAccount(student.id)).toEqual(await lowdb.certificates.campusJobs.listForAccount(student.id));
    expect(await postgres.certificates.mailOrders.list({})).toEqual(await lowdb.certificates.mailOrders.list({}));
    const reservationNumber = source.orders[0]!.reservationNumber!;
    expect(await postgres.certificates.reservations.listByNumber(reservationNumber)).toEqual(
      await lowdb.certificates.reservations.listByNumber(reservationNumber),
    );
    for (const number of source.orders.flatMap((o) => o.numbers)) {
      expect(await postgres.certificates.certificates.findByNumber(number)).toEqual(await lowdb.certificates.certificates.findByNumber(number));
      const pdf = await postgres.certificatePdfs.read(number);
      expect(pdf?.byteLength).toBeGreaterThan(1000);
      expect(pdf).toEqual(await lowdb.certificatePdfs.read(number));
    }
    expect(await postgres.store.tokens.latest(student.id, 'application.studentId')).toEqual(
      await lowdb.store.tokens.latest(student.id, 'application.studentId'),
    );
    // Each certificate keeps its place in the status lists (none is given anew: the candidate would be refused).
    const numbers = source.orders.flatMap((o) => o.numbers);
    const indexes: number[] = [];
    for (const number of numbers) {
      const id = (await lowdb.certificates.certificates.findByNumber(number))!.id;
      indexes.push(await lowdb.certificates.credentialStatus.indexOf(id, []));
      expect(await postgres.certificates.credentialStatus.indexOf(id, [])).toBe(indexes.at(-1));
    }
    expect(indexes).toEqual([3, 2, 1, 0]);
    // The replay cache still refuses the assertion it saw.
    expect(await postgres.store.saml.rememberAssertion('_assertion-1', '2026-04-01T09:05:00.000Z')).toBe(false);
  });

  it('keeps the decided application, the registry, the graduate, staff, terminal, institution and audit log as they were', async () => {
    expect(await postgres.applications.get(source.applicationId)).toEqual(await lowdb.applications.get(source.applicationId));
    expect((await postgres.applications.get(source.applicationId))!.status).toBe('approved');
    expect(await everyPage((w) => postgres.registry.searchStudents(w))).toEqual(await everyPage((w) => lowdb.registry.searchStudents(w)));
    expect(await postgres.registry.gradesOf('2101001')).toEqual(await lowdb.registry.gradesOf('2101001'));
    expect(await postgres.registry.catalogueUnits()).toEqual(expect.arrayContaining(await lowdb.registry.catalogueUnits()));
    expect(await postgres.certificates.types.list()).toEqual(await lowdb.certificates.types.list());
    expect(await postgres.graduateCredentials.get(graduate.id)).toEqual(await lowdb.graduateCredentials.get(graduate.id));
    expect(await postgres.store.accounts.get(graduate.id)).toEqual(graduate);
    // An unset `sessionsNotBefore` is null in lowdb and absent from PostgreSQL: the same to the domain.
    const staffUsers = async (stores: Stores) => (await stores.staff.list()).map((u) => ({ ...u, sessionsNotBefore: u.sessionsNotBefore ?? null }));
    expect(await staffUsers(postgres)).toEqual(await staffUsers(lowdb));
    expect(await postgres.staffSessions.get('staff-session-hash')).toEqual(await lowdb.staffSessions.get('staff-session-hash'));
    expect(await postgres.terminals.get(source.terminalId)).toEqual(await lowdb.terminals.get(source.terminalId));
    expect(await postgres.institution.profile()).toEqual(await lowdb.institution.profile());
    const seal = await postgres.institution.image('seal');
    expect(seal?.png.byteLength).toBeGreaterThan(100);
    expect(seal).toEqual(await lowdb.institution.image('seal'));
    // Newest first, same IDs and times, same order (same-time entries too).
    const audit = await everyPage((w) => postgres.audit.list(w));
    expect(audit.length).toBeGreaterThan(5);
    expect(audit).toEqual(await everyPage((w) => lowdb.audit.list(w)));
  });

  it('refuses a database that is not empty, changing nothing', async () => {
    const { url, pool } = await migratedDatabase();
    await openPostgresStores(pool, { random }).staff.insert({
      id: 'other',
      username: 'other',
      displayName: 'Other',
      role: 'reviewer',
      passwordHash: 'x',
      disabled: false,
      createdAt: clock.now().toISOString(),
      lastLoginAt: null,
    });
    const run = await migrateToPostgres(source.dir, url);
    expect(run.code).toBe(1);
    expect(run.output).toContain('is not empty (rows in staff_users)');
    expect((await pool.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).toBe(0);
  });

  it('refuses a database whose schema is not migrated', async () => {
    const url = await cluster.createDatabase();
    const run = await migrateToPostgres(source.dir, url);
    expect(run.code).toBe(1);
    expect(run.output).toContain('npm run migrate');
  });
});

describe('the service on the database after the move (a fresh, empty DATA_DIR)', () => {
  let service: RunningService;
  let databaseUrl: string;
  let lowdb: Stores;

  beforeAll(async () => {
    const { url } = await migratedDatabase();
    databaseUrl = url;
    const run = await migrateToPostgres(source.dir, url);
    expect(run.code, run.output).toBe(0);
    lowdb = await openLowdbStores(source.dir, { random, pruneIntervalMs: 0, expireIntervalMs: 0 });
    service = await startService({ DATABASE_URL: url }, { clock });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await lowdb?.close();
  });

  const certificateIn = (xml: string) => xml.match(/<ds:X509Certificate>([^<]+)</)?.[1];
  const pemBody = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');

  it('serves the SP, demo IdP and demo time-stamping certificates the IdP, the SP and verifiers already trust, and generates no key', async () => {
    expect(readdirSync(service.dataDir)).not.toEqual(expect.arrayContaining(['sp-cert.pem']));
    const sp = certificateIn(await (await fetch(`${service.url}/saml/metadata`)).text());
    expect(sp).toBe(pemBody(readFileSync(path.join(source.dir, 'sp-cert.pem'), 'utf8')));
    const idp = certificateIn(await (await fetch(`${service.url}/demo-idp/metadata`)).text());
    expect(idp).toBe(pemBody(readFileSync(path.join(source.dir, 'demo-idp-cert.pem'), 'utf8')));
    const tsa = await (await fetch(`${service.url}/tsa/certificate`)).text();
    expect(pemBody(tsa)).toBe(pemBody(readFileSync(path.join(source.dir, 'tsa-cert.pem'), 'utf8')));
    for (const file of ['sp-key.pem', 'offline-verification-key.pem', 'signing-key.pem', 'demo-idp-key.pem', 'tsa-key.pem'])
      expect(existsSync(path.join(service.dataDir, file))).toBe(false);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM service_keys ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(['demo-idp-key-pair', 'demo-signing-keys', 'demo-tsa-keys', 'offline-verification-key', 'sp-key-pair']);
    } finally {
      await client.end();
    }
  });

  it('verifies the certificates issued before the move: the QR payload with the published key, number and code at /api/verify', async () => {
    const keys = ((await (await fetch(`${service.url}/api/verify/keys`)).json()) as { keys: OfflinePublicJwk[] }).keys;
    const session = await fetch(`${service.url}/api/session`, { headers: { accept: 'application/json' } });
    const cookie = session.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    for (const number of source.orders.flatMap((o) => o.numbers)) {
      const issued = (await lowdb.certificates.certificates.findByNumber(number))!;
      expect(await verifyOfflinePayload(issued.offlinePayload, keys)).toMatchObject({ valid: true, fields: { number } });
      const res = await fetch(`${service.url}/api/verify`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie },
        body: JSON.stringify({ number, code: formatVerificationCode(issued.verificationCode) }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'valid', number });
    }
  });
});

describe('migrate-to-postgres over a damaged DATA_DIR', () => {
  /** A copy of the source DATA_DIR to damage. */
  const damagedCopy = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-migrate-damaged-'));
    cpSync(source.dir, dir, { recursive: true });
    return dir;
  };

  it('refuses a collection file the service could not read, naming it', async () => {
    const dir = damagedCopy();
    try {
      writeFileSync(path.join(dir, 'orders.json'), '{"version":1,"records":[{"id":"o1"');
      const { url, pool } = await migratedDatabase();
      const run = await migrateToPostgres(dir, url);
      expect(run.code).toBe(1);
      expect(run.output).toContain(`Data file ${path.join(dir, 'orders.json')} is unreadable`);
      expect((await pool.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a generated key pair of which one file is missing, naming it', async () => {
    const dir = damagedCopy();
    try {
      unlinkSync(path.join(dir, 'sp-cert.pem'));
      const { url, pool } = await migratedDatabase();
      const run = await migrateToPostgres(dir, url);
      expect(run.code).toBe(1);
      expect(run.output).toContain('sp-cert.pem is missing while sp-key.pem exists');
      expect((await pool.query('SELECT count(*)::int AS n FROM service_keys')).rows[0].n).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports the certificate whose PDF is missing, exits non-zero and keeps nothing', async () => {
    const dir = damagedCopy();
    try {
      const lost = source.orders[1]!.numbers[0]!;
      unlinkSync(path.join(dir, 'certificates', `${lost}.pdf`));
      const { url, pool } = await migratedDatabase();
      const run = await migrateToPostgres(dir, url);
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/^certificate PDFs +4 +3 .* MISMATCH$/m);
      expect(run.output).toContain(`no PDF file in DATA_DIR/certificates for certificate(s) ${lost}`);
      expect(run.output).toContain('Rolled back');
      for (const table of ['accounts', 'certificates', 'certificate_pdfs', 'audit_log']) {
        expect((await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
