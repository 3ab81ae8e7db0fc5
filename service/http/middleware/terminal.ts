import type { Request, RequestHandler } from 'express';
import type { Terminal } from '../../domain/terminals/model.js';
import { TERMINAL_PROOF_HEADER } from '../../domain/terminals/proof.js';
import type { TerminalService } from '../../domain/terminals/service.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The enrolled terminal that proved this request (`terminalProof`), or null: an ordinary browser. */
    terminal: Terminal | null;
  }
}

/**
 * A kiosk request is one a campus terminal proved (stricter idle timeout, ForceAuthn, campus
 * printing): an enrolled, unrevoked terminal's signature over this very method and path. Nothing
 * the browser merely says about itself (its User-Agent) counts.
 */
export const isKioskRequest = (req: Request): boolean => Boolean(req.terminal);

/** Checks the terminal proof header (service/domain/terminals/proof.ts) of every request that has one. */
export function terminalProof(terminals: TerminalService): RequestHandler {
  const check = async (req: Request, header: string, next: () => void) => {
    const outcome = await terminals.verify(header, { method: req.method, pathAndQuery: req.originalUrl });
    if (outcome && 'terminal' in outcome) req.terminal = outcome.terminal;
    // Served as an ordinary browser; the reason is for IT staff reading the log (a wrong clock shows as `time`).
    else if (outcome) req.log?.warn({ terminalId: outcome.terminalId, reason: outcome.refused }, 'terminal proof refused');
    next();
  };
  return (req, _res, next) => {
    req.terminal = null;
    const header = req.get(TERMINAL_PROOF_HEADER);
    // An ordinary browser sends none: nothing to check, not even a promise.
    if (header === undefined) return next();
    return check(req, header, next);
  };
}
