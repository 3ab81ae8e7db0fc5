import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { shareLinkHandlers, shareLinkInput as input } from '../handlers/share-links.js';
import { validate } from '../validate.js';

/** /api/certificates/share-links: the holder's links (behind the signed-in, mail-registered check of routes/certificates.ts). */
export function shareLinkRoutes(deps: AppDeps): Router {
  const h = shareLinkHandlers(deps);
  const router = express.Router();
  router.get('/', validate(input.list, { query: 'certificate.notFound' }), h.list);
  router.post('/', validate(input.create), h.create);
  router.get('/:id/accesses', validate(input.link), h.accesses);
  router.post('/:id/revoke', validate(input.link), h.revoke);
  return router;
}

/** /api/shared: anyone holding a link (public; rate limited per client in the domain). */
export function sharedRoutes(deps: AppDeps): Router {
  const h = shareLinkHandlers(deps);
  const router = express.Router();
  router.post('/view', validate(input.shared), h.view);
  router.post('/document', validate(input.shared), h.document);
  return router;
}
