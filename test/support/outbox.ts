/**
 * The real mail outbox of a store family, for domain tests that check a mail commits with its
 * change: the mailer the service uses (enqueueing in the outbox, no transport) and what it holds.
 */
import { systemRandom } from '../../service/domain/crypto.js';
import { outboxMailer } from '../../service/domain/mail/outbox-worker.js';
import type { MailMessage } from '../../service/domain/model.js';
import type { Clock, TransactionalMailer } from '../../service/domain/ports.js';
import type { Stores, UnitOfWork } from '../../service/domain/stores.js';

export interface TestOutbox {
  mailer: TransactionalMailer;
  /** The mails enqueued (and committed) so far, oldest first. */
  mails(): Promise<MailMessage[]>;
}

export function realOutbox(stores: Pick<Stores, 'mailOutbox'>, clock: Clock): TestOutbox {
  const mailer = outboxMailer({
    clock,
    random: systemRandom,
    domain: 'cert.example.ac.jp',
    prepare: async (message) => message,
    enqueued: () => {},
  });
  return { mailer, mails: async () => (await stores.mailOutbox.list()).map((m) => m.message) };
}

export const FAILED_BEFORE_COMMIT = 'the transaction failed before its commit';

/** A unit of work that does all of its work, then fails just before it would commit (a full disk, a lost connection). */
export function failingBeforeCommit(transaction: UnitOfWork['transaction']): UnitOfWork['transaction'] {
  return (work) =>
    transaction(async (tx) => {
      await work(tx);
      throw new Error(FAILED_BEFORE_COMMIT);
    });
}
