import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { applicationHandlers, applicationSchemas } from '../handlers/applications.js';
import { requireAccount } from '../middleware/auth.js';
import { validate } from '../validate.js';

/** /api/applications: the student's 利用申請 (additional student ID), see service/contract/applications.ts. */
export function applicationRoutes(deps: AppDeps): Router {
  const h = applicationHandlers(deps);
  const withMail = requireAccount(deps, { verifiedMail: true });
  const router = express.Router();
  router.post('/student-id/link', withMail, h.requestLink);
  router.post('/student-id/check', validate({ body: applicationSchemas.token }), h.checkLink);
  router.post('/student-id', validate({ body: applicationSchemas.studentIdApplication }), h.submitStudentId);
  router.get('/', withMail, h.listMine);
  router.put('/:id', withMail, validate({ body: applicationSchemas.resubmit }), h.resubmit);
  return router;
}
