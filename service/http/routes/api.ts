import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { accountHandlers } from '../handlers/account.js';
import { requireAccount } from '../middleware/auth.js';
import { apiNotFound } from '../middleware/errors.js';
import { schemas, validate } from '../validate.js';
import { adminRoutes } from './admin.js';
import { applicationRoutes } from './applications.js';
import { catalogueRoutes } from './catalogue.js';
import { certificateRoutes } from './certificates.js';
import { deliveryRoutes } from './deliveries.js';
import { graduateRoutes } from './graduates.js';
import { institutionRoutes } from './institution.js';
import { sharedRoutes } from './share-links.js';
import { storeRoutes } from './store.js';
import { terminalRoutes } from './terminal.js';
import { verifyRoutes } from './verify.js';

/** JSON API under /api/ (see service/contract/api.ts). */
export function apiRoutes(deps: AppDeps): Router {
  const h = accountHandlers(deps);
  const signedIn = requireAccount(deps, { verifiedMail: false });
  const withMail = requireAccount(deps, { verifiedMail: true });
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/session', h.session);
  router.get('/me', signedIn, h.getMe);
  router.put('/language', validate({ body: schemas.language }), h.setLanguage);
  router.post('/mail/registration', signedIn, validate({ body: schemas.mailRequest }), h.requestRegistration);
  router.post('/mail/change', withMail, validate({ body: schemas.mailRequest }), h.requestChange);
  router.post('/mail/confirm', validate({ body: schemas.mailConfirm }), h.confirmMail);
  router.post('/logout', h.logout);
  router.use('/institution', institutionRoutes(deps));
  router.use('/catalogue', catalogueRoutes(deps));
  router.use('/applications', applicationRoutes(deps));
  router.use('/graduates', graduateRoutes(deps));
  router.use('/admin', adminRoutes(deps));
  router.use('/verify', verifyRoutes(deps));
  router.use('/deliveries', deliveryRoutes(deps));
  router.use('/certificates', certificateRoutes(deps));
  router.use('/shared', sharedRoutes(deps));
  router.use('/store', storeRoutes(deps));
  router.use('/terminal', terminalRoutes());
  router.use(apiNotFound);
  return router;
}
