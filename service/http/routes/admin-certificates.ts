import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { adminCertificateHandlers, adminCertificateInput as input } from '../handlers/admin-certificates.js';
import { requireStaffRole } from '../middleware/staff-session.js';
import { validate } from '../validate.js';

/**
 * Staff console for certificates, mounted at /api/admin behind
 * `requireStaff` and the staff CSRF check (see routes/admin.ts):
 *   GET  /certificates?number=&studentId=&status=&offset=&limit=  → AdminCertificateList (any staff)
 *   GET  /certificates/:number                                    → AdminCertificateView
 *   GET  /certificates/:number/pdf                                → the signed PDF as issued (inline; audited)
 *   POST /certificates/:number/revoke {reason}                    → AdminCertificateView (any staff)
 *   GET  /mail-orders?status=awaitingShipment|shipped|cancelled   → AdminMailOrderList (oldest first)
 *   POST /mail-orders/:id/ship {trackingNumber}                   → ShipResponse (any staff)
 *   GET  /certificate-types                                       → AdminCertificateTypeList (incl. inactive)
 *   POST /certificate-types  CertificateType                      → 201 CertificateType (administrator; new code)
 *   PUT  /certificate-types/:code  CertificateType                → CertificateType (administrator)
 *   DELETE /certificate-types/:code                               → AdminCertificateTypeList (administrator; never issued)
 *   POST /certificate-types/template                              → LoadTemplateResponse (administrator)
 */
export function adminCertificateRoutes(deps: AppDeps): Router {
  const h = adminCertificateHandlers(deps);
  const administrator = requireStaffRole('administrator');
  const router = express.Router();
  router.get('/certificates', validate(input.search), h.search);
  router.get('/certificates/:number', validate(input.certificate), h.certificate);
  router.get('/certificates/:number/pdf', validate(input.certificate), h.pdf);
  router.post('/certificates/:number/revoke', validate(input.revoke), h.revoke);
  router.get('/mail-orders', validate(input.mailOrders), h.mailOrders);
  router.post('/mail-orders/:id/ship', validate(input.ship), h.ship);
  router.get('/certificate-types', h.types);
  router.post('/certificate-types', administrator, validate(input.createType), h.createType);
  router.post('/certificate-types/template', administrator, h.loadTemplate);
  router.put('/certificate-types/:code', administrator, validate(input.putType), h.putType);
  router.delete('/certificate-types/:code', administrator, validate(input.deleteType), h.deleteType);
  return router;
}
