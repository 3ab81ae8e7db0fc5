import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { requireAccount } from '../middleware/auth.js';
import { campusPrintRoutes } from './certificates-campus.js';
import { orderFlowRoutes } from './certificates-flow.js';
import { orderListRoutes } from './certificates-home.js';
import { credentialDownloadRoutes } from './credentials.js';
import { shareLinkRoutes } from './share-links.js';

/** /api/certificates (service/contract/certificates.ts): the issue flow, the home lists, campus printing, credential downloads, share links. */
export function certificateRoutes(deps: AppDeps): Router {
  const withMail = requireAccount(deps, { verifiedMail: true });
  const router = express.Router();
  router.use(withMail);
  router.use(orderFlowRoutes(deps));
  router.use(orderListRoutes(deps));
  router.use(credentialDownloadRoutes(deps));
  router.use('/campus-jobs', campusPrintRoutes(deps));
  router.use('/share-links', shareLinkRoutes(deps));
  return router;
}
