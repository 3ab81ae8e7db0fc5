/** The simulated convenience-store printer's replies (contract/certificates.ts, /api/store). */
import type { StoreLookupResponse } from '../../contract/certificates.js';
import type { StoreReservationSummary } from '../../domain/certificates/store-terminal.js';

/** What the terminal shows before printing: of the reservation, only its number and expiry. */
export const storeLookupResponse = (summary: StoreReservationSummary): StoreLookupResponse => ({
  number: summary.number,
  expiresAt: summary.reservation.expiresAt,
  documents: summary.documents.map((d) => ({
    certificateNumber: d.certificateNumber,
    typeName: d.typeName,
    language: d.language,
    copies: d.copies,
    pages: d.pages,
  })),
  totalCopies: summary.totalCopies,
  totalFee: summary.totalFee,
});
