import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { CampusClaimResponse, CampusCompleteRequest, CampusCompleteResponse, CampusFailRequest, CampusFailResponse } from '../../contract/certificates.js';
import type { KioskCaller } from '../../domain/certificates/campus-printing.js';
import type { AppDeps } from '../deps.js';
import { accountOf } from '../middleware/auth.js';
import { ID, idParam, pdfFileParam, validated } from '../validate.js';

const claimId = z.string({ error: 'required' }).regex(ID, 'invalid');
const job = z.object({ id: idParam('campus.notFound') });

/** What each route of 学内印刷 checks (routes/certificates-campus.ts). */
export const campusPrintInput = {
  claim: { params: job },
  // The job and the file are the document's address (not found); the claim in its query must be current (claim lost).
  document: {
    params: z.object({ id: idParam('campus.notFound'), file: pdfFileParam('campus.notFound') }),
    query: z.object({ claim: idParam('campus.claimLost') }),
  },
  complete: { body: z.object({ claimId }) satisfies z.ZodType<CampusCompleteRequest>, params: job },
  fail: { body: z.object({ claimId, detail: z.string({ error: 'required' }).max(2000, 'tooLong') }) satisfies z.ZodType<CampusFailRequest>, params: job },
};
const input = campusPrintInput;

/** 学内印刷: kiosk sessions at an enrolled terminal only, the account's own jobs. */
export function campusPrintHandlers(deps: AppDeps) {
  const campus = () => deps.certificates.campus;
  const now = () => deps.clock.now();

  /** A kiosk caller signed in at a terminal and asks from an enrolled terminal now (its proof on this very request). */
  function callerOf(req: Request, res: Response): KioskCaller {
    const terminal = req.terminal;
    return {
      account: accountOf(res),
      kiosk: terminal !== null && req.session?.record.kiosk === true,
      by: `kiosk:${terminal?.name ?? 'none'}`,
    };
  }

  const claim: RequestHandler = async (req, res) => {
    const jobId = validated(res, input.claim).params.id;
    const claim = await campus().claim(callerOf(req, res), jobId, now());
    const base = `/api/certificates/campus-jobs/${encodeURIComponent(jobId)}/documents`;
    const body: CampusClaimResponse = {
      jobId,
      claimId: claim.claimId,
      documents: claim.documents.map((d) => ({
        ...d,
        url: `${base}/${encodeURIComponent(d.certificateNumber)}.pdf?claim=${encodeURIComponent(claim.claimId)}`,
      })),
    };
    res.json(body);
  };
  const document: RequestHandler = async (req, res) => {
    const { params, query } = validated(res, input.document);
    const pdf = await campus().document(callerOf(req, res), params.id, query.claim, params.file, now());
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${params.file}.pdf"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(Buffer.from(pdf));
  };
  const complete: RequestHandler = async (req, res) => {
    const { body, params } = validated(res, input.complete);
    const job = await campus().complete(callerOf(req, res), params.id, body.claimId, now());
    const reply: CampusCompleteResponse = { jobId: job.id, printedAt: job.printedAt ?? now().toISOString() };
    res.json(reply);
  };
  const fail: RequestHandler = async (req, res) => {
    const { body, params } = validated(res, input.fail);
    const job = await campus().fail(callerOf(req, res), params.id, body.claimId, body.detail, now());
    const reply: CampusFailResponse = { jobId: job.id, status: 'waiting' };
    res.json(reply);
  };
  return { claim, document, complete, fail };
}
