import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { adminRegistryRoutes } from './admin-registry.js';

/** /api/admin: the staff console's API (staff sign-in, queue, decisions, audit log). Skeleton. */
export function adminRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.use('/registry', adminRegistryRoutes(deps));
  return router;
}
