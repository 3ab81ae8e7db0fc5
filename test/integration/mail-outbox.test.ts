/**
 * Mail after the answer: an order over HTTP is answered before its mail reaches a slow relay, and
 * a mail the relay could not take (down) is retried with backoff and delivered once it is up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../../service/contract/certificates.js';
import { freePort } from '../support/ports.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer } from '../support/smtp-server.js';
import { Student, user } from '../support/student-api.js';

const order = { studentId: '2101001', destination: 'convenience', items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] };

describe('mail through the outbox', () => {
  const running: Array<{ stop(): Promise<void> }> = [];
  const started = <T extends { stop(): Promise<void> }>(x: T): T => (running.push(x), x);
  afterEach(async () => {
    for (const x of running.splice(0).reverse()) await x.stop();
  });

  it('answers the order before a slow relay has taken its mail, which then arrives once', async () => {
    const smtp = started(await startSmtpServer({ replyDelayMs: 1500 }));
    const svc: RunningService = started(await startService({ SMTP_URL: smtp.url }));
    const taro = new Student(svc);
    await taro.signIn(user('s2101001'));
    await taro.registerMail(smtp, 'taro@example.jp');

    const since = Date.now();
    const r = await taro.api('POST', '/api/certificates/orders', order);
    const answeredAt = Date.now();
    expect(r.status).toBe(201);
    const view = r.body as OrderView;

    const mail = await smtp.waitForMail('taro@example.jp', { since });
    expect(mail.text).toContain(`予約番号:${view.reservation!.number}`);
    const received = (await smtp.messages()).filter((m) => m.mail.messageId === mail.messageId);
    expect(received).toHaveLength(1);
    // The relay holds its answer 1.5 s after taking the mail: a request that waited for it would
    // have been answered after the mail was received, not before.
    expect(received[0]!.receivedAt.getTime()).toBeGreaterThanOrEqual(answeredAt - 50);
    expect(mail.messageId).toMatch(/^<[^@>]+@127\.0\.0\.1>$/);
    // Sent and marked: nothing left in the outbox.
    await expect.poll(() => svc.stores.mailOutbox.list(), { timeout: 10_000 }).toEqual([]);
  }, 60_000);

  it('retries a mail while the relay is down and delivers it once when it comes up', async () => {
    const port = await freePort();
    const svc: RunningService = started(await startService({ SMTP_URL: `smtp://127.0.0.1:${port}` }));
    const since = Date.now();
    // A mail the service sends by itself: nothing listens on the relay's port yet.
    await svc.stores.transaction((tx) =>
      svc.deps.mailer
        .within(tx)
        .send({ to: 'hanako@example.jp', language: 'en', subject: 'Outbox', text: 'queued while the relay is down', html: '<p>queued</p>' }),
    );
    svc.deps.mailer.wake();
    await expect.poll(async () => (await svc.stores.mailOutbox.list())[0]?.lastError ?? null, { timeout: 10_000 }).toMatch(/ECONNREFUSED|connect/i);
    const [waiting] = await svc.stores.mailOutbox.list();
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(Date.parse(waiting!.dueAt)).toBeGreaterThan(Date.now());

    const smtp = started(await startSmtpServer({ port }));
    const mail = await smtp.waitForMail('hanako@example.jp', { since, timeoutMs: 20_000 });
    expect(mail.text).toContain('queued while the relay is down');
    await expect.poll(() => svc.stores.mailOutbox.list(), { timeout: 10_000 }).toEqual([]);
    expect((await smtp.messages()).filter((m) => m.mail.messageId === mail.messageId)).toHaveLength(1);
  }, 60_000);
});
