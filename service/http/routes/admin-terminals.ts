import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { EnrollTerminalRequest, TerminalList } from '../../contract/terminals.js';
import { DomainError } from '../../domain/errors.js';
import type { TerminalActor } from '../../domain/terminals/service.js';
import type { AppDeps } from '../deps.js';
import { requireStaffRole, staffOf } from '../middleware/staff-session.js';
import { terminalKeyReply, terminalView } from '../presenters/terminals.js';
import { validated, validate } from '../validate.js';

/** One line of text as typed: control characters (a pasted tab or line break) become spaces; surrounding spaces go. */
const line = (max: number) =>
  z
    .string({ error: 'required' })
    .transform((v) => v.normalize('NFC').replace(/\p{Cc}+/gu, ' ').trim())
    .pipe(z.string().max(max, 'tooLong'));

const enrollSchema = z.object({
  name: line(60).pipe(z.string().min(1, 'required')),
  location: line(100),
}) satisfies z.ZodType<EnrollTerminalRequest>;

const TERMINAL_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * 端末 / Terminals, mounted at /api/admin behind `requireStaff` and the staff CSRF check (routes/admin.ts):
 *   GET  /terminals                         → TerminalList (any staff)
 *   POST /terminals  EnrollTerminalRequest  → 201 TerminalKeyResponse (administrator)
 *   POST /terminals/:id/revoke              → TerminalView (administrator)
 *   POST /terminals/:id/key                 → TerminalKeyResponse: a new key for a replaced terminal (administrator)
 */
export function adminTerminalRoutes(deps: AppDeps): Router {
  const { terminals } = deps;
  const administrator = requireStaffRole('administrator');
  const router = express.Router();
  const actor = (res: Response): TerminalActor => {
    const staff = staffOf(res);
    return { type: 'staff', id: staff.id, name: staff.name, role: staff.role };
  };
  const idOf = (req: Request): string => {
    const id = String(req.params.id ?? '');
    if (!TERMINAL_ID.test(id)) throw new DomainError('terminal.notFound', {}, `bad terminal id ${id}`);
    return id;
  };

  router.get('/terminals', async (_req, res) => {
    const body: TerminalList = { items: (await terminals.list()).map(terminalView) };
    res.json(body);
  });
  router.post('/terminals', administrator, validate({ body: enrollSchema }), async (_req, res) => {
    const issued = await terminals.enroll(validated(res, { body: enrollSchema }).body, actor(res));
    res.status(201).json(terminalKeyReply(issued, deps.config.publicUrl));
  });
  router.post('/terminals/:id/revoke', administrator, async (req, res) => {
    res.json(terminalView(await terminals.revoke(idOf(req), actor(res))));
  });
  router.post('/terminals/:id/key', administrator, async (req, res) => {
    res.json(terminalKeyReply(await terminals.reissue(idOf(req), actor(res)), deps.config.publicUrl));
  });
  return router;
}
