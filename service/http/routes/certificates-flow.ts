import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { CertificateOptionsResponse, OrderView, PlaceOrderRequest } from '../../contract/certificates.js';
import { DESTINATIONS, type Destination } from '../../domain/certificates/model.js';
import { pdfRecipientSchema } from '../../shared/pdf-recipient.js';
import { postalAddressSchema } from '../../shared/postal-address.js';
import type { AppDeps } from '../deps.js';
import { accountOf } from '../middleware/auth.js';
import { optionsResponse, orderView } from '../presenters/orders.js';
import { idParam, validate, validated } from '../validate.js';

/** POST /orders body. Messages are field codes; `copies` beyond the limits is the domain's to judge. */
const placeOrderSchema = z.object({
  studentId: z.string({ error: 'required' }).trim().min(1, 'required').max(32, 'tooLong'),
  destination: z.enum(DESTINATIONS as [Destination, ...Destination[]], { error: 'destination.invalid' }),
  items: z
    .array(
      z.object({
        typeCode: z.string({ error: 'required' }).trim().min(1, 'required').max(32, 'order.typeUnknown'),
        language: z.enum(['ja', 'en'], { error: 'order.languageNotOffered' }),
        copies: z.number({ error: 'order.copiesInvalid' }).int('order.copiesInvalid').min(1, 'order.copiesInvalid').max(1000, 'order.copiesInvalid'),
      }),
      { error: 'order.empty' },
    )
    .max(50, 'order.copiesOverOrderLimit'),
  postalAddress: z.unknown().optional(),
  pdfRecipient: z.unknown().optional(),
});

/** The order as placed: the postal address checked only for 郵送, the recipient only for PDF送付 (each dropped otherwise), once the rest is valid. */
const orderBody = placeOrderSchema.transform((order, ctx): PlaceOrderRequest => {
  const { studentId, destination, items } = order;
  if (destination === 'pdf') {
    const recipient = pdfRecipientSchema.safeParse(order.pdfRecipient ?? {});
    if (!recipient.success) {
      for (const issue of recipient.error.issues) ctx.addIssue({ ...issue, path: ['pdfRecipient', ...issue.path] });
      return z.NEVER;
    }
    return { studentId, destination, items, pdfRecipient: recipient.data };
  }
  if (destination !== 'mail') return { studentId, destination, items };
  if (order.postalAddress === undefined || order.postalAddress === null) {
    ctx.addIssue({ code: 'custom', path: ['postalAddress'], message: 'required', input: order.postalAddress });
    return z.NEVER;
  }
  const address = postalAddressSchema.safeParse(order.postalAddress);
  if (!address.success) {
    for (const issue of address.error.issues) ctx.addIssue({ ...issue, path: ['postalAddress', ...issue.path] });
    return z.NEVER;
  }
  return { studentId, destination, items, postalAddress: address.data };
});

export const placeOrderInput = { body: orderBody };

const input = {
  placeOrder: placeOrderInput,
  order: { params: z.object({ id: idParam() }) },
};

/**
 * The student's 証明書を発行 (contract/certificates.ts): GET /options, POST /orders (→ 201
 * OrderView, then a mail to the student), GET /orders/:id (the account's own orders only).
 */
export function orderFlowRoutes(deps: AppDeps): Router {
  const certificates = () => deps.certificates;

  const options: RequestHandler = async (_req, res) => {
    const body: CertificateOptionsResponse = optionsResponse(await certificates().options(accountOf(res)));
    res.json(body);
  };
  const placeOrder: RequestHandler = async (_req, res) => {
    const { body } = validated(res, input.placeOrder);
    const view: OrderView = orderView(await certificates().placeOrder({ account: accountOf(res), ...body }));
    res.status(201).json(view);
  };
  const order: RequestHandler = async (_req, res) => {
    const { params } = validated(res, input.order);
    const body: OrderView = orderView(await certificates().orderOf(accountOf(res), params.id));
    res.json(body);
  };

  const router = express.Router();
  router.get('/options', options);
  router.post('/orders', validate(input.placeOrder), placeOrder);
  router.get('/orders/:id', validate(input.order), order);
  return router;
}
