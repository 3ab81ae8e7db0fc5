/**
 * The port a printer (convenience-store terminal, campus kiosk, the /store simulator) uses:
 * look up a reservation number, then print it once.
 */

/** One document to print for a reservation (one per order line; `copies` prints of it). */
export interface PrintableDocument {
  certificateNumber: string;
  typeCode: string;
  language: string;
  copies: number;
  /** The signed PDF. */
  pdf: Uint8Array;
}

export interface PrintProvider {
  /** The documents of an active reservation; DomainError (`reservation.*`) when it cannot be printed. */
  redeem(number: string): Promise<PrintableDocument[]>;
  /** Prints it: claims, "prints", completes. A number prints once; DomainError when refused. */
  print(number: string): Promise<{ printedAt: string; documents: PrintableDocument[] }>;
}
