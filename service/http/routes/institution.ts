import express, { type Router } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';

/** GET /api/institution/logo: the logo for every header (public; versioned URLs are cached for good). */
export function institutionRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.get('/logo', async (req, res) => {
    const logo = await deps.institution.image('logo');
    if (!logo) throw new DomainError('notFound');
    const versioned = typeof req.query.v === 'string' && logo.sha256.startsWith(req.query.v) && req.query.v.length >= 8;
    res.set('Cache-Control', versioned ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.type('image/png').send(Buffer.from(logo.png));
  });
  return router;
}
