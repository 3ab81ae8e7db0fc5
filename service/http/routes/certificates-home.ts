import express, { type Router } from 'express';
import type { OrderListResponse, OrderView } from '../../contract/certificates.js';
import { cancelReservationOrder, listOrders } from '../../domain/certificates/order-list.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { orderListResponse, orderView } from '../presenters/orders.js';
import { accountOf } from '../middleware/auth.js';

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Home lists (contract/certificates.ts): GET /orders → OrderListResponse (current and history,
 * newest first); POST /orders/:id/cancel → OrderView (取消 of a コンビニ reservation still `reserved`).
 */
export function orderListRoutes(deps: AppDeps): Router {
  const router = express.Router();

  router.get('/orders', async (_req, res) => {
    const body: OrderListResponse = orderListResponse(await listOrders(deps.certificates.store, accountOf(res).id, deps.clock.now()));
    res.json(body);
  });

  router.post('/orders/:id/cancel', async (req, res) => {
    const id = String(req.params.id ?? '');
    if (!ORDER_ID.test(id)) throw new DomainError('notFound', {}, `bad order id ${id}`);
    const body: OrderView = orderView(
      await cancelReservationOrder({ store: deps.certificates.store, audit: deps.audit }, accountOf(res), id, deps.clock.now()),
    );
    res.json(body);
  });

  return router;
}
