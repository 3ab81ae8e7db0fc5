import express, { type Router } from 'express';
import type { CatalogueResponse } from '../../contract/registry.js';
import type { AppDeps } from '../deps.js';

/** GET /api/catalogue (public): universities → faculties → departments for the forms' selects. */
export function catalogueRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.get('/', async (_req, res) => {
    const answer: CatalogueResponse = await deps.registry.catalogue();
    res.json(answer);
  });
  return router;
}
