import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { verifyResponse } from '../presenters/verify.js';
import { validated, validate } from '../validate.js';

/** Lengths only at the edge; the service normalises and checks the formats (field codes). */
const verifySchema = z.object({
  number: z.string({ error: 'required' }).max(64, 'tooLong'),
  code: z.string({ error: 'required' }).max(64, 'tooLong'),
});

const clientOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * /api/verify (public, see service/contract/verify.ts): POST / checks number + code;
 * GET /keys is the JWK Set for offline verification (served under /api because /verify itself is an SPA route).
 */
export function verifyRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.post('/', validate({ body: verifySchema }), async (req, res) => {
    const { number, code } = validated(res, { body: verifySchema }).body;
    res.json(verifyResponse(await deps.certificates.verify(number, code, clientOf(req))));
  });
  router.get('/keys', async (_req, res) => {
    const body = await deps.certificates.publishedKeys();
    // Public keys: cacheable by anyone for an hour (the API default is no-store).
    res.set('Cache-Control', 'public, max-age=3600');
    res.json(body);
  });
  return router;
}
