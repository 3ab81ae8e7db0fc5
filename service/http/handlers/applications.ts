import type { RequestHandler } from 'express';
import { z } from 'zod';
import type {
  ApplicationListResponse,
  ApplicationSummary,
  ResubmitResponse,
  StudentIdApplicationResponse,
  StudentIdCheckResponse,
  StudentIdLinkResponse,
} from '../../contract/applications.js';
import type { Application } from '../../domain/applications/model.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { accountOf } from '../middleware/auth.js';
import { validated, schemas as common } from '../validate.js';

/**
 * Envelopes only: the form itself is checked (and normalised) by the domain's one validation,
 * parseApplicationForm, which answers `validation.failed` with a code per field.
 */
const form = z.record(z.string(), z.unknown(), { error: 'required' });
export const applicationSchemas = {
  token: common.mailConfirm,
  studentIdApplication: common.mailConfirm.extend({ form }),
  resubmit: z.object({ form }),
};
const schemas = applicationSchemas;

/** What the applicant sees of an application: no staff identities, no history actors. */
export const toSummary = (a: Application): ApplicationSummary => ({
  id: a.id,
  kind: a.kind,
  status: a.status,
  form: a.form,
  reason: a.reason,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
  decidedAt: a.decidedAt,
});

export function applicationHandlers(deps: AppDeps) {
  const requestLink: RequestHandler = async (_req, res) => {
    const body: StudentIdLinkResponse = await deps.applications.requestStudentIdLink(accountOf(res));
    res.json(body);
  };

  const checkLink: RequestHandler = async (_req, res) => {
    const { token } = validated(res, { body: schemas.token }).body;
    const { expiresAt } = await deps.applications.checkLink(token);
    const body: StudentIdCheckResponse = { expiresAt };
    res.json(body);
  };

  const submitStudentId: RequestHandler = async (_req, res) => {
    const { token, form } = validated(res, { body: schemas.studentIdApplication }).body;
    const body: StudentIdApplicationResponse = toSummary(await deps.applications.submitStudentId(token, form));
    res.status(201).json(body);
  };

  const listMine: RequestHandler = async (_req, res) => {
    const body: ApplicationListResponse = (await deps.applications.listForAccount(accountOf(res).id)).map(toSummary);
    res.json(body);
  };

  const resubmit: RequestHandler = async (req, res) => {
    const id = req.params.id;
    if (typeof id !== 'string' || id.length > 100) throw new DomainError('notFound');
    const { form } = validated(res, { body: schemas.resubmit }).body;
    const body: ResubmitResponse = toSummary(await deps.applications.resubmit(accountOf(res).id, id, form));
    res.json(body);
  };

  return { requestLink, checkLink, submitStudentId, listMine, resubmit };
}
