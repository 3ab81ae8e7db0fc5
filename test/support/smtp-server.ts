import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser, type ParsedMail } from 'mailparser';

const SCRIPT = fileURLToPath(new URL('./smtp-server-process.mjs', import.meta.url));

export interface ReceivedMessage {
  /** The saved raw message (.eml). */
  file: string;
  receivedAt: Date;
  /** SMTP envelope: what the client said in MAIL FROM / RCPT TO. */
  envelope: { mailFrom: string | null; rcptTo: string[] };
  /** The user the client authenticated as, or null without AUTH. */
  authUser: string | null;
  mail: ParsedMail;
}

export interface WaitForMailOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Only mails received at or after this time (Date or epoch ms). Default: any. */
  since?: Date | number;
}

export interface TestSmtpServer {
  /** smtp://user:pass@127.0.0.1:PORT (no credentials when started without user). */
  url: string;
  port: number;
  /** Directory holding the received .eml files (removed by stop()). */
  dir: string;
  /**
   * The first mail (oldest) to `to` (an envelope recipient or a To/Cc address, case-insensitive)
   * received at or after `since`; polls until `timeoutMs`, then fails listing what did arrive.
   */
  waitForMail(to: string, opts?: WaitForMailOptions): Promise<ParsedMail>;
  /** Every message received so far, oldest first. */
  messages(): Promise<ReceivedMessage[]>;
  stop(): Promise<void>;
}

/**
 * Starts a real SMTP server (the `smtp-server` package) in a child process on 127.0.0.1 and a
 * free port. With `user`, AUTH PLAIN/LOGIN accepts only that user and `pass`; AUTH is optional
 * either way. Always `stop()` it (afterAll); it also exits when this process exits.
 */
export async function startSmtpServer(
  options: {
    user?: string;
    pass?: string;
    startTimeoutMs?: number;
    /** Listen on this port (e.g. one the service was told before the server came up). Default: a free one. */
    port?: number;
    /** Hold back the answer to every message this long (a slow relay). */
    replyDelayMs?: number;
  } = {},
): Promise<TestSmtpServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-smtp-'));
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      ...process.env,
      SMTP_MAIL_DIR: dir,
      SMTP_USER: options.user ?? '',
      SMTP_PASS: options.pass ?? '',
      SMTP_PORT: String(options.port ?? 0),
      SMTP_REPLY_DELAY_MS: String(options.replyDelayMs ?? 0),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Should this process end without stop(), take the child along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('timed out')), options.startTimeoutMs ?? 10_000);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /SMTP_LISTENING (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code ?? signal})`));
      });
    });
  } catch (e) {
    await terminate(child);
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`The test SMTP server did not start: ${(e as Error).message}\n${stderr}`, { cause: e });
  }

  const credentials = options.user ? `${encodeURIComponent(options.user)}:${encodeURIComponent(options.pass ?? '')}@` : '';
  const reader = mailDirReader(dir, () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The test SMTP server has exited.\n${stderr}`);
    }
  });
  const { messages, waitForMail } = reader;

  let stopped: Promise<void> | null = null;
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    port,
    dir,
    waitForMail,
    messages,
    stop() {
      stopped ??= (async () => {
        await terminate(child);
        process.removeListener('exit', killOnExit);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/**
 * Reads the messages a test SMTP server saved in `dir`: usable from another process than the
 * one that started the server (e.g. Playwright workers, given the directory).
 */
export function mailDirReader(dir: string, alive: () => void = () => {}): Pick<TestSmtpServer, 'messages' | 'waitForMail'> {
  const parsed = new Map<string, ReceivedMessage>();

  async function messages(): Promise<ReceivedMessage[]> {
    const names = (await readdir(dir)).filter((n) => n.endsWith('.eml')).sort();
    const result: ReceivedMessage[] = [];
    for (const name of names) {
      let message = parsed.get(name);
      if (!message) {
        const file = path.join(dir, name);
        const meta = JSON.parse(await readFile(file.replace(/\.eml$/, '.json'), 'utf8')) as {
          mailFrom: string | null;
          rcptTo: string[];
          user: string | null;
          receivedAt: number;
        };
        message = {
          file,
          receivedAt: new Date(meta.receivedAt),
          envelope: { mailFrom: meta.mailFrom, rcptTo: meta.rcptTo },
          authUser: meta.user,
          mail: await simpleParser(await readFile(file)),
        };
        parsed.set(name, message);
      }
      result.push(message);
    }
    return result;
  }

  async function waitForMail(to: string, opts: WaitForMailOptions = {}): Promise<ParsedMail> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const since = opts.since === undefined ? 0 : Number(opts.since);
    const wanted = to.trim().toLowerCase();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = await messages();
      const found = all.find((m) => m.receivedAt.getTime() >= since && recipients(m).includes(wanted));
      if (found) return found.mail;
      if (Date.now() >= deadline) {
        const seen = all.map((m) => `  ${m.receivedAt.toISOString()} to ${recipients(m).join(', ')}: ${m.mail.subject ?? ''}`);
        throw new Error(
          `No mail to ${to} within ${timeoutMs} ms${opts.since === undefined ? '' : ` since ${new Date(since).toISOString()}`}. ` +
            `Received ${all.length}:\n${seen.join('\n')}`,
        );
      }
      alive();
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return { messages, waitForMail };
}

/** Envelope recipients and To/Cc header addresses, lower-cased. */
function recipients(m: ReceivedMessage): string[] {
  const header = [m.mail.to, m.mail.cc].flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a])).flatMap((a) => a.value.map((v) => v.address ?? ''));
  return [...new Set([...m.envelope.rcptTo, ...header].filter(Boolean).map((a) => a.toLowerCase()))];
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  child.stdin?.destroy();
}
