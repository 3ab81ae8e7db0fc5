import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { verifyResponse } from '../presenters/verify.js';
import { credentialVerifyResponse } from '../presenters/credentials.js';
import { CREDENTIAL_TEXT_MAX } from '../../domain/credentials/verify-credential.js';
import { validated, validate } from '../validate.js';

/** Lengths only at the edge; the service normalises and checks the formats (field codes). */
const verifySchema = z.object({
  number: z.string({ error: 'required' }).max(64, 'tooLong'),
  code: z.string({ error: 'required' }).max(64, 'tooLong'),
});

const credentialSchema = z.object({ credential: z.string({ error: 'required' }).max(CREDENTIAL_TEXT_MAX, 'tooLong') });

const clientOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * /api/verify (public, see service/contract/verify.ts): POST / checks number + code;
 * POST /credential checks a pasted verifiable credential; GET /keys is the JWK Set for offline verification (served under /api because /verify itself is an SPA route).
 */
export function verifyRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.post('/', validate({ body: verifySchema }), async (req, res) => {
    const { number, code } = validated(res, { body: verifySchema }).body;
    res.json(verifyResponse(await deps.certificates.verify(number, code, clientOf(req))));
  });
  router.post('/credential', validate({ body: credentialSchema }), async (req, res) => {
    const { credential } = validated(res, { body: credentialSchema }).body;
    res.json(credentialVerifyResponse(await deps.certificates.credentials.check(credential, clientOf(req))));
  });
  router.get('/keys', async (_req, res) => {
    const body = await deps.certificates.publishedKeys();
    // Public keys: cacheable by anyone for an hour (the API default is no-store).
    res.set('Cache-Control', 'public, max-age=3600');
    // Credential verifiers on other sites find the keys from the issuer's id (docs/verifiable-credentials.md).
    res.set('Access-Control-Allow-Origin', '*');
    res.json(body);
  });
  return router;
}
