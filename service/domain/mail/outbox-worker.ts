import type { MailMessage } from '../model.js';
import type { Clock, Logger, Mailer, Random, TransactionalMailer } from '../ports.js';
import type { MailOutboxStore } from './outbox.js';

export interface OutboxWorkerOptions {
  /** How often the outbox is looked at for mails enqueued by other instances or due for a retry. Default 3 s. */
  pollMs?: number;
  /** How long a claim holds a mail; longer than the transport's own timeout. Default 60 s. */
  leaseMs?: number;
  /** Attempts before a mail is marked failed. Default 8 (retries over about 4 minutes). */
  maxAttempts?: number;
  /** First retry delay, doubled at each attempt up to `maxDelayMs`. Defaults 2 s and 5 min. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** The Message-ID of an outbox mail: the same on every attempt, so a resent duplicate is recognisable. */
export const messageIdOf = (outboxId: string, domain: string): string => `<${outboxId}@${domain}>`;

export interface OutboxMailerDeps {
  clock: Clock;
  random: Random;
  /** The right-hand side of every Message-ID (the service's host name). */
  domain: string;
  /** Makes the message ready to send before it is stored (the institution's signature). */
  prepare(message: MailMessage): Promise<MailMessage>;
  /** Wakes the worker (`wake`, after a commit). */
  enqueued(): void;
}

/**
 * Writes each message, prepared and with its stable Message-ID, to the transaction's outbox (it
 * exists once the transaction commits); nothing waits for the transport.
 */
export function outboxMailer(deps: OutboxMailerDeps): TransactionalMailer {
  return {
    // Not woken here: the worker would look before the commit. The caller wakes it after.
    within: (tx) => ({
      async send(message: MailMessage) {
        const id = deps.random.id();
        const prepared = await deps.prepare(message);
        await tx.mailOutbox.enqueue({ id, message: { ...prepared, messageId: messageIdOf(id, deps.domain) }, enqueuedAt: deps.clock.now().toISOString() });
      },
    }),
    wake: () => deps.enqueued(),
  };
}

/**
 * Sends the outbox's mails through the real transport, on every instance: claim, send, mark sent;
 * on failure retry with exponential backoff, then mark failed. It wakes at once after an enqueue in
 * this process and polls for the rest.
 *
 * What remains: if the process dies after the SMTP server accepted a mail but before the mark,
 * the claim's lease runs out and the mail is sent again (same Message-ID). Any other crash leaves
 * either no claim or an unsent claimed mail, retried after the lease: never lost, never sent twice
 * while a first attempt is in flight or done.
 */
export interface MailOutboxWorker {
  start(): void;
  /** Looks at the outbox now (again after the current round, if one is running). */
  wake(): void;
  /** Stops polling and waits for the mails in flight to be marked. */
  close(): Promise<void>;
}

export interface MailOutboxWorkerDeps extends OutboxWorkerOptions {
  outbox: MailOutboxStore;
  transport: Mailer;
  clock: Clock;
  random: Random;
  logger: Logger;
}

export function createMailOutboxWorker(deps: MailOutboxWorkerDeps): MailOutboxWorker {
  const { outbox, transport, clock, random, logger } = deps;
  const pollMs = deps.pollMs ?? 3000;
  const leaseMs = deps.leaseMs ?? 60_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const baseDelayMs = deps.baseDelayMs ?? 2000;
  const maxDelayMs = deps.maxDelayMs ?? 300_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let started = false;

  function wake(): void {
    if (!started || closed) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    running = drain()
      .catch((err) => logger.error({ err }, 'mail outbox round failed'))
      .finally(() => {
        running = null;
        if (closed) return;
        if (again) {
          again = false;
          wake();
        } else {
          timer = setTimeout(() => wake(), pollMs);
          timer.unref();
        }
      });
  }

  async function drain(): Promise<void> {
    for (;;) {
      const now = clock.now();
      const claim = random.token(16);
      const mails = await outbox.claim(now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), claim, 10);
      if (mails.length === 0) return;
      await Promise.all(
        mails.map(async (mail) => {
          try {
            await transport.send(mail.message);
          } catch (err) {
            const error = err instanceof Error ? err.message : String(err);
            if (mail.attempts >= maxAttempts) {
              logger.error({ err, outboxId: mail.id, attempts: mail.attempts }, 'mail given up after its last attempt');
              await outbox.markFailed(mail.id, claim, error);
            } else {
              const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (mail.attempts - 1));
              logger.warn({ err, outboxId: mail.id, attempts: mail.attempts, retryInMs: delay }, 'mail not sent; retrying later');
              await outbox.markRetry(mail.id, claim, new Date(clock.now().getTime() + delay).toISOString(), error);
            }
            return;
          }
          await outbox.markSent(mail.id, claim);
        }),
      );
      if (closed) return;
    }
  }

  return {
    start() {
      if (started || closed) return;
      started = true;
      wake();
    },
    wake,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
