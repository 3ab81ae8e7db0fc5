import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';

/** GET /api/catalogue: universities → faculties → departments for the form's selects (registry work fills this in). */
export function catalogueRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.get('/', async (_req, res) => {
    res.json(await deps.registry.catalogue());
  });
  return router;
}
