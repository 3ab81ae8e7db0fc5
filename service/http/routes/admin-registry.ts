import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { adminRegistryHandlers, adminRegistryInput as input, csvBody, csvTooLarge, requireAdministrator } from '../handlers/admin-registry.js';
import { validate } from '../validate.js';

/**
 * /api/admin/registry: CSV import with preview, registry search (mounted behind staff sign-in,
 * which sets `res.locals.staff`).
 *
 * POST /import/preview?kind=students|grades            body: the CSV (text/csv) → ImportPreview
 * POST /import/commit?kind=…&previewHash=<preview.hash>  body: the same CSV       → ImportResult
 * GET  /students?search=&offset=&limit=                 → StudentSearchResponse
 * GET  /students/:id                                    → StudentDetailResponse
 */
export function adminRegistryRoutes(deps: AppDeps): Router {
  const h = adminRegistryHandlers(deps);
  const router = express.Router();
  router.post('/import/preview', requireAdministrator, csvBody, validate(input.preview), h.preview);
  router.post('/import/commit', requireAdministrator, csvBody, validate(input.commit), h.commit);
  router.get('/students', validate(input.search), h.students);
  router.get('/students/:id', h.student);
  router.use(csvTooLarge);
  return router;
}
