import type { MailMessage } from '../../domain/model.js';
import type { MailOutboxStore, OutboxMail } from '../../domain/mail/outbox.js';
import { isoOf, isoOrNull, jsonParam, type Queryable } from './queryable.js';

interface OutboxRow {
  id: string;
  message: MailMessage;
  status: OutboxMail['status'];
  enqueued_at: Date;
  due_at: Date;
  attempts: number;
  claim: string | null;
  lease_until: Date | null;
  last_error: string | null;
}

const toMail = (r: OutboxRow): OutboxMail => ({
  id: r.id,
  message: r.message,
  status: r.status,
  enqueuedAt: isoOf(r.enqueued_at),
  dueAt: isoOf(r.due_at),
  attempts: r.attempts,
  claim: r.claim,
  leaseUntil: isoOrNull(r.lease_until),
  lastError: r.last_error,
});

/** Mails not sent yet in `mail_outbox`. */
export function openPostgresMailOutbox(db: Queryable): MailOutboxStore {
  return {
    async enqueue({ id, message, enqueuedAt }) {
      await db.query(`INSERT INTO mail_outbox (id, message, status, enqueued_at, due_at) VALUES ($1, $2, 'pending', $3, $3)`, [
        id,
        jsonParam(message),
        enqueuedAt,
      ]);
    },
    async claim(now, leaseUntil, claim, limit) {
      // Rows another worker is claiming right now are skipped, not waited for.
      const { rows } = await db.query<OutboxRow>(
        `UPDATE mail_outbox SET status = 'sending', claim = $3, lease_until = $2, attempts = attempts + 1
          WHERE id IN (
            SELECT id FROM mail_outbox
             WHERE (status = 'pending' AND due_at <= $1) OR (status = 'sending' AND lease_until <= $1)
             ORDER BY due_at, enqueued_at LIMIT $4 FOR UPDATE SKIP LOCKED)
          RETURNING *`,
        [now, leaseUntil, claim, limit],
      );
      return rows.map(toMail).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    },
    async markSent(id, claim) {
      const { rowCount } = await db.query(`DELETE FROM mail_outbox WHERE id = $1 AND status = 'sending' AND claim = $2`, [id, claim]);
      return rowCount === 1;
    },
    async markRetry(id, claim, dueAt, error) {
      const { rowCount } = await db.query(
        `UPDATE mail_outbox SET status = 'pending', due_at = $3, claim = NULL, lease_until = NULL, last_error = $4 WHERE id = $1 AND status = 'sending' AND claim = $2`,
        [id, claim, dueAt, error],
      );
      return rowCount === 1;
    },
    async markFailed(id, claim, error) {
      const { rowCount } = await db.query(
        `UPDATE mail_outbox SET status = 'failed', claim = NULL, lease_until = NULL, last_error = $3 WHERE id = $1 AND status = 'sending' AND claim = $2`,
        [id, claim, error],
      );
      return rowCount === 1;
    },
    async list() {
      const { rows } = await db.query<OutboxRow>('SELECT * FROM mail_outbox ORDER BY enqueued_at, id');
      return rows.map(toMail);
    },
    async retry(id, now) {
      const { rows } = await db.query<OutboxRow>(
        `UPDATE mail_outbox SET status = 'pending', due_at = $2, attempts = 0, claim = NULL, lease_until = NULL
          WHERE id = $1 AND (status IN ('pending', 'failed') OR (status = 'sending' AND lease_until <= $2)) RETURNING *`,
        [id, now],
      );
      return rows[0] ? toMail(rows[0]) : null;
    },
  };
}
