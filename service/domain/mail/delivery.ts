import type { AuditEntry } from '../audit.js';
import { DomainError } from '../errors.js';
import type { Clock, TransactionalMailer } from '../ports.js';
import type { Stores, UnitOfWork } from '../stores.js';
import type { OutboxMail } from './outbox.js';

/** A mail still unsent this long after it was enqueued is shown to staff (retries take about 4 minutes). */
export const MAIL_STUCK_AFTER_MINUTES = 15;

export interface MailDeliveryDeps {
  outbox: Stores['mailOutbox'];
  transaction: UnitOfWork['transaction'];
  mailer: Pick<TransactionalMailer, 'wake'>;
  clock: Clock;
}

/**
 * Mails that need a person: given up after the last attempt (failed), or unsent
 * `MAIL_STUCK_AFTER_MINUTES` after they were enqueued (the relay refuses or is down). Staff see
 * them in the console; an administrator sends one again (audited).
 */
export interface MailDelivery {
  /** Failed and long-waiting mails, failed first, then oldest first. */
  problems(): Promise<OutboxMail[]>;
  /** Sends the mail again now, with every attempt of a new mail; `notFound` when it was sent meanwhile or is being sent. */
  retry(id: string, actor: AuditEntry['actor']): Promise<OutboxMail>;
}

export function createMailDelivery(deps: MailDeliveryDeps): MailDelivery {
  async function problems(): Promise<OutboxMail[]> {
    const stuckBefore = deps.clock.now().getTime() - MAIL_STUCK_AFTER_MINUTES * 60_000;
    const all = await deps.outbox.list();
    return all
      .filter((m) => m.status === 'failed' || Date.parse(m.enqueuedAt) <= stuckBefore)
      .sort((a, b) => ((a.status === 'failed') === (b.status === 'failed') ? a.enqueuedAt.localeCompare(b.enqueuedAt) : a.status === 'failed' ? -1 : 1));
  }

  async function retry(id: string, actor: AuditEntry['actor']): Promise<OutboxMail> {
    const at = deps.clock.now().toISOString();
    const retried = await deps.transaction(async (tx) => {
      const before = (await tx.mailOutbox.list()).find((m) => m.id === id);
      const after = before ? await tx.mailOutbox.retry(id, at) : null;
      if (!before || !after) throw new DomainError('notFound', {}, `mail ${id} is not waiting in the outbox`);
      await tx.audit.append({
        at,
        actor,
        action: 'mail.retried',
        target: { type: 'mail', id },
        before: { status: before.status, subject: before.message.subject, attempts: before.attempts, lastError: before.lastError },
        after: { status: after.status, dueAt: after.dueAt },
        note: null,
      });
      return after;
    });
    deps.mailer.wake();
    return retried;
  }

  return { problems, retry };
}
