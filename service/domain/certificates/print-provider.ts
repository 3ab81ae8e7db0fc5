/**
 * The port a convenience-store printer goes through: the /store simulator today, a store
 * network's adapter later. Every implementation keeps this contract, so that a number is never
 * marked printed before a terminal had its documents, and never printed twice:
 *
 * 1. `redeem(number)` shows what would print. It changes nothing.
 * 2. `claim(number)` takes the number for one terminal for a short lease. Of terminals racing
 *    for one number exactly one wins; the others are refused (`reservation.busy`), as is a
 *    number already printed, expired or cancelled.
 * 3. `document(number, claimId, certificateNumber)` hands over each PDF, only while that claim
 *    holds the number and its lease has not run out (`reservation.claimLost`).
 * 4. `confirm(number, claimId)`, sent only once the terminal has every document, marks the
 *    number printed. It is refused (`reservation.claimLost`) when the number is no longer held
 *    by that claim: the lease ran out and another claim took it over, or it was cancelled.
 *    Repeating a confirmation that succeeded (its answer was lost) answers the same again.
 * 5. `fail(number, claimId, detail)` gives the number back at once (printable again).
 *
 * A claim never confirmed (the terminal, the network or the service died) gives the number back
 * when its lease runs out. Nothing is marked printed on a claim alone.
 */

/** One document to print for a reservation (one per order line; `copies` prints of it). */
export interface PrintDocument {
  certificateNumber: string;
  typeCode: string;
  language: string;
  copies: number;
}

/** A document with its signed PDF (what `redeem` shows, e.g. to count pages). */
export interface PrintableDocument extends PrintDocument {
  pdf: Uint8Array;
}

/** A won claim: fetch `documents` with `claimId` before `leaseUntil`, then confirm. */
export interface PrintClaimTicket {
  number: string;
  claimId: string;
  leaseUntil: string;
  documents: PrintDocument[];
}

export interface PrintProvider {
  /** The documents of a printable reservation; DomainError (`reservation.*`) when it cannot be printed. */
  redeem(number: string): Promise<PrintableDocument[]>;
  /** reserved → printing for this terminal; DomainError (`reservation.*`) when refused. */
  claim(number: string): Promise<PrintClaimTicket>;
  /** The signed PDF of one claimed document, only while the claim holds (`reservation.claimLost`). */
  document(number: string, claimId: string, certificateNumber: string): Promise<Uint8Array>;
  /** printing → printed, once the terminal holds every document; `reservation.claimLost` when taken over. */
  confirm(number: string, claimId: string): Promise<{ printedAt: string }>;
  /** printing → reserved (printable again); `detail` goes to the attempt log only. */
  fail(number: string, claimId: string, detail: string): Promise<void>;
}
