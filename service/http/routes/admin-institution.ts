import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { adminInstitutionHandlers, adminInstitutionInput as input, imageBody } from '../handlers/admin-institution.js';
import { requireStaffRole } from '../middleware/staff-session.js';
import { validate } from '../validate.js';

/**
 * 大学情報 and the setup checklist, mounted at /api/admin behind `requireStaff` and the staff CSRF
 * check (routes/admin.ts):
 *   GET    /institution                    → AdminInstitution (any staff)
 *   PUT    /institution  InstitutionProfileInput → AdminInstitution (administrator)
 *   PUT    /institution/seal|logo  <PNG or SVG bytes> → AdminInstitution (administrator)
 *   DELETE /institution/seal|logo          → AdminInstitution (administrator)
 *   GET    /institution/seal               → the seal PNG (any staff; the logo is public at /api/institution/logo)
 *   GET    /setup                          → SetupStatus (any staff)
 */
export function adminInstitutionRoutes(deps: AppDeps): Router {
  const h = adminInstitutionHandlers(deps);
  const administrator = requireStaffRole('administrator');
  const router = express.Router();
  router.get('/institution', h.show);
  router.put('/institution', administrator, validate(input.profile), h.updateProfile);
  router.get('/institution/seal', h.seal);
  router.put('/institution/:kind', administrator, imageBody, validate(input.image), h.uploadImage);
  router.delete('/institution/:kind', administrator, validate(input.image), h.removeImage);
  router.get('/setup', h.setup);
  return router;
}
