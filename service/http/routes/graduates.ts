import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { graduateHandlers, graduateSchemas as s } from '../handlers/graduates.js';
import { requireOpen } from '../middleware/open.js';
import { validate } from '../validate.js';

/** /api/graduates: registration, sign-in with password + second password, reset (see service/contract/graduates.ts). */
export function graduateRoutes(deps: AppDeps): Router {
  const h = graduateHandlers(deps);
  const open = requireOpen(deps);
  const router = express.Router();
  router.post('/apply', open, validate({ body: s.apply }), h.apply);
  router.post('/register/check', validate({ body: s.token }), h.checkRegistration);
  router.post('/register', open, validate({ body: s.register }), h.register);
  router.post('/login', open, validate({ body: s.login }), h.login);
  router.post('/forgot', validate({ body: s.forgot }), h.forgot);
  router.post('/reset/check', validate({ body: s.token }), h.checkReset);
  router.post('/reset', validate({ body: s.reset }), h.reset);
  return router;
}
