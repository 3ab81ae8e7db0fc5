import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { CertificateOptionsResponse, OrderView, PlaceOrderRequest } from '../../contract/certificates.js';
import { DESTINATIONS, type Destination, type PostalAddress } from '../../domain/certificates/model.js';
import { certificateOptions } from '../../domain/certificates/options.js';
import { orderPlacedMail } from '../../domain/certificates/order-mails.js';
import { detailsOfOrder } from '../../domain/certificates/order-details.js';
import { postalAddressSchema } from '../../shared/postal-address.js';
import { DomainError } from '../../domain/errors.js';
import type { Account, MailMessage } from '../../domain/model.js';
import type { AppDeps } from '../deps.js';
import { accountOf } from '../middleware/auth.js';
import { optionsResponse, orderView } from '../presenters/orders.js';
import { bodyOf } from '../validate.js';

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** POST /orders body. Messages are field codes; `copies` beyond the limits is the domain's to judge. */
export const placeOrderSchema = z.object({
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
});

const isCode = (message: string) => /^[A-Za-z][A-Za-z0-9.]*$/.test(message);

/** Issues → `fields` keyed by the full path (`postalAddress.postalCode`, `items.0.copies`). */
function fieldsOf(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map(String)].join('.') || '_';
    fields[path] ??= isCode(issue.message) ? issue.message : issue.code === 'invalid_type' ? 'required' : 'invalid';
  }
  return fields;
}

/** Validates the order body, the postal address only for 郵送 (ignored otherwise). */
const validateOrder: RequestHandler = (req, res, next) => {
  const parsed = placeOrderSchema.safeParse(req.body ?? {});
  const fields = parsed.success ? {} : fieldsOf(parsed.error.issues);
  let postalAddress: PostalAddress | undefined;
  if (parsed.success && parsed.data.destination === 'mail') {
    if (parsed.data.postalAddress === undefined || parsed.data.postalAddress === null) fields.postalAddress = 'required';
    else {
      const address = postalAddressSchema.safeParse(parsed.data.postalAddress);
      if (address.success) postalAddress = address.data;
      else Object.assign(fields, fieldsOf(address.error.issues, ['postalAddress']));
    }
  }
  if (!parsed.success || Object.keys(fields).length > 0) {
    return next(new DomainError('validation.failed', {}, JSON.stringify(fields), fields));
  }
  const { studentId, destination, items } = parsed.data;
  const body: PlaceOrderRequest = { studentId, destination, items, ...(postalAddress ? { postalAddress } : {}) };
  res.locals.body = body;
  next();
};

/**
 * The student's 証明書を発行 (contract/certificates.ts): GET /options, POST /orders (→ 201
 * OrderView, then a mail to the student), GET /orders/:id (the account's own orders only).
 */
export function orderFlowRoutes(deps: AppDeps): Router {
  const router = express.Router();
  const store = () => deps.certificates.store;

  router.get('/options', async (_req, res) => {
    const options = await certificateOptions({
      account: accountOf(res),
      types: await store().types.list(),
      getStudent: (id) => deps.registry.getStudent(id),
      now: deps.clock.now(),
      reservationValidDays: deps.config.reservationValidDays,
    });
    const body: CertificateOptionsResponse = optionsResponse(options);
    res.json(body);
  });

  router.post('/orders', validateOrder, async (_req, res) => {
    const input = bodyOf(res, z.custom<PlaceOrderRequest>());
    const account = accountOf(res);
    const now = deps.clock.now();
    const { mail: to, language } = await deps.accounts.get(account.id);
    // The confirmation goes to the outbox in the order's own transaction: it exists if and only if
    // the order does, and the answer never waits for the mail server.
    const placed = await deps.certificates.orders.placeOrder({ account, ...input }, now, async (tx, order) => {
      if (to) await deps.mailer.within(tx).send(orderMail(deps, to, language, orderView(await detailsOfOrder(tx.certificates, order, now))));
    });
    if (to) deps.mailer.wake();
    const view = orderView(await detailsOfOrder(store(), placed.order, now));
    res.status(201).json(view);
  });

  router.get('/orders/:id', async (req, res) => {
    const id = String(req.params.id ?? '');
    const order = ORDER_ID.test(id) ? await store().orders.get(id) : null;
    // Another account's order is "not found", never "forbidden": its existence is not theirs to know.
    if (!order || order.accountId !== accountOf(res).id) throw new DomainError('notFound', {}, `order ${id}`);
    const body: OrderView = orderView(await detailsOfOrder(store(), order, deps.clock.now()));
    res.json(body);
  });

  return router;
}

function orderMail(deps: AppDeps, to: string, language: Account['language'], view: OrderView): MailMessage {
  return orderPlacedMail({
    to,
    language,
    destination: view.destination,
    lines: view.lines.map((l) => ({ typeName: l.typeName, language: l.language, copies: l.copies })),
    totalFee: view.totalFee,
    reservation: view.reservation ? { number: view.reservation.number, expiresAt: new Date(view.reservation.expiresAt) } : null,
    address: view.mail?.address ?? null,
    url: `${deps.config.publicUrl.replace(/\/+$/, '')}/home`,
  });
}
