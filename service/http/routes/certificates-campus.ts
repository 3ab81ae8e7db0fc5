import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { campusPrintHandlers, campusPrintInput as input } from '../handlers/certificates-campus.js';
import { validate } from '../validate.js';

/**
 * /api/certificates/campus-jobs (contract/certificates.ts, 学内印刷): kiosk sessions at an enrolled terminal only, the
 * account's own jobs. POST /:id/claim → CampusClaimResponse; GET /:id/documents/<number>.pdf?claim=…
 * while that claim is current; POST /:id/complete {claimId}; POST /:id/fail {claimId, detail}.
 */
export function campusPrintRoutes(deps: AppDeps): Router {
  const h = campusPrintHandlers(deps);
  const router = express.Router();
  router.post('/:id/claim', validate(input.claim), h.claim);
  router.get('/:id/documents/:file', validate(input.document, { query: 'campus.claimLost' }), h.document);
  router.post('/:id/complete', validate(input.complete), h.complete);
  router.post('/:id/fail', validate(input.fail), h.fail);
  return router;
}
