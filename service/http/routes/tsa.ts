import express, { type Router } from 'express';
import type { TimestampResponder } from '../../domain/certificates/timestamps.js';
import { DomainError } from '../../domain/errors.js';
import type { RateLimitRule } from '../../domain/rate-limits.js';

/** Requests one client may send the demo authority: each answer is a signature, work for anyone who asks. */
export const DEMO_TSA_RATE_LIMIT: RateLimitRule = { limit: 60, windowSeconds: 60 };

/**
 * /tsa (demo mode only): the built-in time-stamping authority over HTTP (RFC 3161 §3.4), so that
 * an outside verifier, or our own HTTP client in tests, can reach it. POST a DER TimeStampReq as
 * application/timestamp-query, get a TimeStampResp; GET /tsa/certificate gives its certificate.
 * `limit` counts a POST of the client (`tsa.rateLimited`, 429 with Retry-After).
 */
export function tsaRoutes(tsa: TimestampResponder, limit: (client: string) => Promise<void>): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.post('/', express.raw({ type: () => true, limit: '8kb' }), (req, res, next) => {
    const body: unknown = req.body;
    limit(req.ip ?? req.socket.remoteAddress ?? 'unknown')
      .then(async () => {
        if (!req.is('application/timestamp-query')) {
          res.status(415).type('text/plain').send('Send a TimeStampReq as application/timestamp-query.');
          return;
        }
        const reply = await tsa.respond(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
        res.type('application/timestamp-reply').send(Buffer.from(reply));
      })
      .catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'tsa.rateLimited') res.set('Retry-After', String(err.params.seconds));
        next(err);
      });
  });
  router.get('/certificate', (_req, res, next) => {
    tsa
      .certificatePem()
      .then((pem) => res.type('application/x-pem-file').attachment('tsa-certificate.pem').send(pem))
      .catch(next);
  });
  return router;
}
