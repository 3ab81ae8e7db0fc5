/**
 * The details of orders as the student follows them: one status for the whole order, its
 * certificates, and its fulfilment (reservation / campus job / mail order); presented as
 * `OrderView` by the HTTP side. Pure reads, batched: a list of orders costs one read per kind of
 * record, not one per certificate.
 */
import { type CampusJob, type CertificateType, type IssuedCertificate, type MailOrder, type Order, type PdfDelivery, type Reservation } from './model.js';
import { campusJobStatusAt, reservationStatusAt } from './state-machines.js';
import { pdfDeliveryOpen } from './pdf-delivery-rules.js';
import { type CertificateStore } from './store.js';

/**
 * One status for the whole order: reserved / printing / printed / expired / cancelled (コンビニ),
 * awaitingCampusPrint / printing / printed (学内印刷), awaitingShipment / shipped / cancelled (郵送),
 * sent / expired (PDF送付: the link works, or no longer — past its expiry or its downloads).
 */
export type OrderStatus = 'reserved' | 'printing' | 'printed' | 'expired' | 'cancelled' | 'awaitingCampusPrint' | 'awaitingShipment' | 'shipped' | 'sent';

/** One certificate of an order with its type (null when the type was deleted since). */
export interface OrderLine {
  certificate: IssuedCertificate;
  type: CertificateType | null;
}

export interface OrderDetails {
  order: Order;
  status: OrderStatus;
  /** True while it belongs in 現在の申請一覧 (reserved/printing reservations, waiting campus jobs, mail awaiting shipment). */
  current: boolean;
  lines: OrderLine[];
  /** The fulfilment of the order's destination; null for the others (or when it is missing). */
  reservation: Reservation | null;
  campusJob: CampusJob | null;
  mailOrder: MailOrder | null;
  pdfDelivery: PdfDelivery | null;
}

const CURRENT: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['reserved', 'printing', 'awaitingCampusPrint', 'awaitingShipment']);

const byId = <R extends { id: string }>(records: R[]): Map<string, R> => new Map(records.map((r) => [r.id, r]));

interface Related {
  certificates: Map<string, IssuedCertificate>;
  types: Map<string, CertificateType>;
  reservations: Map<string, Reservation>;
  campusJobs: Map<string, CampusJob>;
  mailOrders: Map<string, MailOrder>;
  pdfDeliveries: Map<string, PdfDelivery>;
}

/** The details of `orders` at `now` (the reservation expiry depends on it), in the same order. */
export async function detailsOfOrders(store: CertificateStore, orders: Order[], now: Date): Promise<OrderDetails[]> {
  if (orders.length === 0) return [];
  const fulfilments = (destination: Order['destination']) => orders.filter((o) => o.destination === destination).map((o) => o.fulfilmentId);
  // One after the other: `store` may be a transaction's, whose one database connection takes one
  // query at a time (queries sent side by side on it are queued by the driver, and refused by its
  // next major version).
  const certificates = await store.certificates.getMany(orders.flatMap((o) => o.certificateIds));
  const types = await store.types.list();
  const reservations = await store.reservations.getMany(fulfilments('convenience'));
  const campusJobs = await store.campusJobs.getMany(fulfilments('campus'));
  const mailOrders = await store.mailOrders.getMany(fulfilments('mail'));
  const pdfOrders = fulfilments('pdf');
  const pdfDeliveries = pdfOrders.length > 0 ? await store.pdfDeliveries.getMany(pdfOrders) : [];
  const related: Related = {
    certificates: byId(certificates),
    types: new Map(types.map((t) => [t.code, t])),
    reservations: byId(reservations),
    campusJobs: byId(campusJobs),
    mailOrders: byId(mailOrders),
    pdfDeliveries: byId(pdfDeliveries),
  };
  const nowIso = now.toISOString();
  return orders.map((order) => detailsOf(order, related, nowIso));
}

/** The details of an order record at `now`. */
export async function detailsOfOrder(store: CertificateStore, order: Order, now: Date): Promise<OrderDetails> {
  const [details] = await detailsOfOrders(store, [order], now);
  return details!;
}

function detailsOf(order: Order, related: Related, nowIso: string): OrderDetails {
  const lines: OrderLine[] = [];
  for (const id of order.certificateIds) {
    const certificate = related.certificates.get(id);
    if (certificate) lines.push({ certificate, type: related.types.get(certificate.typeCode) ?? null });
  }

  let status: OrderStatus = 'cancelled';
  let reservation: Reservation | null = null;
  let campusJob: CampusJob | null = null;
  let mailOrder: MailOrder | null = null;
  let pdfDelivery: PdfDelivery | null = null;
  if (order.destination === 'convenience') {
    reservation = related.reservations.get(order.fulfilmentId) ?? null;
    if (reservation) status = reservationStatusAt(reservation, nowIso);
  } else if (order.destination === 'campus') {
    campusJob = related.campusJobs.get(order.fulfilmentId) ?? null;
    if (campusJob) {
      const s = campusJobStatusAt(campusJob, nowIso);
      status = s === 'waiting' ? 'awaitingCampusPrint' : s;
    }
  } else if (order.destination === 'pdf') {
    pdfDelivery = related.pdfDeliveries.get(order.fulfilmentId) ?? null;
    if (pdfDelivery) status = pdfDeliveryOpen(pdfDelivery, nowIso) ? 'sent' : 'expired';
  } else {
    mailOrder = related.mailOrders.get(order.fulfilmentId) ?? null;
    if (mailOrder) status = mailOrder.status;
  }
  return { order, status, current: CURRENT.has(status), lines, reservation, campusJob, mailOrder, pdfDelivery };
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

/** The details of order `orderId` at `now`, or null when there is no such order. */
export async function orderDetails(store: CertificateStore, orderId: string, now: Date): Promise<OrderDetails | null> {
  const order = await store.orders.get(orderId);
  return order ? detailsOfOrder(store, order, now) : null;
}
