/**
 * The mail outbox under kill -9: a child places orders (the real OrderService over the real lowdb
 * family), each enqueueing its mail in the order's transaction, while the outbox worker sends them
 * to a real SMTP server; it is killed at a random moment, round after round. After a last run that
 * drains the outbox, every committed order's mail has arrived, none for an order that did not
 * commit, each exactly once — except a mail the kill caught between the relay taking it and its
 * mark (the one window the outbox leaves), which may arrive twice under the same Message-ID.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLowdbStores } from '../../service/adapters/lowdb/open.js';
import { CERTIFICATE_FILES } from '../../service/adapters/lowdb/certificate-store.js';
import type { Order } from '../../service/domain/certificates/model.js';
import { certificateType } from '../support/certificate-records.js';
import { account, random, studentRecord } from '../support/factories.js';
import { buildChild, runAndKill } from '../support/kill-child.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

const STUDENT = studentRecord({ graduationDate: '2099-03-31' });
const ACCOUNT = account({ id: 'acc-crash', studentIds: [STUDENT.studentId] });

/**
 * The child: orders in flight as fast as it can (`PLACED <order id>` once committed), the worker
 * with a short lease; `SENDING <message id>` before a mail goes to the relay, `MARKED <message id>`
 * once it is marked sent. With `drain` as round it only sends what is left, then says `DRAINED`.
 */
const CHILD = `
import { readFileSync } from 'node:fs';
import { openLowdbStores } from './service/adapters/lowdb/open.js';
import { createSmtpMailer } from './service/adapters/mail/smtp-mailer.js';
import { createOrderService } from './service/domain/certificates/orders.js';
import { generateOfflineKey } from './service/domain/certificates/offline-payload.js';
import { systemClock, systemRandom } from './service/domain/crypto.js';
import { createMailOutboxWorker, messageIdOf, outboxMailer } from './service/domain/mail/outbox-worker.js';
const [dir, round] = process.argv.slice(2);
const { student, account, smtpUrl } = JSON.parse(readFileSync(new URL('./fixture.json', import.meta.url), 'utf8'));
const say = (line) => process.stdout.write(line + '\\n');
const stores = await openLowdbStores(dir, { random: systemRandom, pruneIntervalMs: 0, expireIntervalMs: 0 });
const relay = createSmtpMailer(smtpUrl, 'no-reply@shomei.example.ac.jp');
const transport = { async send(m) { say('SENDING ' + m.messageId); await relay.send(m); } };
const outbox = { ...stores.mailOutbox, async markSent(id, claim) { const ok = await stores.mailOutbox.markSent(id, claim); if (ok) say('MARKED ' + messageIdOf(id, 'shomei.test')); return ok; } };
const logger = { warn() {}, error(o, m) { process.stderr.write(m + ' ' + (o.err?.message ?? '') + '\\n'); } };
const worker = createMailOutboxWorker({ outbox, transport, clock: systemClock, random: systemRandom, logger, leaseMs: 1000, pollMs: 100 });
worker.start();
if (round === 'drain') {
  while ((await stores.mailOutbox.list()).length > 0) await new Promise((r) => setTimeout(r, 100));
  await worker.close();
  await stores.close();
  say('DRAINED');
  process.exit(0);
}
const mailer = outboxMailer({ clock: systemClock, random: systemRandom, domain: 'shomei.test', prepare: async (m) => m, enqueued: () => worker.wake() });
const orders = createOrderService({
  store: stores.certificates,
  transaction: (work) => stores.transaction(work),
  registry: { getStudent: async () => student, gradesOf: async () => [] },
  random: systemRandom,
  offlineKey: generateOfflineKey(),
  publicUrl: 'https://shomei.example.ac.jp',
  issuer: async () => ({ name: { ja: 'デモ大学', en: 'Demo University' }, officer: { title: { ja: '学長', en: 'President' }, name: { ja: '山田 一郎', en: 'Ichiro Yamada' } }, seal: null }),
  producePdf: async (doc) => new TextEncoder().encode('%PDF-1.7\\n% ' + doc.certificateNumber + '\\n%%EOF\\n'),
});
async function place() {
  const items = [{ typeCode: 'enrollment', language: 'ja', copies: 1 }];
  const placed = await orders.placeOrder({ account, studentId: student.studentId, destination: 'convenience', items }, new Date(), (tx, order) =>
    mailer.within(tx).send({ to: 'student@example.jp', language: 'ja', subject: 'order ' + order.id, text: 'ORDER ' + order.id, html: '<p>order</p>' }),
  );
  mailer.wake();
  say('PLACED ' + placed.order.id);
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

describe('the mail outbox under kill -9', () => {
  let buildDir: string;
  let script: string;
  let dataDir: string;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ({ buildDir, script } = buildChild(
      'outbox-crash',
      [
        'service/adapters/lowdb/open.ts',
        'service/adapters/mail/smtp-mailer.ts',
        'service/domain/certificates/orders.ts',
        'service/domain/certificates/offline-payload.ts',
        'service/domain/crypto.ts',
        'service/domain/mail/outbox-worker.ts',
      ],
      CHILD,
      { student: STUDENT, account: ACCOUNT, smtpUrl: smtp.url },
    ));
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-outbox-crash-'));
    const stores = await openLowdbStores(dataDir, { random, pruneIntervalMs: 0, expireIntervalMs: 0 });
    await stores.store.accounts.insert(ACCOUNT);
    await stores.certificates.types.put(certificateType({ code: 'enrollment' }));
    await stores.close();
  });
  afterAll(async () => {
    await smtp?.stop();
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every committed order its mail once, and none to an order that did not commit', async () => {
    const acknowledged = new Set<string>();
    // Per Message-ID: the sends to the relay that were never marked sent (a kill caught them
    // between the relay and the mark, or their lease ran out first and another claim took over).
    const unmarked = new Map<string, number>();
    const count = (lines: string[]) => {
      for (const line of lines) {
        const [what, id] = line.split(' ');
        if (what === 'PLACED') acknowledged.add(id!);
        if (what === 'SENDING') unmarked.set(id!, (unmarked.get(id!) ?? 0) + 1);
        if (what === 'MARKED') unmarked.set(id!, (unmarked.get(id!) ?? 0) - 1);
      }
    };
    for (let round = 1; round <= 8; round++) count(await runAndKill(script, dataDir, round, /MARKED /));
    const drain = spawn(process.execPath, [script, dataDir, 'drain'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    drain.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    expect(await new Promise((r) => drain.once('exit', r))).toBe(0);
    expect(out).toContain('DRAINED');
    count(out.split('\n'));

    const orders = (JSON.parse(readFileSync(path.join(dataDir, CERTIFICATE_FILES.orders), 'utf8')) as { records: Order[] }).records;
    const committed = new Set(orders.map((o) => o.id));
    for (const id of acknowledged) expect(committed.has(id), `acknowledged order ${id}`).toBe(true);

    const byOrder = new Map<string, Map<string, number>>();
    for (const { mail } of await smtp.messages()) {
      const orderId = /^order (.+)$/.exec(mail.subject ?? '')![1]!;
      expect(committed.has(orderId), `a mail for ${orderId}, which did not commit`).toBe(true);
      const ids = byOrder.get(orderId) ?? new Map<string, number>();
      ids.set(mail.messageId!, (ids.get(mail.messageId!) ?? 0) + 1);
      byOrder.set(orderId, ids);
    }
    expect(orders.length).toBeGreaterThan(8);
    for (const id of committed) {
      const ids = byOrder.get(id);
      expect(ids, `the mail of order ${id}`).toBeDefined();
      // One mail per order, under one Message-ID…
      expect(ids!.size, `Message-IDs of order ${id}`).toBe(1);
      const [messageId, copies] = [...ids!][0]!;
      // …received once, and once more only for each send that was never marked (at least once, never more without a cause).
      expect(copies, `copies of ${messageId}`).toBeLessThanOrEqual(1 + (unmarked.get(messageId) ?? 0));
    }
  }, 180_000);
});
