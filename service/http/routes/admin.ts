import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { adminHandlers, adminInput as input } from '../handlers/admin.js';
import { csrfProtection } from '../middleware/csrf.js';
import { requireStaff, requireStaffRole, staffSessions } from '../middleware/staff-session.js';
import { validate } from '../validate.js';
import { adminCertificateRoutes } from './admin-certificates.js';
import { adminRegistryRoutes } from './admin-registry.js';
import { adminInstitutionRoutes } from './admin-institution.js';
import { adminMailRoutes } from './admin-mail.js';
import { adminTerminalRoutes } from './admin-terminals.js';

/**
 * /api/admin: the staff console's API (see service/contract/admin.ts). Its own session cookie
 * and its own CSRF token (the app-wide CSRF check, bound to the student session, skips /api/admin/).
 * Handlers behind `requireStaff` find `res.locals.staff = { id, name, role }`.
 */
export function adminRoutes(deps: AppDeps): Router {
  const sessions = staffSessions(deps.staff, { secure: deps.config.secureCookies });
  const h = adminHandlers(deps, sessions);
  const administrator = requireStaffRole('administrator');
  const router = express.Router();
  router.use(sessions.load);
  router.use(
    csrfProtection({
      publicOrigin: new URL(deps.config.publicUrl).origin,
      exempt: [],
      tokenOf: (req) => req.staffSession?.record.csrfToken,
    }),
  );
  router.get('/session', h.session);
  router.post('/login', validate(input.login), h.login);
  router.post('/logout', h.logout);
  router.get('/applications', requireStaff, validate(input.queue), h.queue);
  router.get('/applications/:id', requireStaff, validate(input.detail), h.detail);
  router.post('/applications/:id/decision', requireStaff, validate(input.decision), h.decide);
  router.get('/audit', requireStaff, validate(input.audit), h.audit);
  router.get('/staff', requireStaff, administrator, h.staffList);
  router.use('/registry', requireStaff, adminRegistryRoutes(deps));
  // Issued certificates, mail orders to ship, certificate types (full paths inside).
  for (const prefix of ['/certificates', '/mail-orders', '/certificate-types']) router.use(prefix, requireStaff);
  router.use(adminCertificateRoutes(deps));
  // 大学情報 and the setup checklist.
  for (const prefix of ['/institution', '/setup']) router.use(prefix, requireStaff);
  router.use(adminInstitutionRoutes(deps));
  // 端末: enrolled campus terminals.
  router.use('/terminals', requireStaff);
  router.use(adminTerminalRoutes(deps));
  // メール送信状況: mails that failed or wait too long.
  router.use('/mail', requireStaff);
  router.use(adminMailRoutes(deps));
  return router;
}
