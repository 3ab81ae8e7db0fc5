import express, { type Router } from 'express';
import type { TimestampResponder } from '../../domain/certificates/timestamps.js';

/**
 * /tsa (demo mode only): the built-in time-stamping authority over HTTP (RFC 3161 §3.4), so that
 * an outside verifier, or our own HTTP client in tests, can reach it. POST a DER TimeStampReq as
 * application/timestamp-query, get a TimeStampResp; GET /tsa/certificate gives its certificate.
 */
export function tsaRoutes(tsa: TimestampResponder): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.post('/', express.raw({ type: () => true, limit: '8kb' }), (req, res, next) => {
    if (!req.is('application/timestamp-query')) {
      res.status(415).type('text/plain').send('Send a TimeStampReq as application/timestamp-query.');
      return;
    }
    const body: unknown = req.body;
    tsa
      .respond(Buffer.isBuffer(body) ? body : Buffer.alloc(0))
      .then((reply) => res.type('application/timestamp-reply').send(Buffer.from(reply)))
      .catch(next);
  });
  router.get('/certificate', (_req, res, next) => {
    tsa
      .certificatePem()
      .then((pem) => res.type('application/x-pem-file').attachment('tsa-certificate.pem').send(pem))
      .catch(next);
  });
  return router;
}
