import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { OrderListResponse, OrderView } from '../../contract/certificates.js';
import { cancelReservationOrder, listOrders } from '../../domain/certificates/order-list.js';
import type { AppDeps } from '../deps.js';
import { orderListResponse, orderView } from '../presenters/orders.js';
import { accountOf } from '../middleware/auth.js';
import { idParam, validate, validated } from '../validate.js';

const input = { cancel: { params: z.object({ id: idParam() }) } };

/**
 * Home lists (contract/certificates.ts): GET /orders → OrderListResponse (current and history,
 * newest first); POST /orders/:id/cancel → OrderView (取消 of a コンビニ reservation still `reserved`).
 */
export function orderListRoutes(deps: AppDeps): Router {
  const list: RequestHandler = async (_req, res) => {
    const body: OrderListResponse = orderListResponse(await listOrders(deps.certificates.store, accountOf(res).id, deps.clock.now()));
    res.json(body);
  };
  const cancel: RequestHandler = async (_req, res) => {
    const { id } = validated(res, input.cancel).params;
    const body: OrderView = orderView(
      await cancelReservationOrder({ store: deps.certificates.store, audit: deps.audit }, accountOf(res), id, deps.clock.now()),
    );
    res.json(body);
  };

  const router = express.Router();
  router.get('/orders', list);
  router.post('/orders/:id/cancel', validate(input.cancel), cancel);
  return router;
}
