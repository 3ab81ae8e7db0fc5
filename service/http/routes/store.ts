import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { StoreClaimResponse, StoreConfirmRequest, StoreConfirmResponse, StoreFailRequest, StoreFailResponse, StoreLookupResponse } from '../../contract/certificates.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { storeLookupResponse } from '../presenters/store.js';
import { validated, validate } from '../validate.js';

/** Lengths only at the edge; the terminal normalises (full-width digits, spaces, hyphens). */
const number = z.string({ error: 'required' }).min(1, 'required').max(64, 'tooLong');
const claimId = z.string({ error: 'required' }).regex(/^[A-Za-z0-9_-]{1,64}$/, 'invalid');
const numberSchema = z.object({ number });
const confirmSchema = z.object({ number, claimId }) satisfies z.ZodType<StoreConfirmRequest>;
const failSchema = z.object({ number, claimId, detail: z.string({ error: 'required' }).max(2000, 'tooLong') }) satisfies z.ZodType<StoreFailRequest>;

const NUMBER = /^[0-9]{8}$/;
const PDF_FILE = /^([A-Za-z0-9-]{1,40})\.pdf$/;

const clientOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * /api/store (public, service/contract/certificates.ts): the simulated convenience-store printer.
 * POST /lookup { number }; POST /claim { number } → StoreClaimResponse; GET
 * /documents/:number/:claimId/<certificate>.pdf while that claim holds; POST /confirm
 * { number, claimId } once the terminal has every document; POST /fail { number, claimId, detail }.
 */
export function storeRoutes(deps: AppDeps): Router {
  const router = express.Router();
  const terminal = deps.storeTerminal;

  router.post('/lookup', validate({ body: numberSchema }), async (req, res) => {
    const body: StoreLookupResponse = storeLookupResponse(await terminal.lookup(validated(res, { body: numberSchema }).body.number, clientOf(req)));
    res.json(body);
  });

  router.post('/claim', validate({ body: numberSchema }), async (req, res) => {
    const ticket = await terminal.claim(validated(res, { body: numberSchema }).body.number, clientOf(req));
    const base = `/api/store/documents/${ticket.number}/${encodeURIComponent(ticket.claimId)}`;
    const body: StoreClaimResponse = {
      number: ticket.number,
      claimId: ticket.claimId,
      leaseUntil: ticket.leaseUntil,
      documents: ticket.documents.map((d) => ({ certificateNumber: d.certificateNumber, copies: d.copies, url: `${base}/${encodeURIComponent(d.certificateNumber)}.pdf` })),
    };
    res.json(body);
  });

  router.get('/documents/:number/:claimId/:file', async (req, res) => {
    const file = PDF_FILE.exec(String(req.params.file));
    const reservation = String(req.params.number);
    const claim = String(req.params.claimId);
    if (!file || !NUMBER.test(reservation)) throw new DomainError('notFound', {}, `bad document address ${req.path}`);
    if (!claimId.safeParse(claim).success) throw new DomainError('reservation.claimLost', {}, 'no claim in the document address');
    const pdf = await terminal.document(reservation, claim, file[1]!);
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${file[1]}.pdf"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(Buffer.from(pdf));
  });

  router.post('/confirm', validate({ body: confirmSchema }), async (_req, res) => {
    const { number: n, claimId: id } = validated(res, { body: confirmSchema }).body;
    const body: StoreConfirmResponse = await terminal.confirm(n, id);
    res.json(body);
  });

  router.post('/fail', validate({ body: failSchema }), async (_req, res) => {
    const { number: n, claimId: id, detail } = validated(res, { body: failSchema }).body;
    const failed = await terminal.fail(n, id, detail);
    const body: StoreFailResponse = { number: failed.number, status: 'reserved' };
    res.json(body);
  });

  return router;
}
