import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type {
  CampusClaimResponse,
  CampusCompleteRequest,
  CampusCompleteResponse,
  CampusFailRequest,
  CampusFailResponse,
} from '../../contract/certificates.js';
import type { KioskCaller } from '../../domain/certificates/campus-printing.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { accountOf } from '../middleware/auth.js';
import { validated, validate } from '../validate.js';

const claimId = z.string({ error: 'required' }).regex(/^[A-Za-z0-9_-]{1,64}$/, 'invalid');
const completeSchema = z.object({ claimId }) satisfies z.ZodType<CampusCompleteRequest>;
const failSchema = z.object({ claimId, detail: z.string({ error: 'required' }).max(2000, 'tooLong') }) satisfies z.ZodType<CampusFailRequest>;

const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PDF_FILE = /^([A-Za-z0-9-]{1,40})\.pdf$/;

/**
 * /api/certificates/campus-jobs (contract/certificates.ts, 学内印刷): kiosk sessions at an enrolled terminal only, the
 * account's own jobs. POST /:id/claim → CampusClaimResponse; GET /:id/documents/<number>.pdf?claim=…
 * while that claim is current; POST /:id/complete {claimId}; POST /:id/fail {claimId, detail}.
 */
export function campusPrintRoutes(deps: AppDeps): Router {
  const router = express.Router();
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
  function jobIdOf(req: Request): string {
    const id = String(req.params.id ?? '');
    if (!JOB_ID.test(id)) throw new DomainError('campus.notFound', {}, `bad job id ${id}`);
    return id;
  }

  router.post('/:id/claim', async (req, res) => {
    const caller = callerOf(req, res);
    const jobId = jobIdOf(req);
    const claim = await campus().claim(caller, jobId, now());
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
  });

  router.get('/:id/documents/:file', async (req, res) => {
    const caller = callerOf(req, res);
    const jobId = jobIdOf(req);
    const file = PDF_FILE.exec(String(req.params.file ?? ''));
    const claim = typeof req.query.claim === 'string' ? req.query.claim : '';
    if (!file) throw new DomainError('campus.notFound', {}, `bad document name ${String(req.params.file)}`);
    if (!claimId.safeParse(claim).success) throw new DomainError('campus.claimLost', {}, 'no claim in the document URL');
    const pdf = await campus().document(caller, jobId, claim, file[1]!, now());
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${file[1]}.pdf"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(Buffer.from(pdf));
  });

  router.post('/:id/complete', validate({ body: completeSchema }), async (req, res) => {
    const { claimId: id } = validated(res, { body: completeSchema }).body;
    const job = await campus().complete(callerOf(req, res), jobIdOf(req), id, now());
    const body: CampusCompleteResponse = { jobId: job.id, printedAt: job.printedAt ?? now().toISOString() };
    res.json(body);
  });

  router.post('/:id/fail', validate({ body: failSchema }), async (req, res) => {
    const { claimId: id, detail } = validated(res, { body: failSchema }).body;
    const job = await campus().fail(callerOf(req, res), jobIdOf(req), id, detail, now());
    const body: CampusFailResponse = { jobId: job.id, status: 'waiting' };
    res.json(body);
  });

  return router;
}
