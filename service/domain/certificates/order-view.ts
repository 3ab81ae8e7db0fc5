/**
 * OrderView (contract/certificates.ts) of orders: what the student sees — one status for the
 * whole order, its lines, and its fulfilment (reservation / campus job / mail order). Pure reads,
 * batched: a list of orders costs one read per kind of record, not one per certificate.
 */
import type { OrderLineView, OrderStatus, OrderView } from '../../contract/certificates.js';
import { type CampusJob, type CertificateType, type IssuedCertificate, type MailOrder, type Order, type Reservation } from './model.js';
import { campusJobStatusAt, reservationStatusAt } from './state-machines.js';
import { type CertificateStore } from './store.js';

const CURRENT: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['reserved', 'printing', 'awaitingCampusPrint', 'awaitingShipment']);

const byId = <R extends { id: string }>(records: R[]): Map<string, R> => new Map(records.map((r) => [r.id, r]));

interface Related {
  certificates: Map<string, IssuedCertificate>;
  types: Map<string, CertificateType>;
  reservations: Map<string, Reservation>;
  campusJobs: Map<string, CampusJob>;
  mailOrders: Map<string, MailOrder>;
}

/** The OrderViews of `orders` at `now` (the reservation expiry depends on it), in the same order. */
export async function viewsOfOrders(store: CertificateStore, orders: Order[], now: Date): Promise<OrderView[]> {
  if (orders.length === 0) return [];
  const fulfilments = (destination: Order['destination']) => orders.filter((o) => o.destination === destination).map((o) => o.fulfilmentId);
  const [certificates, types, reservations, campusJobs, mailOrders] = await Promise.all([
    store.certificates.getMany(orders.flatMap((o) => o.certificateIds)),
    store.types.list(),
    store.reservations.getMany(fulfilments('convenience')),
    store.campusJobs.getMany(fulfilments('campus')),
    store.mailOrders.getMany(fulfilments('mail')),
  ]);
  const related: Related = {
    certificates: byId(certificates),
    types: new Map(types.map((t) => [t.code, t])),
    reservations: byId(reservations),
    campusJobs: byId(campusJobs),
    mailOrders: byId(mailOrders),
  };
  const nowIso = now.toISOString();
  return orders.map((order) => viewOf(order, related, nowIso));
}

/** The OrderView of an order record at `now`. */
export async function viewOfOrder(store: CertificateStore, order: Order, now: Date): Promise<OrderView> {
  const [view] = await viewsOfOrders(store, [order], now);
  return view!;
}

function viewOf(order: Order, related: Related, nowIso: string): OrderView {
  const lines: OrderLineView[] = [];
  for (const id of order.certificateIds) {
    const c = related.certificates.get(id);
    if (!c) continue;
    const type = related.types.get(c.typeCode);
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
    const r = related.reservations.get(order.fulfilmentId);
    if (r) {
      status = reservationStatusAt(r, nowIso);
      reservation = { number: r.number, expiresAt: r.expiresAt, printedAt: r.printedAt };
    }
  } else if (order.destination === 'campus') {
    const job = related.campusJobs.get(order.fulfilmentId);
    if (job) {
      const s = campusJobStatusAt(job, nowIso);
      status = s === 'waiting' ? 'awaitingCampusPrint' : s;
      campusJob = { id: job.id, printedAt: job.printedAt };
    }
  } else {
    const m = related.mailOrders.get(order.fulfilmentId);
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

/** The order's certificates in the order's line order (one read); a missing one is an error. */
export async function certificatesOfOrder(store: Pick<CertificateStore, 'certificates'>, order: Order): Promise<IssuedCertificate[]> {
  const found = byId(await store.certificates.getMany(order.certificateIds));
  return order.certificateIds.map((id) => {
    const certificate = found.get(id);
    if (!certificate) throw new Error(`certificate ${id} of order ${order.id} is missing`);
    return certificate;
  });
}

/** The OrderView of order `orderId` at `now`, or null when there is no such order. */
export async function orderView(store: CertificateStore, orderId: string, now: Date): Promise<OrderView | null> {
  const order = await store.orders.get(orderId);
  return order ? viewOfOrder(store, order, now) : null;
}
