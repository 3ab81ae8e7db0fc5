/**
 * The state machines of certificate printing and mail orders: which status may follow which, and
 * the pure transition functions applied atomically by transitions.ts (each returns the new
 * record, or `null` / a refusal when the record had moved on).
 */
import type {
  CampusJob,
  CampusJobStatus,
  IssuedCertificate,
  MailOrder,
  MailOrderStatus,
  PrintAttempt,
  PrintClaim,
  Reservation,
  ReservationStatus,
} from './model.js';

export const RESERVATION_TRANSITIONS: Readonly<Record<ReservationStatus, readonly ReservationStatus[]>> = {
  reserved: ['printing', 'expired', 'cancelled'],
  printing: ['printed', 'reserved'],
  printed: [],
  expired: [],
  cancelled: [],
};

export const CAMPUS_JOB_TRANSITIONS: Readonly<Record<CampusJobStatus, readonly CampusJobStatus[]>> = {
  waiting: ['printing', 'cancelled'],
  printing: ['printed', 'waiting'],
  printed: [],
  cancelled: [],
};

export const MAIL_ORDER_TRANSITIONS: Readonly<Record<MailOrderStatus, readonly MailOrderStatus[]>> = {
  awaitingShipment: ['shipped', 'cancelled'],
  shipped: [],
  cancelled: [],
};

export const canTransition = <S extends string>(machine: Readonly<Record<S, readonly S[]>>, from: S, to: S): boolean => machine[from].includes(to);

/** Why a print cannot start now. `busy`: another printer holds an unexpired claim. */
export type PrintRefusal = 'printed' | 'expired' | 'cancelled' | 'busy';

/** Status as seen at `now`: a `reserved` reservation past `expiresAt` is `expired`. */
export function reservationStatusAt(r: Reservation, now: string): ReservationStatus {
  if (r.status === 'reserved' && now >= r.expiresAt) return 'expired';
  if (r.status === 'printing' && r.claim && now >= r.claim.leaseUntil) return now >= r.expiresAt ? 'expired' : 'reserved';
  return r.status;
}

/** True while the number is taken: reserved or printing and not expired (for number uniqueness). */
export const isReservationActive = (r: Reservation, now: string): boolean => {
  const status = reservationStatusAt(r, now);
  return status === 'reserved' || status === 'printing';
};

/** Whether a print could start at `now`, and if not, why. */
export function reservationPrintability(r: Reservation, now: string): { ok: true } | { ok: false; reason: PrintRefusal } {
  const status = reservationStatusAt(r, now);
  if (status === 'reserved') return { ok: true };
  if (status === 'printing') return { ok: false, reason: 'busy' };
  return { ok: false, reason: status };
}

type Printable = { status: string; claim: PrintClaim | null; attempts: PrintAttempt[]; printedAt: string | null; updatedAt: string };

function abandonStale<T extends Printable>(record: T, now: string): T {
  if (record.status !== 'printing' || !record.claim) return record;
  const claimId = record.claim.claimId;
  return {
    ...record,
    claim: null,
    attempts: record.attempts.map((a) => (a.claimId === claimId && a.outcome === 'printing' ? { ...a, outcome: 'abandoned', endedAt: now } : a)),
  };
}

function claimed<T extends Printable>(record: T, claim: PrintClaim, printing: T['status']): T {
  return {
    ...record,
    status: printing,
    claim,
    attempts: [...record.attempts, { claimId: claim.claimId, by: claim.by, startedAt: claim.at, endedAt: null, outcome: 'printing', detail: null }],
    updatedAt: claim.at,
  };
}

function ended<T extends Printable>(record: T, claimId: string, at: string, outcome: 'printed' | 'failed', detail: string | null, status: T['status']): T {
  return {
    ...record,
    status,
    claim: null,
    printedAt: outcome === 'printed' ? at : record.printedAt,
    attempts: record.attempts.map((a) => (a.claimId === claimId ? { ...a, outcome, endedAt: at, detail } : a)),
    updatedAt: at,
  };
}

/**
 * reserved → printing, only if printable at `claim.at` (also takes over a claim whose lease ran
 * out). Returns the new record or the refusal; apply with `transitionReservation` (transitions.ts).
 */
export function claimReservation(r: Reservation, claim: PrintClaim): Reservation | { refused: PrintRefusal } {
  const check = reservationPrintability(r, claim.at);
  if (!check.ok) return { refused: check.reason };
  return claimed(abandonStale(r, claim.at), claim, 'printing');
}

/**
 * Whether `claimId` holds the record at `now`: it is printing under that claim and the lease has
 * not run out. Only then may the printer be handed the documents.
 */
export function holdsClaim(record: Printable, claimId: string, now: string): boolean {
  return record.status === 'printing' && record.claim?.claimId === claimId && now < record.claim.leaseUntil;
}

/** Whether the record was printed under `claimId` (a confirmation repeated after its answer was lost). */
export function printedUnder(record: Printable, claimId: string): boolean {
  return record.status === 'printed' && record.attempts.some((a) => a.claimId === claimId && a.outcome === 'printed');
}

/**
 * printing → printed, only for the claim that is printing; null when that claim is not current.
 * A claim whose lease ran out may still confirm as long as no other claim took the record over.
 */
export function completeReservationPrint(r: Reservation, claimId: string, at: string): Reservation | null {
  if (r.status !== 'printing' || r.claim?.claimId !== claimId) return null;
  return ended(r, claimId, at, 'printed', null, 'printed');
}

/** printing → reserved (printable again), only for the current claim; null otherwise. */
export function failReservationPrint(r: Reservation, claimId: string, at: string, detail: string): Reservation | null {
  if (r.status !== 'printing' || r.claim?.claimId !== claimId) return null;
  return ended(r, claimId, at, 'failed', detail, 'reserved');
}

/** reserved → expired once `expiresAt` has passed (for the sweeper); null when not applicable. */
export function expireReservation(r: Reservation, now: string): Reservation | null {
  if (reservationStatusAt(r, now) !== 'expired' || r.status === 'expired') return null;
  return { ...abandonStale(r, now), status: 'expired', updatedAt: now };
}

/** reserved → cancelled; null unless it is reserved (and unexpired) at `now`. */
export function cancelReservation(r: Reservation, now: string): Reservation | null {
  if (reservationStatusAt(r, now) !== 'reserved') return null;
  return { ...abandonStale(r, now), status: 'cancelled', updatedAt: now };
}

export function campusJobStatusAt(job: CampusJob, now: string): CampusJobStatus {
  if (job.status === 'printing' && job.claim && now >= job.claim.leaseUntil) return 'waiting';
  return job.status;
}

/** waiting → printing at a kiosk (after sign-in); same rules as `claimReservation`. */
export function claimCampusJob(job: CampusJob, claim: PrintClaim): CampusJob | { refused: PrintRefusal } {
  const status = campusJobStatusAt(job, claim.at);
  if (status === 'printing') return { refused: 'busy' };
  if (status !== 'waiting') return { refused: status };
  return claimed(abandonStale(job, claim.at), claim, 'printing');
}

export function completeCampusJob(job: CampusJob, claimId: string, at: string): CampusJob | null {
  if (job.status !== 'printing' || job.claim?.claimId !== claimId) return null;
  return ended(job, claimId, at, 'printed', null, 'printed');
}

export function failCampusJob(job: CampusJob, claimId: string, at: string, detail: string): CampusJob | null {
  if (job.status !== 'printing' || job.claim?.claimId !== claimId) return null;
  return ended(job, claimId, at, 'failed', detail, 'waiting');
}

/** awaitingShipment → shipped with a tracking number; null when already shipped or cancelled. */
export function shipMailOrder(m: MailOrder, change: { trackingNumber: string; by: string; at: string }): MailOrder | null {
  if (m.status !== 'awaitingShipment') return null;
  return { ...m, status: 'shipped', trackingNumber: change.trackingNumber, shippedBy: change.by, shippedAt: change.at, updatedAt: change.at };
}

/** valid → revoked with a reason; null when already revoked. */
export function revokeCertificate(c: IssuedCertificate, change: { reason: string; by: string; at: string }): IssuedCertificate | null {
  if (c.status !== 'valid') return null;
  return { ...c, status: 'revoked', revokedAt: change.at, revokedBy: change.by, revocationReason: change.reason };
}
