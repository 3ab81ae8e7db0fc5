import express, { type Router } from 'express';
import type { TerminalCheckIn } from '../../contract/terminals.js';
import { DomainError } from '../../domain/errors.js';

/**
 * GET /api/terminal: the kiosk shell's check-in (at start and every few minutes). The proof
 * middleware has already recorded its contact, version and printer; this answers whether the
 * terminal is enrolled, so that the shell can tell IT staff in its log when it is not.
 */
export function terminalRoutes(): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    if (!req.terminal) throw new DomainError('terminal.notEnrolled');
    const body: TerminalCheckIn = { id: req.terminal.id, name: req.terminal.name };
    res.json(body);
  });
  return router;
}
