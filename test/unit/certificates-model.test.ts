import { describe, expect, it } from 'vitest';
import { type CampusJob, type IssuedCertificate, type MailOrder, type PrintClaim, type Reservation } from '../../service/domain/certificates/model.js';
import {
  CAMPUS_JOB_TRANSITIONS,
  canTransition,
  cancelReservation,
  claimCampusJob,
  claimReservation,
  completeCampusJob,
  completeReservationPrint,
  expireReservation,
  failCampusJob,
  failReservationPrint,
  holdsClaim,
  isReservationActive,
  MAIL_ORDER_TRANSITIONS,
  printedUnder,
  RESERVATION_TRANSITIONS,
  reservationPrintability,
  reservationStatusAt,
  revokeCertificate,
  shipMailOrder,
} from '../../service/domain/certificates/state-machines.js';

const T0 = '2026-11-24T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function reservation(overrides: Partial<Reservation> = {}): Reservation {
  return {
    id: 'r1',
    number: '12345678',
    orderId: 'o1',
    accountId: 'a1',
    status: 'reserved',
    createdAt: T0,
    expiresAt: at(7 * 24 * 60),
    reminderSentAt: null,
    claim: null,
    printedAt: null,
    attempts: [],
    updatedAt: T0,
    ...overrides,
  };
}

const claim = (claimId: string, minutes: number, by = 'store-simulator'): PrintClaim => ({ claimId, by, at: at(minutes), leaseUntil: at(minutes + 10) });
/** claimReservation that must succeed. */
function mustClaim(r: Reservation, c: PrintClaim): Reservation {
  const result = claimReservation(r, c);
  if ('refused' in result) throw new Error(`refused: ${result.refused}`);
  return result;
}

describe('reservation state machine', () => {
  it('prints once: reserved → printing → printed, and a second claim is refused as printed', () => {
    const printing = mustClaim(reservation(), claim('c1', 1));
    expect(printing.status).toBe('printing');
    const printed = completeReservationPrint(printing, 'c1', at(2))!;
    expect(printed).toMatchObject({ status: 'printed', printedAt: at(2), claim: null });
    expect(printed.attempts).toEqual([{ claimId: 'c1', by: 'store-simulator', startedAt: at(1), endedAt: at(2), outcome: 'printed', detail: null }]);
    expect(claimReservation(printed, claim('c2', 3))).toEqual({ refused: 'printed' });
    expect(isReservationActive(printed, at(3))).toBe(false);
  });

  it('a second printer cannot claim while the first one prints', () => {
    const printing = mustClaim(reservation(), claim('c1', 1));
    expect(claimReservation(printing, claim('c2', 2, 'other'))).toEqual({ refused: 'busy' });
    expect(reservationPrintability(printing, at(2))).toEqual({ ok: false, reason: 'busy' });
  });

  it('a failed print leaves it printable, and it can then be printed', () => {
    const printing = mustClaim(reservation(), claim('c1', 1));
    const failed = failReservationPrint(printing, 'c1', at(2), 'paper jam')!;
    expect(failed.status).toBe('reserved');
    expect(reservationPrintability(failed, at(3))).toEqual({ ok: true });
    const again = mustClaim(failed, claim('c2', 3));
    const printed = completeReservationPrint(again, 'c2', at(4))!;
    expect(printed.status).toBe('printed');
    expect(printed.attempts.map((a) => a.outcome)).toEqual(['failed', 'printed']);
  });

  it('a claim whose lease ran out can be taken over; the old printer can no longer complete', () => {
    const printing = mustClaim(reservation(), claim('c1', 1));
    expect(reservationStatusAt(printing, at(11))).toBe('reserved');
    const taken = mustClaim(printing, claim('c2', 12));
    expect(taken.attempts.map((a) => a.outcome)).toEqual(['abandoned', 'printing']);
    expect(completeReservationPrint(taken, 'c1', at(13))).toBeNull();
    expect(failReservationPrint(taken, 'c1', at(13), 'late')).toBeNull();
    expect(completeReservationPrint(taken, 'c2', at(13))?.status).toBe('printed');
  });

  it('a claim holds the number for its documents only until its lease runs out, and may confirm late unless taken over', () => {
    const printing = mustClaim(reservation(), claim('c1', 1));
    expect(holdsClaim(printing, 'c1', at(10))).toBe(true);
    expect(holdsClaim(printing, 'c1', at(11))).toBe(false);
    expect(holdsClaim(printing, 'c2', at(2))).toBe(false);
    // Nobody took it over: the late confirmation stands.
    const late = completeReservationPrint(printing, 'c1', at(12))!;
    expect(late.status).toBe('printed');
    expect(holdsClaim(late, 'c1', at(2))).toBe(false);
  });

  it('knows which claim printed it, so that a repeated confirmation is recognised', () => {
    const printing = mustClaim(reservation(), claim('c1', 1));
    expect(printedUnder(printing, 'c1')).toBe(false);
    const printed = completeReservationPrint(printing, 'c1', at(2))!;
    expect(printedUnder(printed, 'c1')).toBe(true);
    expect(printedUnder(printed, 'c2')).toBe(false);
    expect(completeReservationPrint(printed, 'c1', at(3))).toBeNull();
  });

  it('an expired reservation cannot be printed, and the sweeper marks it expired', () => {
    const r = reservation();
    const after = at(7 * 24 * 60);
    expect(reservationStatusAt(r, after)).toBe('expired');
    expect(claimReservation(r, { claimId: 'c1', by: 's', at: after, leaseUntil: after })).toEqual({ refused: 'expired' });
    expect(isReservationActive(r, after)).toBe(false);
    expect(expireReservation(r, after)).toMatchObject({ status: 'expired', updatedAt: after });
    expect(expireReservation(r, at(1))).toBeNull();
  });

  it('a cancelled reservation cannot be printed; a printed one cannot be cancelled', () => {
    const cancelled = cancelReservation(reservation(), at(1))!;
    expect(cancelled.status).toBe('cancelled');
    expect(claimReservation(cancelled, claim('c1', 2))).toEqual({ refused: 'cancelled' });
    expect(cancelReservation(reservation({ status: 'printed' }), at(1))).toBeNull();
  });

  it('the transition tables allow only the documented moves', () => {
    expect(canTransition(RESERVATION_TRANSITIONS, 'reserved', 'printing')).toBe(true);
    expect(canTransition(RESERVATION_TRANSITIONS, 'printing', 'reserved')).toBe(true);
    expect(canTransition(RESERVATION_TRANSITIONS, 'reserved', 'printed')).toBe(false);
    expect(canTransition(RESERVATION_TRANSITIONS, 'printed', 'reserved')).toBe(false);
    expect(canTransition(CAMPUS_JOB_TRANSITIONS, 'printed', 'waiting')).toBe(false);
    expect(canTransition(MAIL_ORDER_TRANSITIONS, 'shipped', 'awaitingShipment')).toBe(false);
  });
});

describe('campus jobs', () => {
  const job = (overrides: Partial<CampusJob> = {}): CampusJob => ({
    id: 'j1',
    orderId: 'o1',
    accountId: 'a1',
    status: 'waiting',
    createdAt: T0,
    claim: null,
    printedAt: null,
    attempts: [],
    updatedAt: T0,
    ...overrides,
  });

  it('print once at a kiosk; a failed print waits again', () => {
    const claimed = claimCampusJob(job(), claim('k1', 1, 'kiosk-1'));
    if ('refused' in claimed) throw new Error('refused');
    expect(claimCampusJob(claimed, claim('k2', 2, 'kiosk-2'))).toEqual({ refused: 'busy' });
    const failed = failCampusJob(claimed, 'k1', at(2), 'bridge error')!;
    expect(failed.status).toBe('waiting');
    const again = claimCampusJob(failed, claim('k2', 3, 'kiosk-2'));
    if ('refused' in again) throw new Error('refused');
    const printed = completeCampusJob(again, 'k2', at(4))!;
    expect(printed.status).toBe('printed');
    expect(claimCampusJob(printed, claim('k3', 5))).toEqual({ refused: 'printed' });
  });
});

describe('mail orders and certificates', () => {
  it('a mail order is shipped once with its tracking number', () => {
    const order: MailOrder = {
      id: 'm1',
      orderId: 'o1',
      accountId: 'a1',
      recipientName: '山田 花子',
      address: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' },
      status: 'awaitingShipment',
      trackingNumber: null,
      shippedAt: null,
      shippedBy: null,
      createdAt: T0,
      updatedAt: T0,
    };
    const shipped = shipMailOrder(order, { trackingNumber: '1234-5678-9012', by: 'staff1', at: at(60) })!;
    expect(shipped).toMatchObject({ status: 'shipped', trackingNumber: '1234-5678-9012', shippedBy: 'staff1', shippedAt: at(60) });
    expect(shipMailOrder(shipped, { trackingNumber: 'x', by: 'staff2', at: at(61) })).toBeNull();
  });

  it('a certificate is revoked once, with the reason kept', () => {
    const certificate = { status: 'valid', revokedAt: null, revokedBy: null, revocationReason: null } as IssuedCertificate;
    const revoked = revokeCertificate(certificate, { reason: '誤発行', by: 'staff1', at: at(5) })!;
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: '誤発行', revokedBy: 'staff1', revokedAt: at(5) });
    expect(revokeCertificate(revoked, { reason: 'again', by: 'staff2', at: at(6) })).toBeNull();
  });
});
