import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type {
  StoreClaimResponse,
  StoreConfirmRequest,
  StoreConfirmResponse,
  StoreFailRequest,
  StoreFailResponse,
  StoreLookupResponse,
} from '../../contract/certificates.js';
import type { AppDeps } from '../deps.js';
import { storeLookupResponse } from '../presenters/store.js';
import { ID, idParam, pdfFileParam, validated } from '../validate.js';

/** Lengths only at the edge; the terminal normalises (full-width digits, spaces, hyphens). */
const number = z.string({ error: 'required' }).min(1, 'required').max(64, 'tooLong');
const claimId = z.string({ error: 'required' }).regex(ID, 'invalid');
const numberBody = z.object({ number });

/** What each route of the store simulator checks (routes/store.ts). */
export const storeInput = {
  lookup: { body: numberBody },
  claim: { body: numberBody },
  // A malformed address is not found; a malformed claim is a claim lost (checked in that order).
  document: {
    params: z.object({
      number: z.string().regex(/^[0-9]{8}$/, 'notFound'),
      file: pdfFileParam(),
      claimId: idParam('reservation.claimLost'),
    }),
  },
  confirm: { body: z.object({ number, claimId }) satisfies z.ZodType<StoreConfirmRequest> },
  fail: { body: z.object({ number, claimId, detail: z.string({ error: 'required' }).max(2000, 'tooLong') }) satisfies z.ZodType<StoreFailRequest> },
};
const input = storeInput;

const clientOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** The simulated convenience-store printer (contract/certificates.ts). */
export function storeHandlers(deps: AppDeps) {
  const terminal = deps.storeTerminal;

  const lookup: RequestHandler = async (req, res) => {
    const body: StoreLookupResponse = storeLookupResponse(await terminal.lookup(validated(res, input.lookup).body.number, clientOf(req)));
    res.json(body);
  };
  const claim: RequestHandler = async (req, res) => {
    const ticket = await terminal.claim(validated(res, input.claim).body.number, clientOf(req));
    const base = `/api/store/documents/${ticket.number}/${encodeURIComponent(ticket.claimId)}`;
    const body: StoreClaimResponse = {
      number: ticket.number,
      claimId: ticket.claimId,
      leaseUntil: ticket.leaseUntil,
      documents: ticket.documents.map((d) => ({
        certificateNumber: d.certificateNumber,
        copies: d.copies,
        url: `${base}/${encodeURIComponent(d.certificateNumber)}.pdf`,
      })),
    };
    res.json(body);
  };
  const document: RequestHandler = async (_req, res) => {
    const { number: reservation, claimId: claim, file: certificateNumber } = validated(res, input.document).params;
    const pdf = await terminal.document(reservation, claim, certificateNumber);
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${certificateNumber}.pdf"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(Buffer.from(pdf));
  };
  const confirm: RequestHandler = async (_req, res) => {
    const { number: n, claimId: id } = validated(res, input.confirm).body;
    const body: StoreConfirmResponse = await terminal.confirm(n, id);
    res.json(body);
  };
  const fail: RequestHandler = async (_req, res) => {
    const { number: n, claimId: id, detail } = validated(res, input.fail).body;
    const failed = await terminal.fail(n, id, detail);
    const body: StoreFailResponse = { number: failed.number, status: 'reserved' };
    res.json(body);
  };
  return { lookup, claim, document, confirm, fail };
}
