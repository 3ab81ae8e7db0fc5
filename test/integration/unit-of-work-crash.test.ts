/**
 * A lowdb transaction under kill -9: a child places orders (the real OrderService over the real
 * lowdb family) as fast as it can and is killed at a random moment, round after round. Reopened,
 * the data directory holds every order whole — certificates, PDF files, fulfilment record, audit
 * entries — or nothing of it, every acknowledged order among the whole ones, and no file a
 * transaction left half-way (pending PDF, temporary file, journal).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLowdbStores } from '../../service/adapters/lowdb/open.js';
import { CERTIFICATE_FILES } from '../../service/adapters/lowdb/certificate-store.js';
import { AUDIT_LOG_FILE } from '../../service/adapters/lowdb/audit-store.js';
import type { AuditEntry } from '../../service/domain/audit.js';
import type { CampusJob, IssuedCertificate, MailOrder, Order, Reservation } from '../../service/domain/certificates/model.js';
import { certificateType } from '../support/certificate-records.js';
import { account, random, studentRecord } from '../support/factories.js';
import { buildChild, runAndKill } from '../support/kill-child.js';

const STUDENT = studentRecord({ graduationDate: '2099-03-31' });
const ACCOUNT = account({ id: 'acc-crash', studentIds: [STUDENT.studentId] });

/** The child: three orders in flight at any time, each line `PLACED <order id>` once placeOrder resolved. */
const CHILD = `
import { readFileSync } from 'node:fs';
import { openLowdbStores } from './service/adapters/lowdb/open.js';
import { createOrderService } from './service/domain/certificates/orders.js';
import { generateOfflineKey } from './service/domain/certificates/offline-payload.js';
import { systemRandom } from './service/domain/crypto.js';
const [dir] = process.argv.slice(2);
const { student, account } = JSON.parse(readFileSync(new URL('./fixture.json', import.meta.url), 'utf8'));
const stores = await openLowdbStores(dir, { random: systemRandom, pruneIntervalMs: 0, expireIntervalMs: 0 });
const orders = createOrderService({
  store: stores.certificates,
  transaction: (work) => stores.transaction(work),
  registry: { getStudent: async () => student, gradesOf: async () => [] },
  random: systemRandom,
  offlineKey: generateOfflineKey(),
  publicUrl: 'https://shomei.example.ac.jp',
  issuer: async () => ({ name: { ja: 'デモ大学', en: 'Demo University' }, officer: { title: { ja: '学長', en: 'President' }, name: { ja: '山田 一郎', en: 'Ichiro Yamada' } }, seal: null }),
  // A signed PDF's size; its number inside, so a PDF can be told from another.
  producePdf: async (doc) => new TextEncoder().encode('%PDF-1.7\\n% ' + doc.certificateNumber + '\\n' + 'x'.repeat(30000) + '\\n%%EOF\\n'),
});
const destinations = ['convenience', 'campus', 'mail'];
const address = { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' };
let k = 0;
async function place() {
  const destination = destinations[k++ % 3];
  const items = [{ typeCode: 'enrollment', language: 'ja', copies: 1 }, ...(k % 2 ? [{ typeCode: 'enrollment', language: 'en', copies: 2 }] : [])];
  const placed = await orders.placeOrder({ account, studentId: student.studentId, destination, items, postalAddress: destination === 'mail' ? address : undefined }, new Date());
  process.stdout.write('PLACED ' + placed.order.id + '\\n');
}
const inFlight = new Set();
for (;;) {
  while (inFlight.size < 3) {
    const p = place().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.race(inFlight);
}
`;

const readRecords = <R>(dataDir: string, name: string): R[] => {
  try {
    return (JSON.parse(readFileSync(path.join(dataDir, name), 'utf8')) as { records: R[] }).records;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
};

/** Every file in the data directory and its certificates folder that is not a settled data file. */
const leftovers = (dataDir: string): string[] =>
  [...readdirSync(dataDir), ...readdirSync(path.join(dataDir, 'certificates')).map((n) => `certificates/${n}`)].filter(
    (n) => n.endsWith('.tmp') || n.endsWith('.pending') || n.includes('journal'),
  );

describe('lowdb transactions under kill -9', () => {
  let buildDir: string;
  let script: string;
  let dataDir: string;

  beforeAll(async () => {
    ({ buildDir, script } = buildChild(
      'uow-crash',
      ['service/adapters/lowdb/open.ts', 'service/domain/certificates/orders.ts', 'service/domain/certificates/offline-payload.ts', 'service/domain/crypto.ts'],
      CHILD,
      { student: STUDENT, account: ACCOUNT },
    ));
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-uow-crash-'));
    const stores = await openLowdbStores(dataDir, { random, pruneIntervalMs: 0, expireIntervalMs: 0 });
    await stores.store.accounts.insert(ACCOUNT);
    await stores.certificates.types.put(certificateType({ code: 'enrollment' }));
    await stores.close();
  });
  afterAll(() => {
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves every order whole or absent, keeps every acknowledged one, and no stray file', async () => {
    const acknowledged = new Set<string>();
    for (let round = 1; round <= 20; round++) {
      for (const line of await runAndKill(script, dataDir, round, /PLACED /)) {
        if (line.startsWith('PLACED ')) acknowledged.add(line.slice('PLACED '.length));
      }

      // Reopening finishes or discards what the kill interrupted.
      const stores = await openLowdbStores(dataDir, { random, pruneIntervalMs: 0, expireIntervalMs: 0 });
      await stores.close();
      expect(leftovers(dataDir), `round ${round}`).toEqual([]);

      const orders = readRecords<Order>(dataDir, CERTIFICATE_FILES.orders);
      const certificates = readRecords<IssuedCertificate>(dataDir, CERTIFICATE_FILES.certificates);
      const fulfilments = new Map<string, string>([
        ...readRecords<Reservation>(dataDir, CERTIFICATE_FILES.reservations).map((r) => [r.id, r.orderId] as const),
        ...readRecords<CampusJob>(dataDir, CERTIFICATE_FILES.campusJobs).map((j) => [j.id, j.orderId] as const),
        ...readRecords<MailOrder>(dataDir, CERTIFICATE_FILES.mailOrders).map((m) => [m.id, m.orderId] as const),
      ]);
      const audit = readRecords<AuditEntry>(dataDir, AUDIT_LOG_FILE);
      const pdfs = readdirSync(path.join(dataDir, 'certificates'));
      const orderIds = new Set(orders.map((o) => o.id));

      for (const id of acknowledged) expect(orderIds.has(id), `acknowledged order ${id}`).toBe(true);
      for (const o of orders) {
        const own = certificates.filter((c) => c.orderId === o.id);
        expect(own.map((c) => c.id).sort(), `certificates of ${o.id}`).toEqual([...o.certificateIds].sort());
        for (const c of own) expect(pdfs, `PDF of ${c.number}`).toContain(`${c.number}.pdf`);
        expect(fulfilments.get(o.fulfilmentId), `fulfilment of ${o.id}`).toBe(o.id);
        const actions = audit.filter((e) => e.target.id === o.id || e.target.id === o.fulfilmentId).map((e) => e.action);
        expect(actions.length, `audit entries of ${o.id}`).toBe(2);
        expect(actions).toContain('certificate.order.placed');
      }
      // Nothing that belongs to an order that is not there.
      for (const c of certificates) expect(orderIds.has(c.orderId), `order of certificate ${c.number}`).toBe(true);
      for (const orderId of fulfilments.values()) expect(orderIds.has(orderId), `order of a fulfilment`).toBe(true);
      const numbers = new Set(certificates.map((c) => `${c.number}.pdf`));
      for (const pdf of pdfs) expect(numbers.has(pdf), `certificate of ${pdf}`).toBe(true);
      expect(audit).toHaveLength(orders.length * 2);
    }
    expect(acknowledged.size).toBeGreaterThan(12);
  }, 60_000);
});
