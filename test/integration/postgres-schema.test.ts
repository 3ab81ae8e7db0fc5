/**
 * The PostgreSQL schema and its migrations on a real PostgreSQL server: `npm run migrate` as an
 * operator runs it, several migrators at once, a changed or failing migration, and the
 * constraints the schema itself keeps whatever an adapter does.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMigrations, loadMigrations, migrate, MigrationError, MigrationFailedError, type Migration } from '../../service/adapters/postgres/migrate.js';
import { createPool } from '../../service/adapters/postgres/pool.js';
import { startPostgres, type PostgresCluster } from '../support/postgres.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run migrate` in its own process, as an operator runs it. */
function npmRunMigrate(databaseUrl: string | undefined): Promise<Run> {
  const env = { ...process.env };
  if (databaseUrl === undefined) delete env.DATABASE_URL;
  else env.DATABASE_URL = databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'migrate'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let cluster: PostgresCluster;
let migrations: Migration[];
const pools: pg.Pool[] = [];

/** A pool on a new, empty database of the cluster. */
async function freshDatabase(): Promise<{ url: string; pool: pg.Pool }> {
  const url = await cluster.createDatabase();
  const pool = createPool(url);
  pools.push(pool);
  return { url, pool };
}

const appliedRows = async (pool: pg.Pool) =>
  (await pool.query<{ version: number; name: string; checksum: string; applied_at: Date }>('SELECT * FROM schema_migrations ORDER BY version')).rows;

beforeAll(async () => {
  cluster = await startPostgres();
  migrations = await loadMigrations();
  // Builds the service when it is stale (as a first `npm run migrate` does), so that the runs below print only their own lines.
  await npmRunMigrate(undefined);
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await cluster?.stop();
});

describe('npm run migrate', () => {
  it('applies every migration to an empty database, and a second run changes nothing', async () => {
    const pool = createPool(cluster.url);
    pools.push(pool);
    const before = await checkMigrations(pool);
    expect(before).toMatchObject({ ok: false, applied: [], missing: migrations.map((m) => m.name) });
    expect(before.message).toContain('npm run migrate');

    const first = await npmRunMigrate(cluster.url);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const m of migrations) expect(first.stdout).toContain(`Applied ${m.name}`);
    // The operator never sees the password.
    expect(first.stdout).not.toContain(new URL(cluster.url).password);
    const applied = await appliedRows(pool);
    expect(applied.map((r) => [r.version, r.name, r.checksum])).toEqual(migrations.map((m) => [m.version, m.name, m.checksum]));
    expect(await checkMigrations(pool)).toMatchObject({ ok: true, missing: [], changed: [], unknown: [], message: null });
    const { rows: tables } = await pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['accounts', 'orders', 'certificates', 'certificate_pdfs', 'reservations', 'audit_log']),
    );

    const second = await npmRunMigrate(cluster.url);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('Applied');
    expect(second.stdout).toContain(`all ${migrations.length} migrations were applied before`);
    expect(await appliedRows(pool)).toEqual(applied);
  });

  it('says what is missing and exits with 2 without DATABASE_URL', async () => {
    const run = await npmRunMigrate(undefined);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DATABASE_URL is not set');
    expect(run.stderr).not.toContain('    at ');
  });

  it('exits with 1 and a plain reason when the server cannot be reached', async () => {
    const url = new URL(cluster.url);
    url.port = '1';
    const run = await npmRunMigrate(url.toString());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Cannot migrate postgres:\/\/shomei:\*\*\*@127\.0\.0\.1:1\/.*ECONNREFUSED/);
  });

  it('lets two migrators started at once apply the schema once', async () => {
    const { url, pool } = await freshDatabase();
    const runs = await Promise.all([npmRunMigrate(url), npmRunMigrate(url)]);
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    // Each migration applied by exactly one of them.
    for (const m of migrations) expect(runs.filter((r) => r.stdout.includes(`Applied ${m.name}`))).toHaveLength(1);
    expect((await appliedRows(pool)).map((r) => r.name)).toEqual(migrations.map((m) => m.name));

    // And many at the same instant, each on its own connection.
    const other = await freshDatabase();
    const migrators = Array.from({ length: 5 }, () => createPool(other.url, { max: 1 }));
    pools.push(...migrators);
    const results = await Promise.all(migrators.map((p) => migrate(p)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(migrations.map((m) => m.name));
    expect((await appliedRows(other.pool)).map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });
});

describe('migrations that cannot be applied', () => {
  const extra = (sql: string): Migration => ({
    version: migrations.length + 1,
    name: `${String(migrations.length + 1).padStart(4, '0')}_extra`,
    sql,
    checksum: `checksum of ${sql}`,
  });

  it('refuses a database whose applied migration has changed since, changing nothing', async () => {
    const { url, pool } = await freshDatabase();
    await migrate(pool);
    const first = migrations[0]!;
    // As if 0001's file had been edited after it was applied.
    await pool.query('UPDATE schema_migrations SET checksum = $1 WHERE version = 1', ['0'.repeat(64)]);

    const run = await npmRunMigrate(url);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Migration refused, nothing was changed');
    expect(run.stderr).toContain(`files have changed since: ${first.name}`);
    expect(await checkMigrations(pool)).toMatchObject({ ok: false, changed: [first.name] });

    // A pending migration is not applied past the changed one.
    await expect(migrate(pool, { migrations: [...migrations, extra('CREATE TABLE later (id integer)')] })).rejects.toBeInstanceOf(MigrationError);
    expect((await pool.query("SELECT to_regclass('later') AS t")).rows[0].t).toBeNull();
  });

  it('refuses a database migrated by a newer version', async () => {
    const { pool } = await freshDatabase();
    await migrate(pool, { migrations: [...migrations, extra('CREATE TABLE newer (id integer)')] });
    await expect(migrate(pool)).rejects.toThrow(/does not have: \d{4}_extra/);
    expect(await checkMigrations(pool)).toMatchObject({ ok: false, unknown: [`${String(migrations.length + 1).padStart(4, '0')}_extra`] });
  });

  it('rolls a failing migration back whole and keeps the ones before it', async () => {
    const { pool } = await freshDatabase();
    const failing = extra('CREATE TABLE half_done (id integer); SELECT 1 / 0;');
    const error = await migrate(pool, { migrations: [...migrations, failing] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as MigrationFailedError).migration).toBe(failing.name);
    expect((await pool.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull();
    expect((await appliedRows(pool)).map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    expect(await checkMigrations(pool, [...migrations, failing])).toMatchObject({ ok: false, missing: [failing.name] });

    // Applied and recorded in one transaction: when its row in schema_migrations cannot be written, the migration is undone too.
    const unrecordable = extra(`CREATE TABLE unrecorded (id integer);
      INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (${migrations.length + 1}, 'squatter', 'x', 0)`);
    await expect(migrate(pool, { migrations: [...migrations, unrecordable] })).rejects.toBeInstanceOf(MigrationFailedError);
    expect((await pool.query("SELECT to_regclass('unrecorded') AS t")).rows[0].t).toBeNull();
    expect((await appliedRows(pool)).map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });
});

describe('the schema keeps', () => {
  let db: pg.Pool;
  let seq = 0;
  const next = (prefix: string) => `${prefix}-${++seq}`;

  beforeAll(async () => {
    db = (await freshDatabase()).pool;
    await migrate(db);
  });

  async function account(id = next('account')): Promise<string> {
    await db.query("INSERT INTO accounts (id, idp_entity_id, user_id, language, created_at) VALUES ($1, 'https://idp.example.ac.jp', $1, 'ja', now())", [id]);
    return id;
  }
  async function certificateType(code = `t${++seq}`): Promise<string> {
    await db.query(
      `INSERT INTO certificate_types (code, name, template, languages, eligible_statuses, destinations, max_copies, fee, active, sort_order)
       VALUES ($1, '{"ja": "在学証明書", "en": "Certificate of Enrollment"}', 'enrollment', '{ja,en}', '{enrolled}', '{convenience}', 5, 200, true, 1)`,
      [code],
    );
    return code;
  }
  const insertOrder = (q: pg.Pool | pg.PoolClient, id: string, accountId: string, fulfilmentId: string) =>
    q.query(
      `INSERT INTO orders (id, account_id, student_id, destination, items, total_fee, language, fulfilment_id, created_at)
       VALUES ($1, $2, 'S0001', 'convenience', '[]', 200, 'ja', $3, now())`,
      [id, accountId, fulfilmentId],
    );
  const insertCertificate = (q: pg.Pool | pg.PoolClient, c: { id: string; number: string; orderId: string; accountId: string; typeCode: string }) =>
    q.query(
      `INSERT INTO certificates (id, number, verification_code, order_id, position, account_id, student_id, type_code, language, copies,
         issue_date, issued_at, holder_name_kanji, offline_payload, offline_key_id, status)
       VALUES ($1, $2, 'ABCDEFGHJK', $3, 0, $4, 'S0001', $5, 'ja', 1, '2026-12-07', now(), '山田 太郎', 'payload', 'key-1', 'valid')`,
      [c.id, c.number, c.orderId, c.accountId, c.typeCode],
    );
  const insertReservation = (q: pg.Pool | pg.PoolClient, r: { id: string; number: string; orderId: string; accountId: string; status?: string }) =>
    q.query(
      `INSERT INTO reservations (id, number, order_id, account_id, status, created_at, expires_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, now(), now() + interval '7 days', now())`,
      [r.id, r.number, r.orderId, r.accountId, r.status ?? 'reserved'],
    );
  async function order(accountId: string): Promise<{ id: string; fulfilmentId: string }> {
    const o = { id: next('order'), fulfilmentId: next('fulfilment') };
    await insertOrder(db, o.id, accountId, o.fulfilmentId);
    return o;
  }

  it('one active reservation per 予約番号: a second is refused until the first is no longer open', async () => {
    const owner = await account();
    const [a, b] = [await order(owner), await order(owner)];
    await insertReservation(db, { id: a.fulfilmentId, number: '12345678', orderId: a.id, accountId: owner });
    await expect(insertReservation(db, { id: b.fulfilmentId, number: '12345678', orderId: b.id, accountId: owner })).rejects.toMatchObject({
      code: '23505',
      constraint: 'reservations_active_number',
    });
    await db.query("UPDATE reservations SET status = 'expired' WHERE id = $1", [a.fulfilmentId]);
    await insertReservation(db, { id: b.fulfilmentId, number: '12345678', orderId: b.id, accountId: owner });
    const { rows } = await db.query("SELECT status FROM reservations WHERE number = '12345678' ORDER BY status");
    expect(rows.map((r) => r.status)).toEqual(['expired', 'reserved']);
  });

  it('a print under way always has its claim; a printed one its time', async () => {
    const owner = await account();
    const o = await order(owner);
    await insertReservation(db, { id: o.fulfilmentId, number: '23456789', orderId: o.id, accountId: owner });
    await expect(db.query("UPDATE reservations SET status = 'printing' WHERE id = $1", [o.fulfilmentId])).rejects.toMatchObject({ code: '23514' });
    await expect(db.query("UPDATE reservations SET status = 'printed' WHERE id = $1", [o.fulfilmentId])).rejects.toMatchObject({ code: '23514' });
    // The conditional update a claim is: of two printers racing, one row changes.
    const claim = (id: string) =>
      db.query(
        `UPDATE reservations SET status = 'printing', claim_id = $2, claim_by = 'store-simulator', claim_at = now(), claim_lease_until = now() + interval '5 minutes'
         WHERE id = $1 AND status = 'reserved'`,
        [o.fulfilmentId, id],
      );
    const counts = (await Promise.all([claim('claim-a'), claim('claim-b')])).map((r) => r.rowCount);
    expect(counts.sort()).toEqual([0, 1]);
  });

  it('no certificate without its order, no order without its account', async () => {
    const owner = await account();
    const type = await certificateType();
    await expect(
      insertCertificate(db, { id: next('cert'), number: 'SHM-2026-AAAA-0001', orderId: 'no-such-order', accountId: owner, typeCode: type }),
    ).rejects.toMatchObject({
      code: '23503',
      constraint: 'certificates_order_id_fkey',
    });
    await expect(insertOrder(db, next('order'), 'no-such-account', next('fulfilment'))).rejects.toMatchObject({
      code: '23503',
      constraint: 'orders_account_id_fkey',
    });
    await expect(db.query("INSERT INTO certificate_pdfs (number, pdf) VALUES ('SHM-2026-AAAA-0002', '\\x25504446')")).rejects.toMatchObject({ code: '23503' });
  });

  it('an order placed in one transaction in any order, checked at commit, its PDF kept byte for byte', async () => {
    const owner = await account();
    const type = await certificateType();
    const orderId = next('order');
    const fulfilmentId = next('fulfilment');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 255, 1, 254]), Buffer.alloc(100_000, 7)]);
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      // As order placement goes: the PDF, then the certificate, then the order and its reservation.
      await client.query("INSERT INTO certificate_pdfs (number, pdf) VALUES ('SHM-2026-BBBB-0001', $1)", [pdf]);
      await insertCertificate(client, { id: next('cert'), number: 'SHM-2026-BBBB-0001', orderId, accountId: owner, typeCode: type });
      await insertOrder(client, orderId, owner, fulfilmentId);
      await insertReservation(client, { id: fulfilmentId, number: '34567890', orderId, accountId: owner });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { rows } = await db.query<{ pdf: Buffer }>("SELECT pdf FROM certificate_pdfs WHERE number = 'SHM-2026-BBBB-0001'");
    expect(Buffer.compare(rows[0]!.pdf, pdf)).toBe(0);
    // A type certificates were issued of can only be retired, not deleted.
    await expect(db.query('DELETE FROM certificate_types WHERE code = $1', [type])).rejects.toMatchObject({ code: '23503' });
  });

  it('one decision per submission of an application', async () => {
    const applicant = await account();
    const id = next('application');
    await db.query(
      `INSERT INTO applications (id, kind, account_id, status, form, mail, language, created_at, updated_at, search_key)
       VALUES ($1, 'studentId', $2, 'pending', '{"studentId": "S0002"}', 'taro@example.jp', 'ja', now(), now(), 's0002')`,
      [id, applicant],
    );
    const event = (seq: number, round: number, action: string, actor: string) =>
      db.query('INSERT INTO application_events (application_id, seq, round, at, action, actor) VALUES ($1, $2, $3, now(), $4, $5)', [
        id,
        seq,
        round,
        action,
        actor,
      ]);
    await event(1, 1, 'submitted', applicant);
    await event(2, 1, 'resubmit', 'staff-a');
    await expect(event(3, 1, 'approved', 'staff-b')).rejects.toMatchObject({ code: '23505', constraint: 'application_events_one_decision' });
    await event(3, 2, 'resubmitted', applicant);
    await event(4, 2, 'approved', 'staff-b');
    await expect(event(5, 2, 'rejected', 'staff-a')).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('SELECT student_id FROM applications WHERE id = $1', [id])).rows[0].student_id).toBe('S0002');
  });

  it('one account per IdP user, one token per hash used once, an append-only audit log', async () => {
    await db.query("INSERT INTO accounts (id, idp_entity_id, user_id, language, created_at) VALUES ('a-1', 'https://idp.example.ac.jp', 'taro', 'ja', now())");
    await expect(
      db.query("INSERT INTO accounts (id, idp_entity_id, user_id, language, created_at) VALUES ('a-2', 'https://idp.example.ac.jp', 'taro', 'en', now())"),
    ).rejects.toMatchObject({ code: '23505', constraint: 'accounts_idp_entity_id_user_id_key' });

    const token =
      "INSERT INTO one_time_tokens (hash, purpose, account_id, mail, created_at, expires_at) VALUES ('h-1', 'mail.register', 'a-1', 'taro@example.jp', now(), now() + interval '1 day')";
    await db.query(token);
    await expect(db.query(token)).rejects.toMatchObject({ code: '23505' });
    const consume = () => db.query("UPDATE one_time_tokens SET used = true, used_at = now() WHERE hash = 'h-1' AND NOT used AND expires_at > now()");
    expect((await Promise.all([consume(), consume()])).map((r) => r.rowCount).sort()).toEqual([0, 1]);
    await expect(db.query("UPDATE one_time_tokens SET used = false WHERE hash = 'h-1'")).rejects.toMatchObject({ code: '23514' });

    await db.query(
      "INSERT INTO audit_log (id, at, actor_type, actor_id, actor_name, action, target_type, target_id) VALUES ('e-1', now(), 'staff', 's-1', 'Admin', 'application.approved', 'application', 'x')",
    );
    await expect(db.query("UPDATE audit_log SET note = 'edited' WHERE id = 'e-1'")).rejects.toThrow('never changed or deleted');
    await expect(db.query("DELETE FROM audit_log WHERE id = 'e-1'")).rejects.toThrow('never changed or deleted');
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow('never changed or deleted');
  });

  it('rate limits shared by every instance: one row per limiter and client with the times of its attempts', async () => {
    const hit = () =>
      db.query<{ n: number }>(
        `INSERT INTO rate_limit_windows AS w (limiter, client, hits, expires_at) VALUES ('store', '192.0.2.1', ARRAY[now()], now() + interval '20 minutes')
         ON CONFLICT (limiter, client) DO UPDATE SET hits = array_append(w.hits, now()) RETURNING cardinality(hits) AS n`,
      );
    const hits = await Promise.all(Array.from({ length: 20 }, hit));
    expect(hits.map((r) => r.rows[0]!.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
