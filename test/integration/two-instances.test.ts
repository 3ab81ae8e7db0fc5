import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../service/adapters/postgres/migrate.js';
import { openPostgresStores } from '../../service/adapters/postgres/open.js';
import { createPool } from '../../service/adapters/postgres/pool.js';
import type { Stores } from '../../service/domain/stores.js';
import type { OrderView } from '../../service/contract/certificates.js';
import { DEMO_USERS_FILE, type DemoUser } from '../../service/demo/demo-idp.js';
import { SESSION_COOKIE } from '../../service/http/middleware/session.js';
import { startBuiltService } from '../support/built-service.js';
import { certificate, order, reservation } from '../support/certificate-records.js';
import { random } from '../support/factories.js';
import { HttpBrowser, parseForms } from '../support/http-browser.js';
import { freePort } from '../support/ports.js';
import { startPostgres, type PostgresCluster } from '../support/postgres.js';
import { startRoundRobinProxy, type Instance, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { ApiClient, readDemoStaffCredentials } from '../support/staff.js';

/**
 * Two service processes (the built server, as `npm start` runs it) on one PostgreSQL database
 * behind one reverse proxy, sharing nothing else: each has its own empty DATA_DIR. Whatever one
 * instance began, the other must carry on.
 */
const root = path.resolve(import.meta.dirname, '../..');
const server = path.join(root, 'dist/service/server.js');
const demoUsers = JSON.parse(readFileSync(DEMO_USERS_FILE, 'utf8')) as DemoUser[];

describe('two instances on one PostgreSQL database', () => {
  let cluster: PostgresCluster;
  let pool: pg.Pool;
  let stores: Stores;
  let proxy: RoundRobinProxy;
  const children: Partial<Record<Instance, ChildProcess>> = {};
  const ports: Partial<Record<Instance, number>> = {};
  const dataDirs: string[] = [];

  async function startInstance(instance: Instance): Promise<void> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `shomei-instance-${instance}-`));
    dataDirs.push(dataDir);
    const port = await freePort();
    children[instance] = await startBuiltService({
      DATABASE_URL: cluster.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: proxy.url,
      TRUST_PROXY: '1',
      LOG_LEVEL: 'silent',
    });
    ports[instance] = port;
    proxy.setBackend(instance, port);
  }

  beforeAll(async () => {
    if (!existsSync(server)) throw new Error('dist/service/server.js is missing: run `npm run build` first (npm test does)');
    cluster = await startPostgres();
    pool = createPool(cluster.url, { max: 4 });
    await migrate(pool);
    stores = openPostgresStores(pool, { random });
    proxy = await startRoundRobinProxy();
    // At once: the instances seed the demo data one after the other (only the first finds it missing).
    await Promise.all([startInstance('a'), startInstance('b')]);
  });

  afterAll(async () => {
    for (const child of Object.values(children)) {
      if (child && child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await gone;
      }
    }
    await proxy?.close();
    await pool?.end();
    await cluster?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Signs a demo student in: the login starts on `start`, the IdP's response is posted to `acs`. */
  async function signIn(user: number, start: Instance, acs: Instance): Promise<HttpBrowser> {
    proxy.route = (_method, p) => (p === '/saml/login' ? start : p === '/saml/acs' ? acs : null);
    const browser = new HttpBrowser();
    const idpPage = await browser.get(`${proxy.url}/saml/login?returnTo=/home`);
    expect(idpPage.status).toBe(200);
    const index = parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === String(user));
    const autopost = await browser.submit(idpPage, {}, index);
    const done = await browser.submit(autopost, {}, 0, { stopAt: (u) => ['/mail/register', '/login', '/home'].includes(new URL(u).pathname) });
    expect(done.trail.at(-1)).not.toContain('/login');
    proxy.route = () => null;
    return browser;
  }

  const meOn = async (browser: HttpBrowser, instance: Instance) => {
    const before = proxy.route;
    proxy.route = () => instance;
    try {
      return await browser.request('GET', `${proxy.url}/api/me`, { headers: { accept: 'application/json' } });
    } finally {
      proxy.route = before;
    }
  };

  it('uses one set of keys, generated once into the database, and nothing in either DATA_DIR but the demo mailbox and demo passwords', async () => {
    const fetchFrom = async (instance: Instance, p: string) => (await fetch(`http://127.0.0.1:${ports[instance]}${p}`)).text();
    for (const p of ['/saml/metadata', '/api/verify/keys', '/demo-idp/metadata']) {
      const [a, b] = await Promise.all([fetchFrom('a', p), fetchFrom('b', p)]);
      expect(a.length, p).toBeGreaterThan(100);
      expect(b, p).toBe(a);
    }
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM service_keys ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(['demo-idp-key-pair', 'demo-signing-keys', 'offline-verification-key', 'sp-key-pair']);
    for (const dir of dataDirs) {
      for (const file of readdirSync(dir)) expect(['dev-mailbox.json', 'demo-staff-credentials.txt'], `${dir}/${file}`).toContain(file);
    }
  });

  it('completes on B a SAML login started on A, and the session works on both', async () => {
    proxy.served.length = 0;
    const browser = await signIn(1, 'a', 'b');
    expect(proxy.served.find((s) => s.path.startsWith('/saml/login'))?.instance).toBe('a');
    expect(proxy.served.find((s) => s.path === '/saml/acs')?.instance).toBe('b');
    for (const instance of ['a', 'b', 'a'] as const) {
      const me = await meOn(browser, instance);
      expect(me.status, `GET /api/me on ${instance}`).toBe(200);
      expect(JSON.parse(me.body)).toMatchObject({ studentIds: [expect.any(String)] });
    }
  });

  it('counts a rate limit across both instances', async () => {
    const client = new ApiClient(proxy.url);
    client.headersFor = () => ({ 'x-test-client': '198.51.100.7' });
    client.csrfToken = (await client.get('/api/session')).body.csrfToken;
    proxy.served.length = 0;
    const statuses: number[] = [];
    // /api/verify allows one client 20 checks in 10 minutes, wherever they land.
    for (let i = 0; i < 21; i++) statuses.push((await client.post('/api/verify', { number: 'SHM-2026-000000-XXXX', code: 'ABCDEFGHJK' })).status);
    expect(new Set(proxy.served.map((s) => s.instance))).toEqual(new Set(['a', 'b']));
    expect(statuses.slice(0, 20).filter((s) => s === 429)).toEqual([]);
    expect(statuses[20]).toBe(429);
  });

  it('prints a 予約番号 exactly once when 50 terminals on both instances redeem it at once', async () => {
    await signIn(2, 'b', 'a');
    const student = demoUsers.find((_, i) => i === 2)!;
    const account = (await stores.store.accounts.findByIdentity(`${proxy.url}/demo-idp/metadata`, student.eppn))?.id;
    expect(account).toBeTruthy();
    const type = (await stores.certificates.types.list()).find((t) => t.active && t.destinations.includes('convenience'))!;
    const now = Date.now();
    const placed = order({
      accountId: account!,
      studentId: student.studentId,
      items: [{ typeCode: type.code, language: 'ja', copies: 1 }],
      createdAt: new Date(now).toISOString(),
    });
    const issued = certificate({ orderId: placed.id, accountId: account!, typeCode: type.code, issuedAt: placed.createdAt });
    const booked = reservation({
      number: '48151623',
      orderId: placed.id,
      accountId: account!,
      createdAt: placed.createdAt,
      updatedAt: placed.createdAt,
      expiresAt: new Date(now + 7 * 24 * 3600_000).toISOString(),
    });
    const pdf = await (async () => {
      const doc = await PDFDocument.create();
      doc.addPage();
      return doc.save();
    })();
    await stores.transaction(async (tx) => {
      await tx.certificates.certificates.insertMany([issued]);
      await tx.certificatePdfs.write(issued.number, pdf);
      await tx.certificates.orders.insert({ ...placed, certificateIds: [issued.id], fulfilmentId: booked.id });
      expect(await tx.certificates.reservations.insert(booked, placed.createdAt)).toBe(true);
    });

    const terminal = (i: number) => {
      const c = new ApiClient(proxy.url);
      c.headersFor = () => ({ 'x-test-client': `192.0.2.${i + 1}` });
      return c;
    };
    const terminals = Array.from({ length: 50 }, (_, i) => terminal(i));
    await Promise.all(terminals.map(async (c) => (c.csrfToken = (await c.get('/api/session')).body.csrfToken)));
    proxy.served.length = 0;
    const claims = await Promise.all(terminals.map((c) => c.post('/api/store/claim', { number: booked.number })));
    expect(new Set(proxy.served.filter((s) => s.path === '/api/store/claim').map((s) => s.instance))).toEqual(new Set(['a', 'b']));
    const won = claims.map((answer, i) => ({ answer, i })).filter(({ answer }) => answer.status === 200);
    expect(won).toHaveLength(1);
    expect(claims.filter((c) => c.status !== 200).every((c) => c.status >= 400 && c.status < 500 && typeof c.body.error?.code === 'string')).toBe(true);

    // The winner prints through whichever instance the proxy picks.
    const { answer, i } = won[0]!;
    const winner = terminals[i]!;
    for (const document of answer.body.documents as { url: string }[]) {
      const res = await fetch(new URL(document.url, proxy.url), {
        headers: { 'x-test-client': `192.0.2.${i + 1}`, cookie: [...winner.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);
    }
    expect((await winner.post('/api/store/confirm', { number: booked.number, claimId: answer.body.claimId })).status).toBe(200);
    const after = await stores.certificates.reservations.get(booked.id);
    expect(after).toMatchObject({ status: 'printed', printedAt: expect.any(String) });
    expect((await terminal(60).post('/api/store/claim', { number: booked.number }, { csrf: null })).status).not.toBe(200);
  });

  it('keeps serving on B when A is killed with SIGKILL in the middle of staff logins, and no acknowledged session is lost', async () => {
    const student = await signIn(3, 'a', 'a');
    // The demo passwords are in the DATA_DIR of the instance that seeded.
    const seeded = dataDirs.find((dir) => existsSync(path.join(dir, 'demo-staff-credentials.txt')))!;
    const password = readDemoStaffCredentials(seeded).admin!.password;
    const acknowledged: { cookie: string; csrfToken: string }[] = [];
    let stop = false;
    // Staff sign in on both instances while A dies; each answer acknowledges a stored session and an audited login.
    const load = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const c = new ApiClient(proxy.url);
        const answer = await c.staffLogin('admin', password).catch(() => null);
        const cookie = c.cookies.get('shomei_staff');
        if (answer?.status === 200 && cookie) acknowledged.push({ cookie, csrfToken: c.csrfToken! });
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    const a = children.a!;
    const gone = new Promise((r) => a.once('exit', r));
    a.kill('SIGKILL');
    await gone;
    // The proxy notices as nginx would (a failed upstream): from now on every request goes to B.
    proxy.route = () => 'b';
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all(load);
    proxy.route = () => 'b';

    expect(acknowledged.length).toBeGreaterThan(2);
    for (const { cookie, csrfToken } of acknowledged) {
      const res = await fetch(`${proxy.url}/api/admin/session`, { headers: { cookie: `shomei_staff=${cookie}`, accept: 'application/json' } });
      const body = (await res.json()) as { csrfToken: string; staff: unknown };
      expect(body.staff, 'an acknowledged staff session was lost').not.toBeNull();
      expect(body.csrfToken).toBe(csrfToken);
    }
    expect((await meOn(student, 'b')).status).toBe(200);
    expect((await fetch(`${proxy.url}/healthz`)).status).toBe(200);
  });

  it('keeps every acknowledged order whole when A is killed with SIGKILL in the middle of order placement, and B keeps taking orders', async () => {
    // The test before killed A: a new A on the same database (its own empty DATA_DIR).
    if (children.a?.exitCode !== null || children.a?.signalCode !== null) await startInstance('a');
    const students = await Promise.all([0, 1].map(async (user) => ({ user, browser: await signIn(user, 'a', 'b') })));
    const accountIds: string[] = [];
    for (const { user } of students) {
      const account = (await stores.store.accounts.findByIdentity(`${proxy.url}/demo-idp/metadata`, demoUsers[user]!.eppn))!;
      // A verified mail address, as the registration page would leave it.
      await stores.store.accounts.update(account.id, { mail: demoUsers[user]!.mail });
      accountIds.push(account.id);
    }
    const clients = await Promise.all(
      students.map(async ({ user, browser }) => {
        const cookie = `${SESSION_COOKIE}=${browser.cookie(proxy.url, SESSION_COOKIE)}`;
        const session = await fetch(`${proxy.url}/api/session`, { headers: { accept: 'application/json', cookie } });
        const { csrfToken } = (await session.json()) as { csrfToken: string };
        return (destination: 'convenience' | 'campus') =>
          fetch(`${proxy.url}/api/certificates/orders`, {
            method: 'POST',
            headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken, origin: proxy.url, cookie },
            body: JSON.stringify({ studentId: demoUsers[user]!.studentId, destination, items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] }),
          });
      }),
    );
    const acknowledged: string[] = [];
    const answers: Promise<number>[] = [];
    let stop = false;
    let n = 0;
    // Two workers per student, through the proxy (A and B in turn), one order after the other.
    const place = (client: (typeof clients)[number]) => {
      const answer = client(n++ % 2 === 0 ? 'convenience' : 'campus').then(
        async (res) => {
          if (res.status === 201) acknowledged.push(((await res.json()) as OrderView).id);
          else await res.body?.cancel();
          return res.status;
        },
        () => 0,
      );
      answers.push(answer);
      return answer;
    };
    const load = [...clients, ...clients].map(async (client) => {
      while (!stop) await place(client);
    });
    while (acknowledged.length < 6) await new Promise((r) => setTimeout(r, 50));
    const inFlight = answers.slice(-4);
    const a = children.a!;
    const gone = new Promise((r) => a.once('exit', r));
    a.kill('SIGKILL');
    // The proxy notices as nginx would (a failed upstream): from now on every request goes to B.
    proxy.route = () => 'b';
    await gone;
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    await Promise.all(load);

    // The kill cut off placements under way on A: their students got no answer (502 from the proxy).
    expect((await Promise.all(inFlight)).filter((status) => status !== 201).length, 'no placement was under way on A when it died').toBeGreaterThan(0);
    // B went on taking orders after A died.
    const after = (await Promise.all(answers.slice(answers.indexOf(inFlight.at(-1)!) + 1))).filter((status) => status === 201);
    expect(after.length).toBeGreaterThan(0);
    const further = await clients[0]!('convenience');
    expect(further.status).toBe(201);
    acknowledged.push(((await further.json()) as OrderView).id);

    // Every order of theirs the database holds (each acknowledged one among them) is whole.
    const { rows: orderRows } = await pool.query<{ id: string }>('SELECT id FROM orders WHERE account_id = ANY($1)', [accountIds]);
    const stored = new Set(orderRows.map((r) => r.id));
    expect(
      acknowledged.filter((id) => !stored.has(id)),
      'acknowledged orders missing from the database',
    ).toEqual([]);
    const auditCount = async (action: string, targetId: string) =>
      (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND target_id = $2', [action, targetId])).rows[0]!.n;
    for (const id of stored) {
      const placed = (await stores.certificates.orders.get(id))!;
      expect(placed.certificateIds, `order ${id}`).toHaveLength(placed.items.length);
      for (const certificateId of placed.certificateIds) {
        const issued = await stores.certificates.certificates.get(certificateId);
        expect(issued?.orderId, `certificate ${certificateId} of order ${id}`).toBe(id);
        const pdf = await stores.certificatePdfs.read(issued!.number);
        expect(
          Buffer.from(pdf ?? [])
            .subarray(0, 5)
            .toString('latin1'),
          `PDF of ${issued!.number}`,
        ).toBe('%PDF-');
      }
      const fulfilment =
        placed.destination === 'convenience'
          ? await stores.certificates.reservations.get(placed.fulfilmentId)
          : await stores.certificates.campusJobs.get(placed.fulfilmentId);
      expect(fulfilment?.orderId, `fulfilment of order ${id}`).toBe(id);
      expect(await auditCount('certificate.order.placed', id), `audit entry of order ${id}`).toBe(1);
      expect(
        await auditCount(placed.destination === 'convenience' ? 'certificate.reservation.created' : 'certificate.campusJob.created', placed.fulfilmentId),
      ).toBe(1);
    }
    // Nothing of an order that was not kept: no certificate, PDF, fulfilment or audit entry without its order.
    const orphans = await pool.query<{ what: string; n: number }>(`
      SELECT 'certificates' AS what, count(*)::int AS n FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.order_id)
      UNION ALL SELECT 'pdfs', count(*)::int FROM certificate_pdfs p WHERE NOT EXISTS (SELECT 1 FROM certificates c WHERE c.number = p.number)
      UNION ALL SELECT 'reservations', count(*)::int FROM reservations r WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = r.order_id)
      UNION ALL SELECT 'campus jobs', count(*)::int FROM campus_jobs j WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = j.order_id)
      UNION ALL SELECT 'order audit entries', count(*)::int FROM audit_log a WHERE a.action = 'certificate.order.placed' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = a.target_id)`);
    expect(Object.fromEntries(orphans.rows.map((r) => [r.what, r.n]))).toEqual({
      certificates: 0,
      pdfs: 0,
      reservations: 0,
      'campus jobs': 0,
      'order audit entries': 0,
    });
  });
});
