import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { storeHandlers, storeInput as input } from '../handlers/store.js';
import { validate } from '../validate.js';

/**
 * /api/store (public, service/contract/certificates.ts): the simulated convenience-store printer.
 * POST /lookup { number }; POST /claim { number } → StoreClaimResponse; GET
 * /documents/:number/:claimId/<certificate>.pdf while that claim holds; POST /confirm
 * { number, claimId } once the terminal has every document; POST /fail { number, claimId, detail }.
 */
export function storeRoutes(deps: AppDeps): Router {
  const h = storeHandlers(deps);
  const router = express.Router();
  router.post('/lookup', validate(input.lookup), h.lookup);
  router.post('/claim', validate(input.claim), h.claim);
  router.get('/documents/:number/:claimId/:file', validate(input.document), h.document);
  router.post('/confirm', validate(input.confirm), h.confirm);
  router.post('/fail', validate(input.fail), h.fail);
  return router;
}
