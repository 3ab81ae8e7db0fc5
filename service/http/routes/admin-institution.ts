import express, { type Request, type Response, type Router } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { InstitutionImageKind } from '../../domain/institution/model.js';
import { institutionProfileSchema } from '../../domain/institution/profile-schema.js';
import { MAX_IMAGE_BYTES } from '../../domain/institution/service.js';
import type { AppDeps } from '../deps.js';
import { requireStaffRole, staffOf } from '../middleware/staff-session.js';
import { adminInstitution, setupStatusReply } from '../presenters/institution.js';

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
  const { institution, certificates } = deps;
  const administrator = requireStaffRole('administrator');
  const router = express.Router();
  const actor = (res: Response) => {
    const staff = staffOf(res);
    return { id: staff.id, name: staff.name, role: staff.role };
  };
  const reply = async (res: Response) => {
    const [profile, seal, logo, setup] = await Promise.all([
      institution.profile(),
      institution.imageMeta('seal'),
      institution.imageMeta('logo'),
      certificates.setup(),
    ]);
    res.json(adminInstitution(profile, seal, logo, setup));
  };
  const kindOf = (req: Request): InstitutionImageKind => {
    const kind = req.params.kind;
    if (kind !== 'seal' && kind !== 'logo') throw new DomainError('notFound');
    return kind;
  };
  // Uploads come as the file's own bytes; anything larger than the limit is refused unread.
  const rawImage = express.raw({ type: () => true, limit: MAX_IMAGE_BYTES + 1 });

  router.get('/institution', async (_req, res) => reply(res));
  router.put('/institution', administrator, async (req, res) => {
    const parsed = institutionProfileSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || '_'] ??= issue.code === 'invalid_type' ? 'required' : issue.message;
      throw new DomainError('validation.failed', {}, JSON.stringify(fields), fields);
    }
    await institution.updateProfile(parsed.data, actor(res));
    await reply(res);
  });
  router.get('/institution/seal', async (_req, res) => {
    const seal = await institution.image('seal');
    if (!seal) throw new DomainError('notFound');
    res.set('Cache-Control', 'private, no-store').type('image/png').send(Buffer.from(seal.png));
  });
  router.put('/institution/:kind', administrator, (req, res, next) => {
    rawImage(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
        return next(new DomainError('institution.imageTooLarge', { megabytes: MAX_IMAGE_BYTES / 1024 / 1024 }));
      }
      next(err);
    });
  }, async (req, res) => {
    const body: unknown = req.body;
    const bytes = Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array(0);
    await institution.uploadImage(kindOf(req), bytes, actor(res));
    await reply(res);
  });
  router.delete('/institution/:kind', administrator, async (req, res) => {
    await institution.removeImage(kindOf(req), actor(res));
    await reply(res);
  });
  router.get('/setup', async (_req, res) => {
    res.json(setupStatusReply(await certificates.setup()));
  });
  return router;
}
