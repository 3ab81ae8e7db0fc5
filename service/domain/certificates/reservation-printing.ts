/**
 * Convenience-store printing of a reservation number, in the steps of the `PrintProvider`
 * contract (print-provider.ts), like 学内印刷: a terminal claims the number (a lease), fetches
 * each signed PDF while its claim holds, and only then confirms (printed) or reports a failure
 * (printable again). A claim never confirmed gives the number back when its lease runs out.
 * Each step that changes the reservation is one transaction with its audit entry. Storage and
 * the PDF archive are injected (no adapter imports here).
 */
import type { AuditEntry } from '../audit.js';
import { DomainError } from '../errors.js';
import type { IssuedCertificate, Reservation } from './model.js';
import { normalizeReservationNumber } from './numbers.js';
import { PRINT_LEASE_SECONDS, type PrintingDeps } from './orders.js';
import type { PrintableDocument, PrintClaimTicket, PrintDocument } from './print-provider.js';
import { certificatesOfOrder } from './order-details.js';
import { findReservationByNumber } from './reservation-records.js';
import { transitionReservation } from './transitions.js';
import {
  claimReservation,
  completeReservationPrint,
  failReservationPrint,
  holdsClaim,
  printedUnder,
  reservationPrintability,
  type PrintRefusal,
} from './state-machines.js';

export type ReservationPrintingDeps = PrintingDeps;

export interface ReservationPrinting {
  /** The documents and PDFs of a printable number at `now`; changes nothing. DomainError (`reservation.*`) otherwise. */
  documents(number: string, now: Date): Promise<PrintableDocument[]>;
  /** reserved → printing for terminal `by`; refused as printed, expired, cancelled, busy or unknown. */
  claim(number: string, by: string, now: Date): Promise<PrintClaimTicket>;
  /** The PDF of one of the claimed documents, only while `claimId` holds the number (`reservation.claimLost`). */
  document(number: string, claimId: string, certificateNumber: string, now: Date): Promise<Uint8Array>;
  /** printing → printed for that claim (again: the same answer); `reservation.claimLost` when another claim or a cancellation came first. */
  confirm(number: string, claimId: string, now: Date): Promise<Reservation>;
  /** printing → reserved (printable again); `detail` goes to the attempt log and the audit only. */
  fail(number: string, claimId: string, detail: string, now: Date): Promise<Reservation>;
}

const REFUSAL_CODES = {
  printed: 'reservation.alreadyPrinted',
  expired: 'reservation.expired',
  cancelled: 'reservation.cancelled',
  busy: 'reservation.busy',
} as const satisfies Record<PrintRefusal, string>;

export function createReservationPrinting(deps: ReservationPrintingDeps): ReservationPrinting {
  const { store, random } = deps;
  const leaseSeconds = deps.printLeaseSeconds ?? PRINT_LEASE_SECONDS;
  const printerActor = (by: string): AuditEntry['actor'] => ({ type: 'system', id: by, name: by });
  const byOf = (r: Reservation, claimId: string) => r.attempts.find((a) => a.claimId === claimId)?.by ?? 'printer';
  const claimLost = (r: Reservation, claimId: string) => new DomainError('reservation.claimLost', {}, `claim ${claimId} of ${r.id} not current`);

  async function find(number: string, now: Date): Promise<Reservation> {
    const normalized = normalizeReservationNumber(number);
    const found = normalized ? await findReservationByNumber(store.reservations, normalized, now.toISOString()) : null;
    if (!found) throw new DomainError('reservation.notFound', {}, `no reservation ${number}`);
    return found;
  }

  function refuse(reason: PrintRefusal, r: Reservation): never {
    throw new DomainError(REFUSAL_CODES[reason], {}, `reservation ${r.id}: ${reason}`);
  }

  async function certificatesOf(r: Reservation): Promise<IssuedCertificate[]> {
    const order = await store.orders.get(r.orderId);
    if (!order) throw new Error(`order ${r.orderId} of reservation ${r.id} is missing`);
    return certificatesOfOrder(store, order);
  }

  const describe = ({ number, typeCode, language, copies }: IssuedCertificate): PrintDocument => ({ certificateNumber: number, typeCode, language, copies });

  async function pdfOf(certificateNumber: string): Promise<Uint8Array> {
    const pdf = await deps.pdfs.read(certificateNumber);
    if (!pdf) throw new Error(`PDF of ${certificateNumber} is missing`);
    return pdf;
  }

  return {
    async documents(number, now) {
      const r = await find(number, now);
      const check = reservationPrintability(r, now.toISOString());
      if (!check.ok) refuse(check.reason, r);
      const documents: PrintableDocument[] = [];
      for (const c of await certificatesOf(r)) documents.push({ ...describe(c), pdf: await pdfOf(c.number) });
      return documents;
    },

    async claim(number, by, now) {
      const found = await find(number, now);
      const at = now.toISOString();
      const claim = { claimId: random.id(), by, at, leaseUntil: new Date(now.getTime() + leaseSeconds * 1000).toISOString() };
      const updated = await deps.transaction(async (tx) => {
        let refusal: PrintRefusal | null = null;
        const next = await transitionReservation(tx.certificates, found.id, (current) => {
          const claimed = claimReservation(current, claim);
          if ('refused' in claimed) {
            refusal = claimed.refused;
            return null;
          }
          return claimed;
        });
        if (!next) refuse(refusal ?? 'busy', found);
        await tx.audit.append({
          at,
          actor: printerActor(by),
          action: 'certificate.reservation.printStarted',
          target: { type: 'reservation', id: found.id },
          before: { status: found.status, claimId: found.claim?.claimId ?? null },
          after: { status: next.status, claimId: claim.claimId, leaseUntil: claim.leaseUntil },
          note: null,
        });
        return next;
      });
      const documents = (await certificatesOf(updated)).map(describe);
      return { number: updated.number, claimId: claim.claimId, leaseUntil: claim.leaseUntil, documents };
    },

    async document(number, claimId, certificateNumber, now) {
      const r = await find(number, now);
      if (!holdsClaim(r, claimId, now.toISOString())) throw claimLost(r, claimId);
      const certificate = (await certificatesOf(r)).find((c) => c.number === certificateNumber);
      if (!certificate) throw new DomainError('notFound', {}, `${certificateNumber} is not in reservation ${r.id}`);
      return pdfOf(certificate.number);
    },

    async confirm(number, claimId, now) {
      const found = await find(number, now);
      const at = now.toISOString();
      return deps.transaction(async (tx) => {
        const updated = await transitionReservation(tx.certificates, found.id, (current) => completeReservationPrint(current, claimId, at));
        if (!updated) {
          const current = await tx.certificates.reservations.get(found.id);
          if (current && printedUnder(current, claimId)) return current;
          throw claimLost(found, claimId);
        }
        await tx.audit.append({
          at,
          actor: printerActor(byOf(updated, claimId)),
          action: 'certificate.reservation.printed',
          target: { type: 'reservation', id: found.id },
          before: { status: 'printing', claimId },
          after: { status: updated.status, printedAt: updated.printedAt },
          note: null,
        });
        return updated;
      });
    },

    async fail(number, claimId, detail, now) {
      const found = await find(number, now);
      const at = now.toISOString();
      return deps.transaction(async (tx) => {
        const updated = await transitionReservation(tx.certificates, found.id, (current) => failReservationPrint(current, claimId, at, detail));
        if (!updated) throw claimLost(found, claimId);
        await tx.audit.append({
          at,
          actor: printerActor(byOf(updated, claimId)),
          action: 'certificate.reservation.printFailed',
          target: { type: 'reservation', id: found.id },
          before: { status: 'printing', claimId },
          after: { status: updated.status },
          note: detail,
        });
        return updated;
      });
    },
  };
}
