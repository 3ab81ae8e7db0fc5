import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { graduateHandlers, graduateSchemas as s } from '../handlers/graduates.js';
import { requireOpen } from '../middleware/open.js';
import { validateBody } from '../validate.js';

/** /api/graduates: registration, sign-in with password + second password, reset (see service/contract/graduates.ts). */
export function graduateRoutes(deps: AppDeps): Router {
  const h = graduateHandlers(deps);
  const open = requireOpen(deps);
  const router = express.Router();
  router.post('/apply', open, validateBody(s.apply), h.apply);
  router.post('/register/check', validateBody(s.token), h.checkRegistration);
  router.post('/register', open, validateBody(s.register), h.register);
  router.post('/login', open, validateBody(s.login), h.login);
  router.post('/forgot', validateBody(s.forgot), h.forgot);
  router.post('/reset/check', validateBody(s.token), h.checkReset);
  router.post('/reset', validateBody(s.reset), h.reset);
  return router;
}
