import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { MailProblemList, MailProblemView } from '../../contract/mail.js';
import { maskMail } from '../../domain/i18n/mails.js';
import { MAIL_STUCK_AFTER_MINUTES } from '../../domain/mail/delivery.js';
import type { OutboxMail } from '../../domain/mail/outbox.js';
import type { AppDeps } from '../deps.js';
import { requireStaffRole, staffOf } from '../middleware/staff-session.js';
import { idParam, validate, validated } from '../validate.js';

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
  const input = { mail: { params: z.object({ id: idParam() }) } };
  const list: RequestHandler = async (_req, res) => {
    const body: MailProblemList = { items: (await deps.mailDelivery.problems()).map(mailProblemView), stuckAfterMinutes: MAIL_STUCK_AFTER_MINUTES };
    res.json(body);
  };
  const retry: RequestHandler = async (_req, res) => {
    const staff = staffOf(res);
    res.json(mailProblemView(await deps.mailDelivery.retry(validated(res, input.mail).params.id, { type: 'staff', id: staff.id, name: staff.name })));
  };
  const router = express.Router();
  router.get('/mail', list);
  router.post('/mail/:id/retry', requireStaffRole('administrator'), validate(input.mail), retry);
  return router;
}
