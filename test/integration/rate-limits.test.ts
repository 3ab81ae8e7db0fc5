/**
 * The rate-limit counters (`RateLimitStore`) of both store families — the embedded one in memory
 * and PostgreSQL's shared table on a real server, where two pools stand in for two service
 * instances — and the login throttles' counts (`LoginThrottleStore`) on PostgreSQL (the embedded
 * one: test/unit/staff-lockout.test.ts).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../../service/adapters/lowdb/rate-limits.js';
import { migrate } from '../../service/adapters/postgres/migrate.js';
import { createPool } from '../../service/adapters/postgres/pool.js';
import { PostgresLoginThrottleStore } from '../../service/adapters/postgres/login-throttles.js';
import { PostgresRateLimitStore } from '../../service/adapters/postgres/rate-limits.js';
import type { RateLimitRule, RateLimitStore } from '../../service/domain/rate-limits.js';
import { createLoginThrottle, STAFF_THROTTLE } from '../../service/domain/staff/throttle.js';
import { TestClock } from '../support/factories.js';
import { loginThrottleBehaviour } from '../support/login-throttle-behaviour.js';
import { startPostgres, type PostgresCluster } from '../support/postgres.js';

// The start of a 60, 600 and 3600 second window alike (whole hours since the epoch).
const T0 = new Date('2026-04-01T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const RULE: RateLimitRule = { limit: 3, windowSeconds: 600 };

let cluster: PostgresCluster;
let url: string;
const pools: pg.Pool[] = [];
const pool = () => {
  const p = createPool(url);
  pools.push(p);
  return p;
};

beforeAll(async () => {
  cluster = await startPostgres();
  url = cluster.url;
  await migrate(pool());
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await cluster?.stop();
});

let limiters = 0;
/** A limiter name no other test uses (the PostgreSQL tests share one database). */
const fresh = () => `limiter-${++limiters}`;

describe.each([
  { family: 'memory (lowdb family)', open: (): RateLimitStore => new MemoryRateLimitStore() },
  { family: 'PostgreSQL', open: (): RateLimitStore => new PostgresRateLimitStore(pool()) },
])('rate-limit counters: $family', ({ open }) => {
  it('allows the limit, refuses the next with the seconds until the window frees it, and counts no refused hit', async () => {
    const store = open();
    const limiter = fresh();
    for (let i = 0; i < RULE.limit; i++) expect(await store.hit(limiter, '192.0.2.1', T0, RULE)).toEqual({ allowed: true });
    expect(await store.hit(limiter, '192.0.2.1', at(100), RULE)).toEqual({ allowed: false, retryAfterSeconds: 500 });
    expect(await store.hit(limiter, '192.0.2.1', at(599.5), RULE)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // A new window: the limit again, in full (the refused hits were not counted).
    for (let i = 0; i < RULE.limit; i++) expect(await store.hit(limiter, '192.0.2.1', at(600), RULE)).toEqual({ allowed: true });
    expect(await store.hit(limiter, '192.0.2.1', at(600), RULE)).toMatchObject({ allowed: false });
  });

  it('counts each client and each limiter apart', async () => {
    const store = open();
    const [verify, saml] = [fresh(), fresh()];
    for (let i = 0; i < RULE.limit; i++) await store.hit(verify, '192.0.2.1', T0, RULE);
    expect(await store.hit(verify, '192.0.2.1', T0, RULE)).toMatchObject({ allowed: false });
    expect(await store.hit(verify, '192.0.2.2', T0, RULE)).toEqual({ allowed: true });
    expect(await store.hit(saml, '192.0.2.1', T0, RULE)).toEqual({ allowed: true });
  });

  it('counts in a sliding window: hits late in one window still hold the client back early in the next, until each has left', async () => {
    const store = open();
    const limiter = fresh();
    // Hits at 590, 595 and 599 s, around a boundary of any fixed 600-second window.
    for (const s of [590, 595, 599]) expect(await store.hit(limiter, '192.0.2.1', at(s), RULE)).toEqual({ allowed: true });
    expect(await store.hit(limiter, '192.0.2.1', at(601), RULE)).toEqual({ allowed: false, retryAfterSeconds: 589 });
    expect(await store.hit(limiter, '192.0.2.1', at(1189), RULE)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // The first hit leaves at 1190 s: one place, and the wait is then until the second leaves.
    expect(await store.hit(limiter, '192.0.2.1', at(1190), RULE)).toEqual({ allowed: true });
    expect(await store.hit(limiter, '192.0.2.1', at(1190), RULE)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });

  it('allows exactly the limit of 50 hits at once', async () => {
    const store = open();
    const limiter = fresh();
    const rule = { limit: 7, windowSeconds: 60 };
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => store.hit(limiter, '192.0.2.9', T0, rule)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(7);
    expect(verdicts.filter((v) => !v.allowed)).toEqual(Array.from({ length: 43 }, () => ({ allowed: false, retryAfterSeconds: 60 })));
  });
});

describe('rate-limit counters: PostgreSQL across instances', () => {
  it('counts the hits of two instances (two pools) against one limit, 50 of them at once', async () => {
    const a = new PostgresRateLimitStore(pool());
    const b = new PostgresRateLimitStore(pool());
    const limiter = fresh();
    const rule = { limit: 20, windowSeconds: 600 };
    const verdicts = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).hit(limiter, '198.51.100.7', at(30), rule)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(20);
    // The count is one: neither instance lets the client through afterwards.
    expect(await a.hit(limiter, '198.51.100.7', at(31), rule)).toEqual({ allowed: false, retryAfterSeconds: 599 });
    expect(await b.hit(limiter, '198.51.100.7', at(31), rule)).toEqual({ allowed: false, retryAfterSeconds: 599 });
  });

  it('deletes the rows of clients whose attempts have all left the window, so the table does not grow with every client ever seen', async () => {
    const db = pool();
    const store = new PostgresRateLimitStore(db, { pruneEveryMs: 3600_000 });
    const limiter = fresh();
    const rows = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM rate_limit_windows WHERE limiter = $1', [limiter])).rows[0]!.n);
    for (let i = 0; i < 5; i++) await store.hit(limiter, `203.0.113.${i}`, at(3600 + i), RULE);
    await store.hit(limiter, '203.0.113.99', at(3600 + 650), RULE);
    expect(await rows()).toBe(6);
    // The next prune is due an hour after the first hit: it drops the six rows whose attempts have all left.
    await store.hit(limiter, '203.0.113.99', at(7200), RULE);
    expect(await rows()).toBe(1);
    expect(await store.prune(at(7200 + 600))).toBe(1);
    expect(await rows()).toBe(0);
  });
});

describe('login throttle counts: PostgreSQL', () => {
  loginThrottleBehaviour(() => new PostgresLoginThrottleStore(pool()), fresh);

  it('counts the failures of two instances together: one lock, seen by both, lifted by a success on either', async () => {
    const clock = new TestClock();
    const name = fresh();
    const a = createLoginThrottle({ store: new PostgresLoginThrottleStore(pool()), clock, name });
    const b = createLoginThrottle({ store: new PostgresLoginThrottleStore(pool()), clock, name });
    const locks = await Promise.all(Array.from({ length: STAFF_THROTTLE.lockAfterFailures }, (_, i) => (i % 2 ? a : b).fail('sato')));
    expect(locks.filter(Boolean)).toHaveLength(1);
    expect(await a.check('sato')).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: STAFF_THROTTLE.lockSeconds });
    expect(await b.check('sato')).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: STAFF_THROTTLE.lockSeconds });
    await b.succeed('sato');
    expect(await a.check('sato')).toEqual({ allowed: true });
  });

  it('deletes forgotten records, and only those', async () => {
    const db = pool();
    const clock = new TestClock();
    const name = fresh();
    const throttle = createLoginThrottle({ store: new PostgresLoginThrottleStore(db, { pruneEveryMs: 0 }), clock, name });
    const keys = async () =>
      (await db.query<{ key: string }>('SELECT key FROM login_throttle WHERE starts_with(key, $1) ORDER BY key', [`${name}:`])).rows.map((r) => r.key);
    await throttle.fail('old');
    clock.advance(STAFF_THROTTLE.forgetAfterSeconds + 1);
    await throttle.fail('new');
    expect(await keys()).toEqual([`${name}:new`]);
  });
});
