/** メール送信状況: staff see the mails that failed or wait too long; an administrator sends one again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailProblemView } from '../../service/contract/mail.js';
import type { MailMessage } from '../../service/domain/model.js';
import { TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { ApiClient, readDemoStaffCredentials } from '../support/staff.js';

const MINUTE = 60;
const message = (to: string, subject: string): MailMessage => ({ to, language: 'ja', subject, text: subject, html: `<p>${subject}</p>` });

describe('mail delivery in the staff console', () => {
  let service: RunningService;
  let demo: Record<string, { role: string; password: string }>;
  const clock = new TestClock();
  const attempts: string[] = [];

  beforeAll(async () => {
    // A relay that refuses every mail; the clock only moves when the test says.
    const refusingRelay = {
      send: async (m: MailMessage) => {
        attempts.push(m.to);
        throw new Error('550 5.1.1 mailbox unavailable');
      },
    };
    service = await startService({}, { clock, mailer: refusingRelay });
    demo = readDemoStaffCredentials(service.dataDir);
    const outbox = service.stores.mailOutbox;
    // Each enqueued a minute ahead, so the worker leaves them to the test; the test's own claim settles each.
    const at = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE * 1000).toISOString();
    const settle = async (id: string, mail: MailMessage, how: 'failed' | 'retry') => {
      await outbox.enqueue({ id, message: mail, enqueuedAt: at(1) });
      const [claimed] = await outbox.claim(at(1), at(2), `test-${id}`, 1);
      expect(claimed?.id).toBe(id);
      if (how === 'failed') await outbox.markFailed(id, `test-${id}`, '550 5.1.1 mailbox unavailable');
      else await outbox.markRetry(id, `test-${id}`, at(120), 'connect ECONNREFUSED 127.0.0.1:25');
    };
    await settle('mail-failed', message('taro.yamada@example.ac.jp', '【証明書発行サービス】証明書を発送しました'), 'failed');
    await settle('mail-waiting', message('hanako@example.ac.jp', '【証明書発行サービス】予約番号の有効期限が近づいています'), 'retry');
    clock.advance(20 * MINUTE);
    // Enqueued just now and not due yet: not a problem (yet).
    await outbox.enqueue({ id: 'mail-fresh', message: message('jiro@example.ac.jp', 'fresh'), enqueuedAt: at(5) });
  });
  afterAll(() => service?.stop());

  const signedIn = async (who: 'admin' | 'reviewer') => {
    const c = new ApiClient(service.url);
    expect((await c.staffLogin(who, demo[who]!.password)).status).toBe(200);
    return c;
  };

  it('lists failed mails first, then those waiting too long, with the recipient masked', async () => {
    const answer = await (await signedIn('reviewer')).get('/api/admin/mail');
    expect(answer.status).toBe(200);
    expect(answer.body.stuckAfterMinutes).toBe(15);
    const items = answer.body.items as MailProblemView[];
    expect(items.map((m) => [m.id, m.status, m.attempts])).toEqual([
      ['mail-failed', 'failed', 1],
      ['mail-waiting', 'pending', 1],
    ]);
    expect(items[0]).toMatchObject({
      to: 'ta*********@example.ac.jp',
      subject: '【証明書発行サービス】証明書を発送しました',
      lastError: '550 5.1.1 mailbox unavailable',
    });
    expect(JSON.stringify(answer.body)).not.toContain('taro.yamada@');
    expect(JSON.stringify(answer.body)).not.toContain('hanako@');
  });

  it('lets only an administrator send a mail again, with the CSRF token, and audits it', async () => {
    const reviewer = await signedIn('reviewer');
    const refused = await reviewer.post('/api/admin/mail/mail-failed/retry', {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.forbidden');

    const admin = await signedIn('admin');
    expect((await admin.post('/api/admin/mail/mail-failed/retry', {}, { csrf: null })).status).toBe(403);
    expect((await service.stores.mailOutbox.list()).find((m) => m.id === 'mail-failed')?.status).toBe('failed');

    const retried = await admin.post('/api/admin/mail/mail-failed/retry', {});
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: 'mail-failed', status: 'pending', attempts: 0, dueAt: clock.now().toISOString() });
    // The worker was woken and tried it at once (the relay still refuses).
    await expect.poll(() => attempts.filter((to) => to === 'taro.yamada@example.ac.jp').length, { timeout: 10_000 }).toBe(1);
    const { items } = await service.stores.audit.list({ action: 'mail.retried' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      actor: { type: 'staff', name: expect.any(String) },
      target: { type: 'mail', id: 'mail-failed' },
      before: { status: 'failed', attempts: 1 },
    });

    const gone = await admin.post('/api/admin/mail/no-such-mail/retry', {});
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('notFound');
  });

  it('refuses anyone signed out', async () => {
    const anonymous = new ApiClient(service.url);
    expect((await anonymous.get('/api/admin/mail')).status).toBe(401);
  });
});
