import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { AdminCertificateTypeList, LoadTemplateResponse, RevokeRequest, ShipRequest } from '../../contract/certificates.js';
import type { CertificateType } from '../../domain/certificates/model.js';
import { REVOCATION_REASON_MAX, TRACKING_NUMBER, type StaffActor } from '../../domain/certificates/staff-desk.js';
import { certificateTypeSchema, fieldErrorsOf } from '../../domain/certificates/types.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { requireStaffRole } from '../middleware/staff-session.js';
import { adminCertificateList, adminCertificateView, adminMailOrderList, shipResponse } from '../presenters/staff-desk.js';
import { validated, validate } from '../validate.js';

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
export const adminCertificateSchemas = {
  search: z.object({
    number: z.string().trim().max(40, 'tooLong').optional().transform((v) => v || undefined),
    studentId: z.string().trim().max(32, 'tooLong').optional().transform((v) => v || undefined),
    status: z.enum(['valid', 'revoked'], { error: 'invalid' }).optional(),
    offset: z.coerce.number({ error: 'invalid' }).int('invalid').min(0, 'invalid').max(1_000_000, 'invalid').optional(),
    limit: z.coerce.number({ error: 'invalid' }).int('invalid').min(1, 'invalid').max(200, 'invalid').optional(),
  }),
  mailOrders: z.object({
    status: z.enum(['awaitingShipment', 'shipped', 'cancelled'], { error: 'invalid' }).optional(),
    offset: z.coerce.number({ error: 'invalid' }).int('invalid').min(0, 'invalid').max(1_000_000, 'invalid').optional(),
    limit: z.coerce.number({ error: 'invalid' }).int('invalid').min(1, 'invalid').max(200, 'invalid').optional(),
  }),
  revoke: z.object({
    reason: z.string({ error: 'required' }).trim().min(1, 'required').max(REVOCATION_REASON_MAX, 'tooLong'),
  }) satisfies z.ZodType<RevokeRequest>,
  ship: z.object({
    trackingNumber: z.string({ error: 'required' }).trim().min(1, 'required').regex(TRACKING_NUMBER, 'mailOrder.trackingInvalid'),
  }) satisfies z.ZodType<ShipRequest>,
};

function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const raw = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? '_')] ??= issue.message;
  throw new DomainError('validation.failed', {}, JSON.stringify(fields), fields);
}

/** A certificate type from a request body, or `validation.failed` with a code per field. */
function typeOf(body: unknown): CertificateType {
  const parsed = certificateTypeSchema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const fields = fieldErrorsOf(parsed.error);
  throw new DomainError('validation.failed', {}, JSON.stringify(fields), fields);
}

const staffOf = (res: { locals: Record<string, unknown> }): StaffActor => {
  const staff = res.locals.staff as StaffActor | undefined;
  if (!staff) throw new DomainError('auth.required');
  return staff;
};

const param = (req: Request, name: string, pattern: RegExp): string => {
  const value = String(req.params[name] ?? '');
  if (!pattern.test(value)) throw new DomainError('notFound', {}, `malformed ${name}`);
  return value;
};

export function adminCertificateRoutes(deps: AppDeps): Router {
  const desk = () => deps.certificates.staffDesk;
  const router = express.Router();

  router.get('/certificates', async (req, res) => {
    res.json(adminCertificateList(await desk().searchCertificates(parseQuery(adminCertificateSchemas.search, req))));
  });
  router.get('/certificates/:number', async (req, res) => {
    res.json(adminCertificateView(await desk().certificate(param(req, 'number', /^[A-Za-z0-9-]{1,40}$/))));
  });
  router.get('/certificates/:number/pdf', async (req, res) => {
    const { number, pdf } = await desk().pdf(param(req, 'number', /^[A-Za-z0-9-]{1,40}$/), staffOf(res));
    res.set({
      'Content-Type': 'application/pdf',
      // Shown in the browser's viewer (a new tab of the console), not saved on the staff machine by default.
      'Content-Disposition': `inline; filename="${number}.pdf"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // Chrome's built-in viewer runs in a synthetic page with an <embed> and inline styles: the
      // app-wide CSP (object-src 'none', style-src 'self') would block it. A PDF runs no page script.
      'Content-Security-Policy': "frame-ancestors 'none'",
    });
    res.send(Buffer.from(pdf));
  });
  router.post('/certificates/:number/revoke', validate({ body: adminCertificateSchemas.revoke }), async (req, res) => {
    const { reason } = validated(res, { body: adminCertificateSchemas.revoke }).body;
    res.json(adminCertificateView(await desk().revoke(param(req, 'number', /^[A-Za-z0-9-]{1,40}$/), reason, staffOf(res))));
  });

  router.get('/mail-orders', async (req, res) => {
    res.json(adminMailOrderList(await desk().mailOrders(parseQuery(adminCertificateSchemas.mailOrders, req))));
  });
  router.post('/mail-orders/:id/ship', validate({ body: adminCertificateSchemas.ship }), async (req, res) => {
    const { trackingNumber } = validated(res, { body: adminCertificateSchemas.ship }).body;
    res.json(shipResponse(await desk().ship(param(req, 'id', /^[A-Za-z0-9_-]{1,64}$/), trackingNumber, staffOf(res))));
  });

  const administrator = requireStaffRole('administrator');
  const typeList = async (): Promise<AdminCertificateTypeList> => {
    const [types, issued] = await Promise.all([desk().types(), desk().issuedCounts()]);
    return types.map((type) => ({ ...type, issued: issued[type.code] ?? 0 }));
  };
  const typeCode = (req: Request) => param(req, 'code', /^[A-Za-z0-9-]{1,32}$/);

  router.get('/certificate-types', async (_req, res) => {
    res.json(await typeList());
  });
  router.post('/certificate-types', administrator, async (req, res) => {
    res.status(201).json(await desk().createType(typeOf(req.body), staffOf(res)));
  });
  router.post('/certificate-types/template', administrator, async (_req, res) => {
    const added = await desk().loadTemplate(staffOf(res));
    const reply: LoadTemplateResponse = { added, types: await typeList() };
    res.json(reply);
  });
  router.put('/certificate-types/:code', administrator, async (req, res) => {
    const code = typeCode(req);
    const type = typeOf(req.body);
    if (type.code !== code) {
      throw new DomainError('validation.failed', {}, 'code differs from the URL', { code: 'certificateType.codeInvalid' });
    }
    res.json(await desk().putType(type, staffOf(res)));
  });
  router.delete('/certificate-types/:code', administrator, async (req, res) => {
    await desk().deleteType(typeCode(req), staffOf(res));
    res.json(await typeList());
  });

  return router;
}
