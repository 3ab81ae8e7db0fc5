import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { DeliveryStatusResponse } from '../../contract/deliveries.js';
import type { AppDeps } from '../deps.js';
import { deliveryStatusResponse } from '../presenters/deliveries.js';
import { validate, validated } from '../validate.js';

/** A link's token is opaque: anything malformed is an unknown link, not a field error. */
const token = z.string({ error: 'delivery.notFound' }).max(128, 'delivery.notFound');

const input = {
  status: { body: z.object({ token }) },
  download: { body: z.object({ token, certificateNumber: z.string({ error: 'required' }).trim().min(1, 'required').max(40, 'delivery.notFound') }) },
};

const clientOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * /api/deliveries (public; contract/deliveries.ts): PDF送付's download page. POST /status shows the
 * certificates (no download counted); POST /download answers the signed PDF as an attachment and
 * counts it. The token travels in the body, never in a URL.
 */
export function deliveryRoutes(deps: AppDeps): Router {
  const status: RequestHandler = async (req, res) => {
    const { body } = validated(res, input.status);
    const answer: DeliveryStatusResponse = deliveryStatusResponse(await deps.certificates.deliveries.status(body.token, clientOf(req)));
    res.json(answer);
  };
  const download: RequestHandler = async (req, res) => {
    const { body } = validated(res, input.download);
    const { number, pdf } = await deps.certificates.deliveries.download(body.token, body.certificateNumber, clientOf(req));
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${number}.pdf"`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(Buffer.from(pdf));
  };
  const router = express.Router();
  router.post('/status', validate(input.status), status);
  router.post('/download', validate(input.download), download);
  return router;
}
