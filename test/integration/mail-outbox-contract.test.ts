/**
 * What the mail outbox port promises, against every store family (lowdb files and a real
 * PostgreSQL): a mail enqueued in a transaction exists only if it committed, a claim holds a mail
 * for one worker until its lease runs out, and only the claim's holder can mark it.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openPostgresStores } from '../../service/adapters/postgres/open.js';
import { createPool } from '../../service/adapters/postgres/pool.js';
import { systemClock } from '../../service/domain/crypto.js';
import { createMailOutboxWorker } from '../../service/domain/mail/outbox-worker.js';
import type { MailOutboxStore } from '../../service/domain/mail/outbox.js';
import type { MailMessage } from '../../service/domain/model.js';
import { random } from '../support/factories.js';
import { useStoreFamilies } from '../support/store-families.js';

const T0 = '2026-04-01T09:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const message = (to: string): MailMessage => ({
  to,
  language: 'ja',
  subject: '証明書',
  text: 'ご注文',
  html: '<p>ご注文</p>',
  messageId: `<${to}@shomei.test>`,
});

const families = useStoreFamilies();

describe.each(families)('mail outbox over $name', (family) => {
  it('keeps a mail enqueued in a transaction only when the transaction commits', async () => {
    const stores = await family.open();
    await stores.transaction(async (tx) => tx.mailOutbox.enqueue({ id: 'm-1', message: message('kept@example.jp'), enqueuedAt: T0 }));
    const failed = stores.transaction(async (tx) => {
      await tx.mailOutbox.enqueue({ id: 'm-2', message: message('lost@example.jp'), enqueuedAt: T0 });
      throw new Error('the order did not commit');
    });
    await expect(failed).rejects.toThrow('the order did not commit');
    const listed = await stores.mailOutbox.list();
    expect(listed.map((m) => [m.id, m.message.to, m.status])).toEqual([['m-1', 'kept@example.jp', 'pending']]);
    expect(listed[0]!.message).toEqual(message('kept@example.jp'));
  });

  it('lets one claim hold a mail until its lease runs out, and only the holder mark it', async () => {
    const { mailOutbox } = await family.open();
    await mailOutbox.enqueue({ id: 'm-1', message: message('a@example.jp'), enqueuedAt: T0 });
    const first = await mailOutbox.claim(T0, at(60), 'claim-a', 10);
    expect(first.map((m) => [m.id, m.status, m.attempts, m.claim])).toEqual([['m-1', 'sending', 1, 'claim-a']]);
    // In flight: nobody else gets it before the lease ends.
    expect(await mailOutbox.claim(at(59), at(119), 'claim-b', 10)).toEqual([]);
    // A worker that died: the lease runs out and another claims it again.
    const second = await mailOutbox.claim(at(60), at(120), 'claim-b', 10);
    expect(second.map((m) => [m.id, m.attempts, m.claim])).toEqual([['m-1', 2, 'claim-b']]);
    // The first holder, back late, can no longer mark it.
    expect(await mailOutbox.markSent('m-1', 'claim-a')).toBe(false);
    expect(await mailOutbox.markSent('m-1', 'claim-b')).toBe(true);
    expect(await mailOutbox.list()).toEqual([]);
    expect(await mailOutbox.claim(at(500), at(560), 'claim-c', 10)).toEqual([]);
  });

  it('sends a failed or waiting mail again on a staff retry, but never one a worker holds', async () => {
    const { mailOutbox } = await family.open();
    for (const id of ['failed', 'waiting', 'held']) await mailOutbox.enqueue({ id, message: message(`${id}@example.jp`), enqueuedAt: T0 });
    await mailOutbox.claim(T0, at(60), 'claim-a', 10);
    await mailOutbox.markFailed('failed', 'claim-a', '550 mailbox unavailable');
    await mailOutbox.markRetry('waiting', 'claim-a', at(300), 'connection refused');

    const retried = await mailOutbox.retry('failed', at(10));
    expect(retried).toMatchObject({ id: 'failed', status: 'pending', attempts: 0, dueAt: at(10), claim: null, lastError: '550 mailbox unavailable' });
    expect(await mailOutbox.retry('waiting', at(10))).toMatchObject({ status: 'pending', attempts: 0, dueAt: at(10) });
    // Held by a worker: not retried; once sent, it is gone.
    expect(await mailOutbox.retry('held', at(10))).toBeNull();
    expect(await mailOutbox.markSent('held', 'claim-a')).toBe(true);
    expect(await mailOutbox.retry('held', at(70))).toBeNull();
    expect(await mailOutbox.retry('unknown', at(10))).toBeNull();
    // Both are due at once for the next worker.
    expect((await mailOutbox.claim(at(10), at(70), 'claim-b', 10)).map((m) => [m.id, m.attempts])).toEqual([
      ['failed', 1],
      ['waiting', 1],
    ]);
  });

  it('lets a staff retry take over a mail whose worker died', async () => {
    const { mailOutbox } = await family.open();
    await mailOutbox.enqueue({ id: 'stuck', message: message('stuck@example.jp'), enqueuedAt: T0 });
    await mailOutbox.claim(T0, at(60), 'claim-a', 10);
    expect(await mailOutbox.retry('stuck', at(60))).toMatchObject({ status: 'pending', claim: null, leaseUntil: null });
    expect(await mailOutbox.markSent('stuck', 'claim-a')).toBe(false);
  });

  it('puts a mail back until its retry is due, and keeps a mail given up on as failed', async () => {
    const { mailOutbox } = await family.open();
    await mailOutbox.enqueue({ id: 'm-1', message: message('a@example.jp'), enqueuedAt: T0 });
    await mailOutbox.claim(T0, at(60), 'claim-a', 10);
    expect(await mailOutbox.markRetry('m-1', 'claim-a', at(4), 'connection refused')).toBe(true);
    expect(await mailOutbox.claim(at(3), at(63), 'claim-b', 10)).toEqual([]);
    const again = await mailOutbox.claim(at(4), at(64), 'claim-b', 10);
    expect(again.map((m) => [m.id, m.attempts, m.lastError])).toEqual([['m-1', 2, 'connection refused']]);
    expect(await mailOutbox.markFailed('m-1', 'claim-a', 'wrong holder')).toBe(false);
    expect(await mailOutbox.markFailed('m-1', 'claim-b', 'mailbox unavailable')).toBe(true);
    expect((await mailOutbox.list()).map((m) => [m.id, m.status, m.lastError])).toEqual([['m-1', 'failed', 'mailbox unavailable']]);
    expect(await mailOutbox.claim(at(9999), at(10059), 'claim-c', 10)).toEqual([]);
  });

  it('claims the oldest due mails first, at most `limit` at a time, and never one mail for two concurrent claims', async () => {
    const { mailOutbox } = await family.open();
    for (let i = 0; i < 6; i++) await mailOutbox.enqueue({ id: `m-${i}`, message: message(`s${i}@example.jp`), enqueuedAt: at(i) });
    expect((await mailOutbox.claim(at(10), at(70), 'claim-a', 2)).map((m) => m.id)).toEqual(['m-0', 'm-1']);
    const claims = await Promise.all(['x', 'y', 'z'].map((c) => mailOutbox.claim(at(10), at(70), c, 3)));
    const ids = claims.flat().map((m) => m.id);
    expect(ids.sort()).toEqual(['m-2', 'm-3', 'm-4', 'm-5']);
  });
});

const quiet = pino({ level: 'silent' });

/** Two workers on one outbox, each with a relay that takes a while: which mails each one sent. */
async function sendWithTwoWorkers(outboxes: [MailOutboxStore, MailOutboxStore], count: number): Promise<string[]> {
  const sent: string[] = [];
  const relay = { send: async (m: MailMessage) => void (await new Promise((r) => setTimeout(r, 5)), sent.push(m.messageId!)) };
  for (let i = 0; i < count; i++) await outboxes[0].enqueue({ id: `m-${i}`, message: message(`s${i}@example.jp`), enqueuedAt: new Date().toISOString() });
  const workers = outboxes.map((outbox) => createMailOutboxWorker({ outbox, transport: relay, clock: systemClock, random, logger: quiet, pollMs: 20 }));
  for (const w of workers) w.start();
  await expect.poll(() => outboxes[0].list(), { timeout: 20_000 }).toEqual([]);
  await Promise.all(workers.map((w) => w.close()));
  return sent;
}

describe('two instances sending from one PostgreSQL outbox', () => {
  it('never send one mail twice', async () => {
    const pool = await families[1].database();
    // The second instance: its own pool on the same database.
    const other = createPool((pool.options as { connectionString: string }).connectionString, { max: 5 });
    try {
      const [a, b] = [openPostgresStores(pool, { random }), openPostgresStores(other, { random })];
      const sent = await sendWithTwoWorkers([a.mailOutbox, b.mailOutbox], 60);
      expect(sent.length).toBe(60);
      expect(new Set(sent).size).toBe(60);
    } finally {
      await other.end();
    }
  }, 60_000);
});
