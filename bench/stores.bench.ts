/**
 * npm run bench -- stores [--sizes 1k,10k,100k,1m] [--lowdb-max 100k] [--adapters lowdb,postgres]
 *
 * The store operations behind the busiest requests — place an order (the order, its two
 * certificates and its reservation in one unit of work), find a reservation by its number, append
 * an audit entry, read a session — on both adapter families, with 1 k … 1 M records already in
 * each collection. Latencies (p50, p99) are also given as a multiple of a bare baseline measured in
 * the same run on the same machine: a bare INSERT into an unindexed table for PostgreSQL, a bare
 * durable write of a small file for lowdb. So the numbers say how much the store adds, not how
 * fast this machine's disk is.
 *
 * PostgreSQL is a throwaway server started for the run (test/support/postgres.ts) with its durable
 * defaults (fsync, synchronous commit) and seeded in SQL (generate_series), growing from one size to
 * the next. lowdb rewrites a whole collection file per write and keeps everything in memory, so its
 * cost grows with the data: it is measured up to --lowdb-max (default 100k); past that one write
 * serialises hundreds of millions of characters of JSON (1 M certificates of ~440 characters each
 * come near V8's longest string, about 537 million, where JSON.stringify fails).
 * Default sizes: 1k,10k (about a minute). Prints numbers, asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { writeFileDurably } from '../service/adapters/files/durable-write.js';
import { AUDIT_LOG_FILE } from '../service/adapters/lowdb/audit-store.js';
import { CERTIFICATE_FILES } from '../service/adapters/lowdb/certificate-store.js';
import { Collection } from '../service/adapters/lowdb/collection.js';
import { openLowdbStores } from '../service/adapters/lowdb/open.js';
import { COLLECTION_FILES } from '../service/adapters/lowdb/store.js';
import { migrate } from '../service/adapters/postgres/migrate.js';
import { openPostgresStores } from '../service/adapters/postgres/open.js';
import { createPool } from '../service/adapters/postgres/pool.js';
import type { AuditEntry } from '../service/domain/audit.js';
import type { IssuedCertificate, Order, Reservation } from '../service/domain/certificates/model.js';
import { systemRandom } from '../service/domain/crypto.js';
import type { Session } from '../service/domain/model.js';
import type { Stores } from '../service/domain/stores.js';
import { certificate, order as orderRecord, reservation as reservationRecord } from '../test/support/certificate-records.js';
import { startPostgres } from '../test/support/postgres.js';
import { measure, type Measurement } from './measure.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    sizes: { type: 'string', default: '1k,10k' },
    'lowdb-max': { type: 'string', default: '100k' },
    adapters: { type: 'string', default: 'lowdb,postgres' },
  },
});

const parseSize = (s: string): number => {
  const m = /^(\d+)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`not a size: ${s} (use e.g. 1k, 10k, 100k, 1m)`);
  return Number(m[1]) * { '': 1, k: 1_000, m: 1_000_000 }[m[2]!.toLowerCase() as '' | 'k' | 'm'];
};
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const sizes = args.sizes
  .split(',')
  .map(parseSize)
  .sort((a, b) => a - b);
const lowdbMax = parseSize(args['lowdb-max']);
const adapters = new Set(args.adapters.split(',').map((a) => a.trim()));

const ACCOUNT = 'bench-account';
const T0 = Date.parse('2026-04-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const pick = (n: number) => 1 + Math.floor(Math.random() * n);
/** Seeded records are numbered 1…n; `reservationNumber(i)` is unique for i < 10^8. */
const reservationNumber = (i: number) => String(i).padStart(8, '0');

/* ---- Records the measured operations write (ids of their own) ---- */

let serial = 0;
function newOrder(): { order: Order; certificates: IssuedCertificate[]; reservation: Reservation } {
  const k = ++serial;
  const now = iso(Date.now());
  const id = `bench-order-${k}`;
  const certificates = [0, 1].map((line) =>
    certificate({
      id: `bench-cert-${k}-${line}`,
      number: `SHM-2099-${String(k).padStart(7, '0')}-${line}B`,
      orderId: id,
      accountId: ACCOUNT,
      issueDate: now.slice(0, 10),
      issuedAt: now,
    }),
  );
  const reservation = reservationRecord({
    id: `bench-res-${k}`,
    // Above every seeded number (those are printed anyway, so they hold none).
    number: String(90_000_000 + k),
    orderId: id,
    accountId: ACCOUNT,
    createdAt: now,
    expiresAt: iso(Date.now() + 7 * 86_400_000),
    updatedAt: now,
  });
  const order = orderRecord({
    id,
    accountId: ACCOUNT,
    items: [
      { typeCode: 'enrollment', language: 'ja', copies: 1 },
      { typeCode: 'enrollment', language: 'en', copies: 1 },
    ],
    totalFee: 400,
    certificateIds: certificates.map((c) => c.id),
    fulfilmentId: reservation.id,
    createdAt: now,
  });
  return { order, certificates, reservation };
}

const auditEntry = (): Omit<AuditEntry, 'id'> => ({
  at: iso(Date.now()),
  actor: { type: 'student', id: ACCOUNT, name: '山田 太郎' },
  action: 'certificate.order.placed',
  target: { type: 'order', id: `bench-order-${serial}` },
  before: null,
  after: { destination: 'convenience' },
  note: null,
});

/* ---- The measured operations, the same on both families ---- */

interface Budget {
  writeRuns: number;
  readRuns: number;
  budgetMs: number;
}

async function measureOperations(stores: Stores, size: number, baseline: () => Promise<unknown>, budget: Budget): Promise<Measurement[]> {
  const options = { budgetMs: budget.budgetMs, warmUp: 3 };
  return [
    await measure('baseline (bare write), before', budget.writeRuns, baseline, options),
    await measure(
      'place an order (order + 2 certificates + reservation, one unit of work)',
      budget.writeRuns,
      () => {
        const { order, certificates, reservation } = newOrder();
        return stores.transaction(async (tx) => {
          await tx.certificates.orders.insert(order);
          await tx.certificates.certificates.insertMany(certificates);
          if (!(await tx.certificates.reservations.insert(reservation, reservation.createdAt))) throw new Error('reservation number taken');
        });
      },
      options,
    ),
    await measure('append an audit entry', budget.writeRuns, () => stores.audit.append(auditEntry()), options),
    await measure(
      'find a reservation by number',
      budget.readRuns,
      async () => {
        if ((await stores.certificates.reservations.listByNumber(reservationNumber(pick(size)))).length !== 1) throw new Error('seeded reservation not found');
      },
      options,
    ),
    await measure(
      'read a session',
      budget.readRuns,
      async () => {
        if (!(await stores.store.sessions.get(`bench-session-${pick(size)}`))) throw new Error('seeded session not found');
      },
      options,
    ),
    // Again after: a disk or a neighbour busy during one of the two shows as a difference between them.
    await measure('baseline (bare write), after', budget.writeRuns, baseline, options),
  ];
}

interface Row {
  adapter: string;
  size: string;
  operation: string;
  runs: number;
  p50ms: number;
  p99ms: number;
  'p50 × baseline': number;
  'p99 × baseline': number;
}

const rows: Row[] = [];
function record(adapter: string, size: number, measured: Measurement[]): void {
  const bases = measured.filter((m) => m.name.startsWith('baseline'));
  const base = { p50ms: bases.reduce((t, m) => t + m.p50ms, 0) / bases.length, p99ms: bases.reduce((t, m) => t + m.p99ms, 0) / bases.length };
  for (const m of measured) {
    rows.push({
      adapter,
      size: label(size),
      operation: m.name,
      runs: m.runs,
      p50ms: m.p50ms,
      p99ms: m.p99ms,
      'p50 × baseline': Number((m.p50ms / base.p50ms).toFixed(1)),
      'p99 × baseline': Number((m.p99ms / base.p99ms).toFixed(1)),
    });
  }
  console.table(rows.filter((r) => r.adapter === adapter && r.size === label(size)).map(({ adapter: _a, size: _s, ...r }) => r));
}

/* ---- PostgreSQL ---- */

/** Adds seeded records `from`…`to` (1-based) to every measured collection, in SQL. */
async function seedPostgres(pool: pg.Pool, from: number, to: number): Promise<void> {
  const range = [from, to];
  await pool.query(
    `INSERT INTO orders (id, account_id, student_id, destination, items, total_fee, language, fulfilment_id, created_at)
    SELECT 'order-' || i, '${ACCOUNT}', 'S0001', 'convenience', '[{"typeCode":"enrollment","language":"ja","copies":1}]', 200, 'ja', 'res-' || i,
           timestamptz '2026-04-01' + i * interval '1 second'
    FROM generate_series($1::int, $2::int) AS i`,
    range,
  );
  await pool.query(
    `INSERT INTO certificates (id, number, verification_code, order_id, position, account_id, student_id, type_code, language, copies,
      issue_date, valid_until, issued_at, holder_name_kanji, offline_payload, offline_key_id, status)
    SELECT 'cert-' || i, 'SHM-2026-' || lpad(i::text, 7, '0') || '-SEED', 'ABCDEFGHJK', 'order-' || i, 0, '${ACCOUNT}', 'S0001', 'enrollment', 'ja', 1,
           date '2026-04-01', null, timestamptz '2026-04-01' + i * interval '1 second', '山田 太郎', 'payload', 'k1', 'valid'
    FROM generate_series($1::int, $2::int) AS i`,
    range,
  );
  await pool.query(
    `INSERT INTO reservations (id, number, order_id, account_id, status, created_at, expires_at, printed_at, updated_at)
    SELECT 'res-' || i, lpad(i::text, 8, '0'), 'order-' || i, '${ACCOUNT}', 'printed', t, t + interval '7 days', t + interval '1 hour', t + interval '1 hour'
    FROM generate_series($1::int, $2::int) AS i, LATERAL (SELECT timestamptz '2026-04-01' + i * interval '1 second' AS t) AS times`,
    range,
  );
  await pool.query(
    `INSERT INTO audit_log (id, at, actor_type, actor_id, actor_name, action, target_type, target_id, after)
    SELECT 'audit-' || i, timestamptz '2026-04-01' + i * interval '1 second', 'student', '${ACCOUNT}', '山田 太郎', 'certificate.order.placed', 'order', 'order-' || i,
           '{"destination":"convenience"}'
    FROM generate_series($1::int, $2::int) AS i`,
    range,
  );
  await pool.query(
    `INSERT INTO sessions (id_hash, account_id, csrf_token, kiosk, created_at, last_seen_at, expires_at)
    SELECT 'bench-session-' || i, '${ACCOUNT}', 'csrf', false, now(), now(), now() + interval '1 day'
    FROM generate_series($1::int, $2::int) AS i`,
    range,
  );
  await pool.query('ANALYZE');
}

async function benchPostgres(): Promise<void> {
  console.log('\nStarting a throwaway PostgreSQL server (durable defaults)…');
  const cluster = await startPostgres({ durable: true });
  const pool = createPool(cluster.url, { max: 4 });
  try {
    await migrate(pool);
    await pool.query(
      `INSERT INTO accounts (id, idp_entity_id, user_id, language, created_at) VALUES ('${ACCOUNT}', 'https://idp.example', 'bench', 'ja', now())`,
    );
    await pool.query(`INSERT INTO certificate_types (code, name, template, languages, eligible_statuses, destinations, max_copies, fee, active, sort_order)
      VALUES ('enrollment', '{"ja":"在学証明書","en":"Certificate of Enrollment"}', 'enrollment', '{ja,en}', '{enrolled}', '{convenience,campus,mail}', 10, 200, true, 1)`);
    await pool.query('CREATE TABLE bench_baseline (id text, body text)');
    const stores = openPostgresStores(pool, { random: systemRandom });
    let seeded = 0;
    for (const size of sizes) {
      const started = Date.now();
      await seedPostgres(pool, seeded + 1, size);
      seeded = size;
      console.log(`\nPostgreSQL, ${label(size)} records in each collection (seeded in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      let b = 0;
      const baseline = () => pool.query('INSERT INTO bench_baseline (id, body) VALUES ($1, $2)', [`b-${++b}`, 'x'.repeat(200)]);
      record('postgres', size, await measureOperations(stores, size, baseline, { writeRuns: 500, readRuns: 2000, budgetMs: 20_000 }));
    }
  } finally {
    await pool.end();
    await cluster.stop();
  }
}

/* ---- lowdb ---- */

/** Adds seeded records `from`…`to` to the collection files, written by the adapters' own Collection. */
async function seedLowdb(dir: string, from: number, to: number): Promise<void> {
  const add = async <R extends object>(file: string, keyOf: (r: R) => string, make: (i: number) => R) => {
    const c = await Collection.open<R>(path.join(dir, file), keyOf);
    for (let i = from; i <= to; i++) {
      const r = make(i);
      c.records.set(keyOf(r), r);
    }
    await c.commit();
  };
  const at = (i: number) => iso(T0 + i * 1000);
  await add<Order>(
    CERTIFICATE_FILES.orders,
    (o) => o.id,
    (i) => orderRecord({ id: `order-${i}`, accountId: ACCOUNT, certificateIds: [`cert-${i}`], fulfilmentId: `res-${i}`, createdAt: at(i) }),
  );
  await add<IssuedCertificate>(
    CERTIFICATE_FILES.certificates,
    (c) => c.id,
    (i) =>
      certificate({
        id: `cert-${i}`,
        number: `SHM-2026-${String(i).padStart(7, '0')}-SEED`,
        orderId: `order-${i}`,
        accountId: ACCOUNT,
        issueDate: '2026-04-01',
        issuedAt: at(i),
      }),
  );
  await add<Reservation>(
    CERTIFICATE_FILES.reservations,
    (r) => r.id,
    (i) =>
      reservationRecord({
        id: `res-${i}`,
        number: reservationNumber(i),
        orderId: `order-${i}`,
        accountId: ACCOUNT,
        status: 'printed',
        createdAt: at(i),
        expiresAt: iso(T0 + i * 1000 + 7 * 86_400_000),
        printedAt: iso(T0 + i * 1000 + 3_600_000),
        updatedAt: iso(T0 + i * 1000 + 3_600_000),
      }),
  );
  await add<AuditEntry & { seq: number }>(
    AUDIT_LOG_FILE,
    (e) => e.id,
    (i) => ({
      id: `audit-${i}`,
      seq: i,
      at: at(i),
      actor: { type: 'student', id: ACCOUNT, name: '山田 太郎' },
      action: 'certificate.order.placed',
      target: { type: 'order', id: `order-${i}` },
      before: null,
      after: { destination: 'convenience' },
      note: null,
    }),
  );
  const day = iso(Date.now() + 86_400_000);
  await add<Session>(
    COLLECTION_FILES.sessions,
    (s) => s.idHash,
    (i) => ({
      idHash: `bench-session-${i}`,
      accountId: ACCOUNT,
      csrfToken: 'csrf',
      kiosk: false,
      createdAt: at(i),
      lastSeenAt: at(i),
      expiresAt: day,
      saml: null,
    }),
  );
}

async function benchLowdb(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-bench-stores-'));
  try {
    let seeded = 0;
    for (const size of sizes) {
      if (size > lowdbMax) {
        console.log(
          `\nlowdb, ${label(size)}: not measured (above --lowdb-max ${label(lowdbMax)}). Every write rewrites and fsyncs its whole collection file ` +
            `and every record stays in memory; see the growth from the smaller sizes above.`,
        );
        continue;
      }
      const started = Date.now();
      await seedLowdb(dir, seeded + 1, size);
      seeded = size;
      const stores = await openLowdbStores(dir, { random: systemRandom, pruneIntervalMs: 0, expireIntervalMs: 0 });
      console.log(`\nlowdb, ${label(size)} records in each collection (seeded and loaded in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      let b = 0;
      const baselineFile = path.join(dir, 'bench-baseline.json');
      const baseline = () => writeFileDurably(baselineFile, JSON.stringify({ b: ++b, body: 'x'.repeat(200) }));
      try {
        record('lowdb', size, await measureOperations(stores, size, baseline, { writeRuns: 200, readRuns: 2000, budgetMs: 20_000 }));
      } finally {
        await stores.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (adapters.has('lowdb')) await benchLowdb();
if (adapters.has('postgres')) await benchPostgres();

console.log('\nAll sizes (latencies in ms; "× baseline": over the same percentile of the bare write, the mean of its runs before and after)');
console.table(rows);
const writes = rows.filter((r) => r.adapter === 'postgres' && /order|audit/.test(r.operation));
if (writes.length > 0) {
  const worst = Math.max(...writes.map((r) => r.p99ms));
  console.log(`PostgreSQL writes: worst p99 ${worst} ms over ${[...new Set(writes.map((r) => r.size))].join(', ')} (goal: ≤ 5 ms at 1M, flat across sizes).`);
}
