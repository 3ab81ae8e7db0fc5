/**
 * The home lists of certificate orders: 現在の申請一覧 / 申請一覧 of one account,
 * and 取消 of a convenience-store reservation that is still `reserved`.
 */
import type { AuditEntry, AuditLog } from '../audit.js';
import { DomainError, type ErrorCode } from '../errors.js';
import type { Account } from '../model.js';
import { type ReservationStatus } from './model.js';
import { cancelReservation, reservationStatusAt } from './state-machines.js';
import { type CertificateStore } from './store.js';
import { detailsOfOrders, orderDetails, type OrderDetails } from './order-details.js';
import { transitionReservation } from './transitions.js';

const newestFirst = ({ order: a }: OrderDetails, { order: b }: OrderDetails) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id);

/** The account's orders at `now`: `current` (still in progress) and `history` (all of them), newest first. */
export async function listOrders(store: CertificateStore, accountId: string, now: Date): Promise<{ current: OrderDetails[]; history: OrderDetails[] }> {
  const orders = await detailsOfOrders(store, await store.orders.listForAccount(accountId), now);
  orders.sort(newestFirst);
  return { current: orders.filter((o) => o.current), history: orders };
}

const NOT_CANCELLABLE: Partial<Record<ReservationStatus, ErrorCode>> = {
  printing: 'reservation.busy',
  printed: 'reservation.alreadyPrinted',
  expired: 'reservation.expired',
  cancelled: 'reservation.cancelled',
};

/**
 * 取消: the account's convenience-store order whose reservation is still `reserved` → cancelled
 * (audited). Someone else's or an unknown order → `notFound`; other destinations or states →
 * the reservation's refusal code.
 */
export async function cancelReservationOrder(
  deps: { store: CertificateStore; audit: Pick<AuditLog, 'append'> },
  account: Account,
  orderId: string,
  now: Date,
): Promise<OrderDetails> {
  const { store, audit } = deps;
  const order = await store.orders.get(orderId);
  if (!order || order.accountId !== account.id) throw new DomainError('notFound', {}, `order ${orderId} for ${account.id}`);
  if (order.destination !== 'convenience') throw new DomainError('validation.failed', {}, `order ${orderId} is ${order.destination}`);
  const at = now.toISOString();
  const before = await store.reservations.get(order.fulfilmentId);
  if (!before) throw new DomainError('notFound', {}, `reservation of ${orderId} missing`);
  const updated = await transitionReservation(store, before.id, (current) => cancelReservation(current, at));
  if (!updated) {
    const latest = (await store.reservations.get(before.id)) ?? before;
    throw new DomainError(NOT_CANCELLABLE[reservationStatusAt(latest, at)] ?? 'reservation.busy', {}, `cancel ${before.id}`);
  }
  const actor: AuditEntry['actor'] = {
    type: account.kind === 'graduate' ? 'graduate' : 'student',
    id: account.id,
    name: account.displayName ?? account.nameKanji ?? account.id,
  };
  await audit.append({
    at,
    actor,
    action: 'certificate.reservation.cancelled',
    target: { type: 'reservation', id: before.id },
    before: { status: before.status, number: before.number },
    after: { status: updated.status },
    note: null,
  });
  const details = await orderDetails(store, orderId, now);
  if (!details) throw new Error(`order ${orderId} vanished`);
  return details;
}
