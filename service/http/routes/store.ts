import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { countPdfPages } from '../../adapters/pdf/page-count.js';
import { SimulatedStorePrintProvider } from '../../adapters/print/simulated-store.js';
import { createStoreTerminal } from '../../domain/certificates/store-terminal.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { bodyOf, validateBody } from '../validate.js';

/** Lengths only at the edge; the terminal normalises (full-width digits, spaces, hyphens). */
const numberSchema = z.object({
  number: z.string({ error: 'required' }).min(1, 'required').max(64, 'tooLong'),
});

const clientOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * /api/store (public, service/contract/certificates.ts): the simulated convenience-store printer.
 * POST /lookup and POST /print take `{ number }`; GET /output/:token/:number.pdf serves a printed
 * document for 10 minutes after its print.
 */
export function storeRoutes(deps: AppDeps): Router {
  const router = express.Router();
  const terminal = createStoreTerminal({
    provider: new SimulatedStorePrintProvider(deps.certificates.orders, deps.clock),
    store: deps.certificates.store,
    clock: deps.clock,
    random: deps.random,
    countPages: countPdfPages,
  });

  router.post('/lookup', validateBody(numberSchema), async (req, res) => {
    res.json(await terminal.lookup(bodyOf(res, numberSchema).number, clientOf(req)));
  });
  router.post('/print', validateBody(numberSchema), async (req, res) => {
    res.json(await terminal.print(bodyOf(res, numberSchema).number, clientOf(req)));
  });
  router.get('/output/:token/:file', (req, res) => {
    const match = /^(.+)\.pdf$/.exec(String(req.params.file));
    const pdf = match ? terminal.output(String(req.params.token), match[1]!) : null;
    if (!pdf) throw new DomainError('notFound');
    res.set('Content-Type', 'application/pdf');
    res.set('Content-Disposition', `inline; filename="${match![1]}.pdf"`);
    res.set('X-Content-Type-Options', 'nosniff');
    res.send(Buffer.from(pdf));
  });
  return router;
}
