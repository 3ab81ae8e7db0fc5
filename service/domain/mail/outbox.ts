import type { MailMessage } from '../model.js';

/** A mail waiting in the outbox (or being sent, or given up on). Sent mails are removed. */
export interface OutboxMail {
  id: string;
  /** The message as it will be sent: signed, with its stable Message-ID. */
  message: MailMessage;
  /** pending: waiting for `dueAt`; sending: claimed until `leaseUntil`; failed: given up after the last attempt. */
  status: 'pending' | 'sending' | 'failed';
  enqueuedAt: string;
  dueAt: string;
  /** Claims so far (the one in flight included). */
  attempts: number;
  /** Who holds the claim (a random token per claim), and until when. */
  claim: string | null;
  leaseUntil: string | null;
  lastError: string | null;
}

/**
 * The mail outbox: mails written in the same unit of work as the change they report, sent later by
 * a worker (domain/mail/outbox-worker.ts). A claim is a conditional change, so only one worker of
 * any instance holds a mail at a time; every mark names the claim it closes, so a worker whose
 * lease ran out cannot undo another's work.
 */
export interface MailOutboxStore {
  enqueue(mail: { id: string; message: MailMessage; enqueuedAt: string }): Promise<void>;
  /**
   * Claims up to `limit` mails due at `now` (pending and due, or sending with an expired lease):
   * each becomes `sending` under `claim` until `leaseUntil`, its attempts counted.
   */
  claim(now: string, leaseUntil: string, claim: string, limit: number): Promise<OutboxMail[]>;
  /** Removes a sent mail, only while `claim` still holds it; false otherwise. */
  markSent(id: string, claim: string): Promise<boolean>;
  /** Puts a mail back for a later attempt at `dueAt`, only while `claim` holds it. */
  markRetry(id: string, claim: string, dueAt: string, error: string): Promise<boolean>;
  /** Gives up on a mail (kept, `failed`, for staff to see), only while `claim` holds it. */
  markFailed(id: string, claim: string, error: string): Promise<boolean>;
  /** Mails not sent yet (pending, sending or failed), oldest first. */
  list(): Promise<OutboxMail[]>;
  /**
   * A staff member's retry: a failed or waiting mail (or one whose worker's lease ran out) becomes
   * due at `now` with its attempts counted from 0 again (its last error kept until the next
   * attempt). Null when the mail is gone (sent) or a worker holds it.
   */
  retry(id: string, now: string): Promise<OutboxMail | null>;
}
