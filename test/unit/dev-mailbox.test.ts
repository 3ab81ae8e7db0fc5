import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { afterEach, describe, expect, it } from 'vitest';
import { DevMailbox } from '../../service/adapters/mail/dev-mailbox.js';
import type { MailMessage } from '../../service/domain/model.js';
import type { Clock } from '../../service/domain/ports.js';
import { devMailboxRoutes } from '../../service/http/routes/dev-mailbox.js';

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'shomei-mailbox-'));
  dirs.push(d);
  return d;
}

/** A clock that moves one minute per reading, from 2026-04-01 09:00 UTC. */
function steppingClock(): Clock {
  let t = Date.parse('2026-04-01T09:00:00.000Z');
  return { now: () => new Date((t += 60_000)) };
}

const mail = (n: number, over: Partial<MailMessage> = {}): MailMessage => ({
  to: `student${n}@example.ac.jp`,
  language: 'ja',
  subject: `【証明書発行サービス】確認 ${n}`,
  text: `メールアドレスを設定できます。\n\nhttp://127.0.0.1:3000/mail/confirm#token=tok${n}\n`,
  html: `<!doctype html><html lang="ja"><head><title>x</title></head><body style="font-family:sans-serif"><p><a href="http://127.0.0.1:3000/mail/confirm#token=tok${n}">確認する</a></p></body></html>`,
  ...over,
});

describe('dev mailbox', () => {
  it('stores sent mails durably and lists them newest first', async () => {
    const dir = tempDir();
    const box = await DevMailbox.open(dir, steppingClock(), { from: 'no-reply@shomei.test' });
    await box.send(mail(1));
    await box.send(mail(2));
    const [newest, oldest] = box.list();
    const { language: _language, ...sent } = mail(2);
    expect(newest).toMatchObject({ ...sent, from: 'no-reply@shomei.test', sentAt: '2026-04-01T09:02:00.000Z' });
    expect(oldest?.subject).toBe(mail(1).subject);
    expect(box.get(oldest!.id)).toEqual(oldest);
    expect(box.get('nope')).toBeNull();

    const reopened = await DevMailbox.open(dir, steppingClock());
    expect(reopened.list()).toEqual([newest, oldest]);
  });

  it('keeps only the newest 200 mails', async () => {
    const box = await DevMailbox.open(tempDir(), steppingClock());
    await Promise.all(Array.from({ length: 205 }, (_, i) => box.send(mail(i))));
    const list = box.list();
    expect(list).toHaveLength(200);
    expect(list[0]?.to).toBe('student204@example.ac.jp');
    expect(list[199]?.to).toBe('student5@example.ac.jp');
  });

  it('hands out copies', async () => {
    const box = await DevMailbox.open(tempDir(), steppingClock());
    await box.send(mail(1));
    box.list()[0]!.subject = 'changed';
    expect(box.list()[0]!.subject).toBe(mail(1).subject);
  });

  it('refuses to open over a corrupt mailbox file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'dev-mailbox.json'), '{"version":1,"mails":[');
    await expect(DevMailbox.open(dir, steppingClock())).rejects.toThrow(/dev-mailbox\.json/);
  });
});

describe('dev mailbox pages', () => {
  /** The router behind the service's own CSP (as in service/app.ts). */
  async function serve(box: DevMailbox): Promise<string> {
    const app = express();
    app.use(
      helmet({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'"],
            imgSrc: ["'self'", 'data:'],
            frameSrc: ["'self'"],
            frameAncestors: ["'none'"],
            formAction: ["'self'"],
            baseUri: ["'none'"],
            objectSrc: ["'none'"],
          },
        },
      }),
    );
    app.use('/dev/mailbox', devMailboxRoutes(box));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((r) => server.once('listening', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/mailbox`;
  }

  async function withMails() {
    const box = await DevMailbox.open(tempDir(), steppingClock());
    await box.send(mail(1));
    await box.send(mail(2, { subject: '<script>alert(1)</script> 件名' }));
    return { box, base: await serve(box) };
  }

  /** No inline script or style anywhere in our own pages. */
  function expectCspClean(html: string) {
    expect(html).not.toMatch(/<script|\sstyle=|<style|\son\w+=/i);
  }

  it('lists mails with recipient, subject and time, labelled bilingually as a development tool', async () => {
    const { box, base } = await withMails();
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('開発用メールボックス');
    expect(html).toContain('Dev mailbox');
    expect(html).toContain('開発用ツール');
    expect(html).toContain('Development tool');
    expect(html).toContain('student1@example.ac.jp');
    expect(html).toContain('2026/04/01 18:01:00 JST');
    expect(html).toContain(`href="/dev/mailbox/${box.list()[1]!.id}"`);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 件名');
    expect(html).toContain('<link rel="stylesheet" href="/dev/mailbox/mailbox.css">');
    expect(html.indexOf('student2@')).toBeLessThan(html.indexOf('student1@'));
    expectCspClean(html);
  });

  it('says so when there is no mail yet', async () => {
    const base = await serve(await DevMailbox.open(tempDir(), steppingClock()));
    const html = await (await fetch(`${base}/`)).text();
    expect(html).toContain('メールはまだありません');
    expect(html).toContain('No mail yet');
  });

  it('shows one mail: headers, the text part with clickable URLs, and the HTML part in a sandboxed frame', async () => {
    const { box, base } = await withMails();
    const id = box.list()[1]!.id;
    const res = await fetch(`${base}/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<pre class="text">メールアドレスを設定できます。');
    expect(html).toContain('<a href="http://127.0.0.1:3000/mail/confirm#token=tok1">http://127.0.0.1:3000/mail/confirm#token=tok1</a>');
    expect(html).toMatch(new RegExp(`<iframe class="html" src="/dev/mailbox/${id}/html" sandbox="[^"]*allow-top-navigation-by-user-activation[^"]*"`));
    expect(html).not.toContain('srcdoc');
    expect(html).toContain('差出人');
    expect(html).toContain('From');
    expectCspClean(html);
  });

  it('serves the HTML part framable by our own page only, script-free, with links opening in the top window', async () => {
    const { box, base } = await withMails();
    const res = await fetch(`${base}/${box.list()[1]!.id}/html`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain("frame-ancestors 'none'");
    expect(csp).toContain('sandbox');
    expect(csp).not.toMatch(/script-src/);
    expect(csp).toContain("default-src 'none'");
    const body = await res.text();
    expect(body).toContain('<head><base target="_top"><title>x</title>');
    expect(body).toContain('href="http://127.0.0.1:3000/mail/confirm#token=tok1"');
  });

  it('serves its stylesheet', async () => {
    const { base } = await withMails();
    const res = await fetch(`${base}/mailbox.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await res.text()).toContain('iframe.html');
  });

  it('answers an unknown mail with a 404 page in both languages', async () => {
    const { base } = await withMails();
    for (const url of [`${base}/no-such-id`, `${base}/no-such-id/html`]) {
      const res = await fetch(url);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('メールが見つかりません');
      expect(html).toContain('Mail not found');
      expectCspClean(html);
    }
  });
});
