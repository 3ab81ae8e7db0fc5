/**
 * Reservation rules over the store's plain queries: which reservation a 予約番号 names, whether a
 * number is taken, which reservations expire or are due for their reminder at `now`. The store
 * only filters on stored fields; when a reservation counts as expired is decided here.
 */
import type { Reservation } from './model.js';
import { expireReservation, isReservationActive, reservationStatusAt } from './state-machines.js';
import type { CertificateStore } from './store.js';
import { transitionReservation } from './transitions.js';

type Reservations = CertificateStore['reservations'];

/** The reservation with this number that is active at `now`, else the latest one given it; null when none was. */
export async function findReservationByNumber(reservations: Reservations, number: string, now: string): Promise<Reservation | null> {
  const all = await reservations.listByNumber(number.trim());
  const active = all.find((r) => isReservationActive(r, now));
  if (active) return active;
  // Ties go to the later insertion (the list is in insertion order).
  let latest: Reservation | null = null;
  for (const r of all) if (!latest || r.createdAt >= latest.createdAt) latest = r;
  return latest;
}

/** True while a reservation holds `number` at `now` (new orders pick another). */
export async function isReservationNumberActive(reservations: Reservations, number: string, now: string): Promise<boolean> {
  return (await reservations.listByNumber(number.trim())).some((r) => isReservationActive(r, now));
}

/** Reservations still `reserved` at `now`, no reminder sent yet, expiring within `withinHours` (oldest expiry first). */
export async function dueForReminder(reservations: Reservations, now: string, withinHours: number): Promise<Reservation[]> {
  const expiresBy = new Date(Date.parse(now) + withinHours * 3600_000).toISOString();
  const candidates = await reservations.unremindedExpiring({ expiresAfter: now, expiresBy });
  return candidates.filter((r) => reservationStatusAt(r, now) === 'reserved');
}

/** Marks every reservation past its expiry at `now` `expired`; returns the ones this call expired. */
export async function expireReservations(reservations: Reservations, now: string): Promise<Reservation[]> {
  const expired: Reservation[] = [];
  for (const candidate of await reservations.openExpiredBy(now)) {
    const after = await transitionReservation({ reservations }, candidate.id, (current) => expireReservation(current, now));
    if (after) expired.push(after);
  }
  return expired;
}
