import express, { type Router } from 'express';
import { z } from 'zod';
import { VC_JWT_MEDIA_TYPE } from '../../domain/credentials/credential.js';
import { MAX_STATUS_LISTS } from '../../domain/credentials/service.js';
import type { AppDeps } from '../deps.js';
import { accountOf } from '../middleware/auth.js';
import { certificateNumberParam, validate, validated } from '../validate.js';

const input = {
  download: { params: z.object({ number: certificateNumberParam }) },
  statusList: { params: z.object({ list: z.coerce.number().int('notFound').min(1, 'notFound').max(MAX_STATUS_LISTS, 'notFound') }) },
};

/**
 * GET /api/certificates/credentials/:number — the signed-in holder's certificate as a verifiable
 * credential (application/vc+jwt, a download; audited). Mounted behind the student API's account check.
 */
export function credentialDownloadRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.get('/credentials/:number', validate(input.download), async (_req, res) => {
    const { number } = validated(res, input.download).params;
    const { number: canonical, credential } = await deps.certificates.credentials.download(accountOf(res), number);
    res.set('Content-Type', VC_JWT_MEDIA_TYPE);
    res.set('Content-Disposition', `attachment; filename="${canonical}.jwt"`);
    res.send(credential);
  });
  return router;
}

/**
 * /credentials (public, outside /api: stable URLs named inside every credential, see
 * docs/verifiable-credentials.md): GET /status/:list — status list credential (application/vc+jwt,
 * cached a minute); GET /issuer — the issuer's id, name and key set URL (JSON).
 */
export function publicCredentialRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.get('/status/:list', validate(input.statusList), async (_req, res) => {
    const { list } = validated(res, input.statusList).params;
    const body = await deps.certificates.credentials.statusList(list);
    // A revocation shows to verifiers within a minute; a verifier in a browser on another site may read it.
    res.set('Cache-Control', 'public, max-age=60');
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Content-Type', VC_JWT_MEDIA_TYPE);
    res.send(body);
  });
  router.get('/issuer', async (_req, res) => {
    const issuer = await deps.certificates.credentials.issuer();
    res.set('Cache-Control', 'public, max-age=3600');
    res.set('Access-Control-Allow-Origin', '*');
    res.json({ id: issuer.id, name: issuer.name, jwksUri: issuer.keys });
  });
  return router;
}
