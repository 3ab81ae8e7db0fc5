/**
 * The convenience-store terminal behind /api/store (the simulator of the store's multifunction
 * printer; public like a real store: whoever holds the 8-digit number may print). A print
 * follows the `PrintProvider` contract: claim the number, fetch every document, then confirm;
 * the print is finished only when the terminal has the documents. Lookups and claims are rate
 * limited per client to stop number guessing; the later steps need the claim's unguessable id.
 */
import { DomainError } from '../errors.js';
import type { Language } from '../model.js';
import type { Clock } from '../ports.js';
import { RateLimit, type RateLimitRule, type RateLimitStore } from '../rate-limits.js';
import type { LocalizedName } from '../registry/model.js';
import type { Reservation } from './model.js';
import type { CertificateStore } from './store.js';
import { normalizeReservationNumber } from './numbers.js';
import { findReservationByNumber } from './reservation-records.js';
import type { PrintClaimTicket, PrintProvider } from './print-provider.js';

/** Lookups + claims per client IP: 30 in any 10 minutes (a person needs a handful). */
export const DEFAULT_STORE_RATE_LIMIT: RateLimitRule = { limit: 30, windowSeconds: 600 };

export interface StoreTerminalDeps {
  provider: PrintProvider;
  store: Pick<CertificateStore, 'reservations' | 'orders' | 'types'>;
  clock: Clock;
  /** Pages of one PDF (pdf-lib adapter). */
  countPages(pdf: Uint8Array): Promise<number>;
  /** Where the lookups and claims per client are counted. */
  rateLimits: RateLimitStore;
  rateLimit?: RateLimitRule;
}

/** What the terminal shows before printing: the reservation, its documents and what they cost. */
export interface StoreReservationSummary {
  number: string;
  reservation: Reservation;
  documents: Array<{ certificateNumber: string; typeName: LocalizedName; language: Language; copies: number; pages: number }>;
  totalCopies: number;
  /** The order's fee (0 when the order is missing). */
  totalFee: number;
}

export interface StoreTerminal {
  lookup(number: string, client: string): Promise<StoreReservationSummary>;
  claim(number: string, client: string): Promise<PrintClaimTicket>;
  document(number: string, claimId: string, certificateNumber: string): Promise<Uint8Array>;
  confirm(number: string, claimId: string): Promise<{ number: string; printedAt: string }>;
  fail(number: string, claimId: string, detail: string): Promise<{ number: string }>;
}

export function createStoreTerminal(deps: StoreTerminalDeps): StoreTerminal {
  const { provider } = deps;
  const limiter = new RateLimit(deps.rateLimits, deps.clock, 'store', deps.rateLimit ?? DEFAULT_STORE_RATE_LIMIT, 'store.rateLimited');

  function numberOf(input: string): string {
    const number = normalizeReservationNumber(input);
    if (!number) throw new DomainError('validation.failed', {}, 'malformed reservation number', { number: 'store.numberFormat' });
    return number;
  }

  async function typeNames(codes: string[]) {
    const names = new Map<string, LocalizedName>();
    for (const code of new Set(codes)) {
      const type = await deps.store.types.get(code);
      names.set(code, type?.name ?? { ja: code, en: code });
    }
    return names;
  }

  return {
    async lookup(input, client) {
      await limiter.hit(client);
      const number = numberOf(input);
      const documents = await provider.redeem(number);
      const now = deps.clock.now().toISOString();
      const reservation = await findReservationByNumber(deps.store.reservations, number, now);
      if (!reservation) throw new DomainError('reservation.notFound', {}, `reservation ${number} vanished`);
      const order = await deps.store.orders.get(reservation.orderId);
      const names = await typeNames(documents.map((d) => d.typeCode));
      const lines = [];
      for (const d of documents) {
        lines.push({
          certificateNumber: d.certificateNumber,
          typeName: names.get(d.typeCode)!,
          language: d.language as Language,
          copies: d.copies,
          pages: await deps.countPages(d.pdf),
        });
      }
      return {
        number,
        reservation,
        documents: lines,
        totalCopies: documents.reduce((sum, d) => sum + d.copies, 0),
        totalFee: order?.totalFee ?? 0,
      };
    },

    async claim(input, client) {
      await limiter.hit(client);
      return provider.claim(numberOf(input));
    },

    document: (number, claimId, certificateNumber) => provider.document(numberOf(number), claimId, certificateNumber),

    async confirm(input, claimId) {
      const number = numberOf(input);
      const { printedAt } = await provider.confirm(number, claimId);
      return { number, printedAt };
    },

    async fail(input, claimId, detail) {
      const number = numberOf(input);
      await provider.fail(number, claimId, detail);
      return { number };
    },
  };
}
