import express, { type Request, type Router } from 'express';
import type { MailProblemList, MailProblemView } from '../../contract/mail.js';
import { DomainError } from '../../domain/errors.js';
import { maskMail } from '../../domain/i18n/mails.js';
import { MAIL_STUCK_AFTER_MINUTES } from '../../domain/mail/delivery.js';
import type { OutboxMail } from '../../domain/mail/outbox.js';
import type { AppDeps } from '../deps.js';
import { requireStaffRole, staffOf } from '../middleware/staff-session.js';

const MAIL_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** An SMTP error can be long; the console shows its beginning. */
const ERROR_MAX = 500;

const mailProblemView = (m: OutboxMail): MailProblemView => ({
  id: m.id,
  to: maskMail(m.message.to),
  subject: m.message.subject,
  language: m.message.language,
  status: m.status,
  attempts: m.attempts,
  lastError: m.lastError === null ? null : m.lastError.slice(0, ERROR_MAX),
  enqueuedAt: m.enqueuedAt,
  dueAt: m.dueAt,
});

/**
 * メール送信状況 / Mail delivery, mounted at /api/admin behind `requireStaff` and the staff CSRF check (routes/admin.ts):
 *   GET  /mail            → MailProblemList (any staff)
 *   POST /mail/:id/retry  → MailProblemView: sent again now (administrator; 404 `notFound` once sent)
 */
export function adminMailRoutes(deps: AppDeps): Router {
  const router = express.Router();
  const idOf = (req: Request): string => {
    const id = String(req.params.id ?? '');
    if (!MAIL_ID.test(id)) throw new DomainError('notFound', {}, `bad mail id ${id}`);
    return id;
  };
  router.get('/mail', async (_req, res) => {
    const body: MailProblemList = { items: (await deps.mailDelivery.problems()).map(mailProblemView), stuckAfterMinutes: MAIL_STUCK_AFTER_MINUTES };
    res.json(body);
  });
  router.post('/mail/:id/retry', requireStaffRole('administrator'), async (req, res) => {
    const staff = staffOf(res);
    res.json(mailProblemView(await deps.mailDelivery.retry(idOf(req), { type: 'staff', id: staff.id, name: staff.name })));
  });
  return router;
}
