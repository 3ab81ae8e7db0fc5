import express, { type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { EnrollTerminalRequest, TerminalList } from '../../contract/terminals.js';
import type { TerminalActor } from '../../domain/terminals/service.js';
import type { AppDeps } from '../deps.js';
import { requireStaffRole, staffOf } from '../middleware/staff-session.js';
import { terminalKeyReply, terminalView } from '../presenters/terminals.js';
import { idParam, validate, validated } from '../validate.js';

/** One line of text as typed: control characters (a pasted tab or line break) become spaces; surrounding spaces go. */
const line = (max: number) =>
  z
    .string({ error: 'required' })
    .transform((v) =>
      v
        .normalize('NFC')
        .replace(/\p{Cc}+/gu, ' ')
        .trim(),
    )
    .pipe(z.string().max(max, 'tooLong'));

const enrollSchema = z.object({
  name: line(60).pipe(z.string().min(1, 'required')),
  location: line(100),
}) satisfies z.ZodType<EnrollTerminalRequest>;

const terminal = z.object({ id: idParam('terminal.notFound') });

/** What each terminal route checks. */
const input = {
  enroll: { body: enrollSchema },
  terminal: { params: terminal },
};

/**
 * 端末 / Terminals, mounted at /api/admin behind `requireStaff` and the staff CSRF check (routes/admin.ts):
 *   GET  /terminals                         → TerminalList (any staff)
 *   POST /terminals  EnrollTerminalRequest  → 201 TerminalKeyResponse (administrator)
 *   POST /terminals/:id/revoke              → TerminalView (administrator)
 *   POST /terminals/:id/key                 → TerminalKeyResponse: a new key for a replaced terminal (administrator)
 */
export function adminTerminalRoutes(deps: AppDeps): Router {
  const { terminals } = deps;
  const actor = (res: Response): TerminalActor => {
    const staff = staffOf(res);
    return { type: 'staff', id: staff.id, name: staff.name, role: staff.role };
  };

  const list: RequestHandler = async (_req, res) => {
    const body: TerminalList = { items: (await terminals.list()).map(terminalView) };
    res.json(body);
  };
  const enroll: RequestHandler = async (_req, res) => {
    const issued = await terminals.enroll(validated(res, input.enroll).body, actor(res));
    res.status(201).json(terminalKeyReply(issued, deps.config.publicUrl));
  };
  const revoke: RequestHandler = async (_req, res) => {
    res.json(terminalView(await terminals.revoke(validated(res, input.terminal).params.id, actor(res))));
  };
  const reissue: RequestHandler = async (_req, res) => {
    res.json(terminalKeyReply(await terminals.reissue(validated(res, input.terminal).params.id, actor(res)), deps.config.publicUrl));
  };

  const administrator = requireStaffRole('administrator');
  const router = express.Router();
  router.get('/terminals', list);
  router.post('/terminals', administrator, validate(input.enroll), enroll);
  router.post('/terminals/:id/revoke', administrator, validate(input.terminal), revoke);
  router.post('/terminals/:id/key', administrator, validate(input.terminal), reissue);
  return router;
}
