import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../service/adapters/mail/smtp-mailer.js';
import type { MailMessage } from '../../service/domain/model.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

const USER = 'shomei';
const PASS = 'p@ss:wörd/秘密';

const japaneseMail = (to: string): MailMessage => ({
  to,
  language: 'ja',
  subject: '【証明書発行サービス】メールアドレス設定の確認',
  text: 'メールアドレスを設定できます。以下のURLにアクセスしてください。\n\nhttp://127.0.0.1/mail/confirm#token=abc\n\n※このメールは送信専用です。\n',
  html: '<!doctype html><html lang="ja"><body><p>メールアドレスを設定できます。</p><p><a href="http://127.0.0.1/mail/confirm#token=abc">http://127.0.0.1/mail/confirm#token=abc</a></p></body></html>',
});

describe('SMTP mailer against a real SMTP server', () => {
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer({ user: USER, pass: PASS });
  });
  afterAll(async () => {
    await smtp?.stop();
  });

  it('delivers a Japanese mail with subject, text and HTML parts intact, authenticated', async () => {
    const since = Date.now();
    const mailer = createSmtpMailer(smtp.url, '証明書発行サービス <no-reply@shomei.test>');
    const message = japaneseMail('hanako@example.ac.jp');
    await mailer.send(message);

    const received = await smtp.waitForMail('hanako@example.ac.jp', { since });
    expect(received.subject).toBe(message.subject);
    expect(received.text).toBe(message.text);
    expect(received.html).toContain('<p>メールアドレスを設定できます。</p>');
    expect(received.html).toContain('href="http://127.0.0.1/mail/confirm#token=abc"');
    expect(received.from?.value[0]).toEqual({ name: '証明書発行サービス', address: 'no-reply@shomei.test' });
    expect(received.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });

    const [stored] = (await smtp.messages()).filter((m) => m.envelope.rcptTo.includes('hanako@example.ac.jp'));
    expect(stored?.authUser).toBe(USER);
    expect(stored?.envelope.mailFrom).toBe('no-reply@shomei.test');
  });

  it('waits for a mail sent after it started waiting', async () => {
    const since = Date.now();
    const waiting = smtp.waitForMail('Taro@Example.ac.jp', { since, timeoutMs: 5000 });
    setTimeout(() => void createSmtpMailer(smtp.url, 'no-reply@shomei.test').send(japaneseMail('taro@example.ac.jp')), 200);
    expect((await waiting).subject).toBe(japaneseMail('x').subject);
  });

  it('throws a readable error without the password when the password is wrong', async () => {
    const url = `smtp://${USER}:wrong-secret@127.0.0.1:${smtp.port}`;
    const mailer = createSmtpMailer(url, 'no-reply@shomei.test', { timeoutMs: 5000 });
    const started = Date.now();
    const error = await mailer.send(japaneseMail('jiro@example.ac.jp')).then(
      () => null,
      (e: unknown) => e as Error & { code?: string; responseCode?: number },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/127\.0\.0\.1:\d+/);
    expect(error!.message).not.toContain('wrong-secret');
    expect(error!.code).toBe('EAUTH');
    expect(error!.responseCode).toBe(535);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('throws, not hangs, when the relay is unreachable', async () => {
    const probe = await startSmtpServer();
    const port = probe.port;
    await probe.stop();
    const mailer = createSmtpMailer(`smtp://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${port}`, 'no-reply@shomei.test', {
      timeoutMs: 3000,
    });
    const error = await mailer.send(japaneseMail('saburo@example.ac.jp')).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/Sending mail through smtp:\/\/127\.0\.0\.1:\d+ failed/);
    expect(error?.message).not.toContain('wörd');
  });

  it('works without authentication when the URL has no credentials', async () => {
    const since = Date.now();
    await createSmtpMailer(`smtp://127.0.0.1:${smtp.port}`, 'no-reply@shomei.test').send(japaneseMail('anon@example.ac.jp'));
    const received = await smtp.waitForMail('anon@example.ac.jp', { since });
    expect(received.subject).toBe(japaneseMail('x').subject);
  });

  it('refuses a URL that is not smtp:// or smtps://, without echoing it', () => {
    expect(() => createSmtpMailer('http://u:secret@host', 'a@b')).toThrow(/smtp:\/\//);
    expect(() => createSmtpMailer('smtp://u:secret@ho st', 'a@b')).toThrow(/^(?!.*secret)/);
  });
});
