import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { AdminCertificateTypeList, LoadTemplateResponse, RevokeRequest, ShipRequest } from '../../contract/certificates.js';
import { REVOCATION_REASON_MAX, TRACKING_NUMBER, type StaffActor } from '../../domain/certificates/staff-desk.js';
import { certificateTypeSchema } from '../../domain/certificates/types.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { adminCertificateList, adminCertificateView, adminMailOrderList, shipResponse } from '../presenters/staff-desk.js';
import { certificateNumberParam, idParam, typeCodeParam, validated } from '../validate.js';

const offset = z.coerce.number({ error: 'invalid' }).int('invalid').min(0, 'invalid').max(1_000_000, 'invalid').optional();
const limit = z.coerce.number({ error: 'invalid' }).int('invalid').min(1, 'invalid').max(200, 'invalid').optional();
const certificate = z.object({ number: certificateNumberParam });
const typeCode = z.object({ code: typeCodeParam });

/** What each route of the staff certificate desk checks (routes/admin-certificates.ts). */
export const adminCertificateInput = {
  search: {
    query: z.object({
      number: z
        .string()
        .trim()
        .max(40, 'tooLong')
        .optional()
        .transform((v) => v || undefined),
      studentId: z
        .string()
        .trim()
        .max(32, 'tooLong')
        .optional()
        .transform((v) => v || undefined),
      status: z.enum(['valid', 'revoked'], { error: 'invalid' }).optional(),
      offset,
      limit,
    }),
  },
  certificate: { params: certificate },
  revoke: {
    body: z.object({
      reason: z.string({ error: 'required' }).trim().min(1, 'required').max(REVOCATION_REASON_MAX, 'tooLong'),
    }) satisfies z.ZodType<RevokeRequest>,
    params: certificate,
  },
  mailOrders: {
    query: z.object({
      status: z.enum(['awaitingShipment', 'shipped', 'cancelled'], { error: 'invalid' }).optional(),
      offset,
      limit,
    }),
  },
  ship: {
    body: z.object({
      trackingNumber: z.string({ error: 'required' }).trim().min(1, 'required').regex(TRACKING_NUMBER, 'mailOrder.trackingInvalid'),
    }) satisfies z.ZodType<ShipRequest>,
    params: z.object({ id: idParam() }),
  },
  createType: { body: certificateTypeSchema },
  putType: { params: typeCode, body: certificateTypeSchema },
  deleteType: { params: typeCode },
};
const input = adminCertificateInput;

const staffOf = (res: { locals: Record<string, unknown> }): StaffActor => {
  const staff = res.locals.staff as StaffActor | undefined;
  if (!staff) throw new DomainError('auth.required');
  return staff;
};

/** The staff console's certificate desk: certificates, mail orders, certificate types. */
export function adminCertificateHandlers(deps: AppDeps) {
  const desk = () => deps.certificates.staffDesk;
  const typeList = async (): Promise<AdminCertificateTypeList> => {
    const [types, issued] = await Promise.all([desk().types(), desk().issuedCounts()]);
    return types.map((type) => ({ ...type, issued: issued[type.code] ?? 0 }));
  };

  const search: RequestHandler = async (_req, res) => {
    res.json(adminCertificateList(await desk().searchCertificates(validated(res, input.search).query)));
  };
  const certificate: RequestHandler = async (_req, res) => {
    res.json(adminCertificateView(await desk().certificate(validated(res, input.certificate).params.number)));
  };
  const pdf: RequestHandler = async (_req, res) => {
    const { number, pdf } = await desk().pdf(validated(res, input.certificate).params.number, staffOf(res));
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
  };
  const revoke: RequestHandler = async (_req, res) => {
    const { body, params } = validated(res, input.revoke);
    res.json(adminCertificateView(await desk().revoke(params.number, body.reason, staffOf(res))));
  };
  const mailOrders: RequestHandler = async (_req, res) => {
    res.json(adminMailOrderList(await desk().mailOrders(validated(res, input.mailOrders).query)));
  };
  const ship: RequestHandler = async (_req, res) => {
    const { body, params } = validated(res, input.ship);
    res.json(shipResponse(await desk().ship(params.id, body.trackingNumber, staffOf(res))));
  };
  const types: RequestHandler = async (_req, res) => {
    res.json(await typeList());
  };
  const createType: RequestHandler = async (_req, res) => {
    res.status(201).json(await desk().createType(validated(res, input.createType).body, staffOf(res)));
  };
  const loadTemplate: RequestHandler = async (_req, res) => {
    const added = await desk().loadTemplate(staffOf(res));
    const reply: LoadTemplateResponse = { added, types: await typeList() };
    res.json(reply);
  };
  const putType: RequestHandler = async (_req, res) => {
    const { params, body: type } = validated(res, input.putType);
    if (type.code !== params.code) {
      throw new DomainError('validation.failed', {}, 'code differs from the URL', { code: 'certificateType.codeInvalid' });
    }
    res.json(await desk().putType(type, staffOf(res)));
  };
  const deleteType: RequestHandler = async (_req, res) => {
    await desk().deleteType(validated(res, input.deleteType).params.code, staffOf(res));
    res.json(await typeList());
  };

  return { search, certificate, pdf, revoke, mailOrders, ship, types, createType, loadTemplate, putType, deleteType };
}
