/**
 * OrderView (contract/certificates.ts) of one order: what the student sees — one status for the
 * whole order, its lines, and its fulfilment (reservation / campus job / mail order). Pure reads.
 */
import type { OrderLineView, OrderStatus, OrderView } from '../../contract/certificates.js';
import { type Order } from './model.js';
import { campusJobStatusAt, reservationStatusAt } from './state-machines.js';
import { type CertificateStore } from './store.js';

const CURRENT: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['reserved', 'printing', 'awaitingCampusPrint', 'awaitingShipment']);

/** The OrderView of an order record at `now` (the reservation expiry depends on it). */
export async function viewOfOrder(store: CertificateStore, order: Order, now: Date): Promise<OrderView> {
  const nowIso = now.toISOString();
  const lines: OrderLineView[] = [];
  for (const id of order.certificateIds) {
    const c = await store.certificates.get(id);
    if (!c) continue;
    const type = await store.types.get(c.typeCode);
    lines.push({
      certificateNumber: c.number,
      typeCode: c.typeCode,
      typeName: type?.name ?? { ja: c.typeCode, en: c.typeCode },
      language: c.language,
      copies: c.copies,
      validUntil: c.validUntil,
      certificateStatus: c.status,
    });
  }

  let status: OrderStatus = 'cancelled';
  let reservation: OrderView['reservation'] = null;
  let campusJob: OrderView['campusJob'] = null;
  let mail: OrderView['mail'] = null;
  if (order.destination === 'convenience') {
    const r = await store.reservations.get(order.fulfilmentId);
    if (r) {
      status = reservationStatusAt(r, nowIso);
      reservation = { number: r.number, expiresAt: r.expiresAt, printedAt: r.printedAt };
    }
  } else if (order.destination === 'campus') {
    const job = await store.campusJobs.get(order.fulfilmentId);
    if (job) {
      const s = campusJobStatusAt(job, nowIso);
      status = s === 'waiting' ? 'awaitingCampusPrint' : s;
      campusJob = { id: job.id, printedAt: job.printedAt };
    }
  } else {
    const m = await store.mailOrders.get(order.fulfilmentId);
    if (m) {
      status = m.status;
      mail = { address: m.address, trackingNumber: m.trackingNumber, shippedAt: m.shippedAt };
    }
  }

  return {
    id: order.id,
    createdAt: order.createdAt,
    destination: order.destination,
    studentId: order.studentId,
    status,
    current: CURRENT.has(status),
    lines,
    totalFee: order.totalFee,
    reservation,
    campusJob,
    mail,
  };
}

/** The OrderView of order `orderId` at `now`, or null when there is no such order. */
export async function orderView(store: CertificateStore, orderId: string, now: Date): Promise<OrderView | null> {
  const order = await store.orders.get(orderId);
  return order ? viewOfOrder(store, order, now) : null;
}
