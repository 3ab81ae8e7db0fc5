import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { MailMessage } from '../../domain/model.js';
import type { Mailer } from '../../domain/ports.js';

/** A mail the relay did not take. The message names the relay and its answer, never the password. */
export class SmtpSendError extends Error {
  constructor(
    message: string,
    /** nodemailer's code (EAUTH, ECONNECTION, ETIMEDOUT, EENVELOPE, …) and the relay's reply code. */
    readonly code: string | undefined,
    readonly responseCode: number | undefined,
  ) {
    super(message);
    this.name = 'SmtpSendError';
  }
}

export interface SmtpMailerOptions {
  /** Give up on a silent relay after this long (connect, greeting, and each reply). Default 15 s. */
  timeoutMs?: number;
}

/**
 * The Mailer over an SMTP relay given as `smtp://user:pass@host:port` (STARTTLS when offered)
 * or `smtps://…` (TLS from the start). User and password are URL-encoded in the URL. Mails are
 * UTF-8, with a text part and an HTML alternative.
 */
export function createSmtpMailer(smtpUrl: string, from: string, options: SmtpMailerOptions = {}): Mailer {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    // Not the URL itself in the message: it holds the password.
    throw new Error('SMTP_URL is not a valid URL (expected smtp://user:pass@host:port)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const where = `${url.protocol}//${url.host}`;
  const timeout = options.timeoutMs ?? 15_000;

  const transportOptions: SMTPTransport.Options = {
    host,
    port,
    secure,
    ...(user ? { auth: { user, pass } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    logger: false,
    debug: false,
  };
  const transport = nodemailer.createTransport(transportOptions);
  const secrets = [pass, url.password].filter((s) => s.length > 0);

  return {
    async send(message: MailMessage): Promise<void> {
      try {
        await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          ...(message.messageId ? { messageId: message.messageId } : {}),
        });
      } catch (err) {
        const e = err as Error & { code?: string; responseCode?: number };
        let detail = e.message || String(err);
        for (const secret of secrets) detail = detail.split(secret).join('***');
        throw new SmtpSendError(`Sending mail through ${where} failed: ${detail}`, e.code, e.responseCode);
      }
    },
  };
}
