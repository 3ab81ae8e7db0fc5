import express, { type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { institutionProfileSchema } from '../../domain/institution/profile-schema.js';
import { MAX_IMAGE_BYTES } from '../../domain/institution/service.js';
import type { AppDeps } from '../deps.js';
import { staffOf } from '../middleware/staff-session.js';
import { adminInstitution, setupStatusReply } from '../presenters/institution.js';
import { validated } from '../validate.js';

const image = z.object({ kind: z.enum(['seal', 'logo'], { error: 'notFound' }) });

/** What each route of 大学情報 checks (routes/admin-institution.ts). */
export const adminInstitutionInput = {
  profile: { body: institutionProfileSchema },
  image: { params: image },
};
const input = adminInstitutionInput;

/** Uploads come as the file's own bytes; anything larger than the limit is refused unread. */
const rawImage = express.raw({ type: () => true, limit: MAX_IMAGE_BYTES + 1 });
export const imageBody: RequestHandler = (req, res, next) => {
  rawImage(req, res, (err?: unknown) => {
    if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
      return next(new DomainError('institution.imageTooLarge', { megabytes: MAX_IMAGE_BYTES / 1024 / 1024 }));
    }
    next(err);
  });
};

/** 大学情報 and the setup checklist. */
export function adminInstitutionHandlers(deps: AppDeps) {
  const { institution, certificates } = deps;
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

  const show: RequestHandler = async (_req, res) => reply(res);
  const updateProfile: RequestHandler = async (_req, res) => {
    await institution.updateProfile(validated(res, input.profile).body, actor(res));
    await reply(res);
  };
  const seal: RequestHandler = async (_req, res) => {
    const seal = await institution.image('seal');
    if (!seal) throw new DomainError('notFound');
    res.set('Cache-Control', 'private, no-store').type('image/png').send(Buffer.from(seal.png));
  };
  const uploadImage: RequestHandler = async (req, res) => {
    const body: unknown = req.body;
    const bytes = Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array(0);
    await institution.uploadImage(validated(res, input.image).params.kind, bytes, actor(res));
    await reply(res);
  };
  const removeImage: RequestHandler = async (_req, res) => {
    await institution.removeImage(validated(res, input.image).params.kind, actor(res));
    await reply(res);
  };
  const setup: RequestHandler = async (_req, res) => {
    res.json(setupStatusReply(await certificates.setup()));
  };
  return { show, updateProfile, seal, uploadImage, removeImage, setup };
}
