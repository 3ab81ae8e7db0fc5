/**
 * The convenience-store terminal behind /api/store (the simulator of the store's multifunction
 * printer; public like a real store: whoever holds the 8-digit number may print). Lookups and
 * prints are rate limited per client to stop number guessing. A print hands out short-lived
 * random output links for exactly the printed documents ("the PDFs come out").
 */
import { createHash } from 'node:crypto';
import type { StoreLookupResponse, StorePrintResponse } from '../../contract/certificates.js';
import { DomainError, isDomainError } from '../errors.js';
import type { Clock, Random } from '../ports.js';
import { SlidingWindowLimiter, type RateLimitOptions } from '../verify/public-verification.js';
import type { CertificateStore } from './store.js';
import { normalizeReservationNumber } from './numbers.js';
import type { PrintableDocument, PrintProvider } from './print-provider.js';

/** Lookups + prints per client IP: 30 in any 10 minutes (a person needs a handful). */
export const DEFAULT_STORE_RATE_LIMIT: RateLimitOptions = { limit: 30, windowSeconds: 600 };
/** How long the output links of a print stay valid. */
export const STORE_OUTPUT_SECONDS = 600;
/** Random bytes of an output token (256 bits). */
const OUTPUT_TOKEN_BYTES = 32;
const MAX_SHELVES = 1000;

export interface StoreTerminalDeps {
  provider: PrintProvider;
  store: Pick<CertificateStore, 'reservations' | 'orders' | 'types'>;
  clock: Clock;
  random: Pick<Random, 'token'>;
  /** Pages of one PDF (pdf-lib adapter). */
  countPages(pdf: Uint8Array): Promise<number>;
  rateLimit?: RateLimitOptions;
  outputSeconds?: number;
}

export interface StoreTerminal {
  lookup(number: string, client: string): Promise<StoreLookupResponse>;
  print(number: string, client: string): Promise<StorePrintResponse>;
  /** The PDF behind an output link, or null (unknown/expired token, not one of its documents). */
  output(token: string, certificateNumber: string): Uint8Array | null;
}

interface Shelf {
  expiresAt: number;
  documents: Map<string, Uint8Array>;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function createStoreTerminal(deps: StoreTerminalDeps): StoreTerminal {
  const limiter = new SlidingWindowLimiter(deps.clock, deps.rateLimit ?? DEFAULT_STORE_RATE_LIMIT);
  const outputMs = (deps.outputSeconds ?? STORE_OUTPUT_SECONDS) * 1000;
  /** sha256(token) → the printed documents; the token itself is never kept. */
  const shelves = new Map<string, Shelf>();

  function hit(client: string): void {
    try {
      limiter.hit(`store:${client}`);
    } catch (err) {
      if (isDomainError(err) && err.code === 'verify.rateLimited') throw new DomainError('store.rateLimited', err.params, err.detail);
      throw err;
    }
  }

  function numberOf(input: string): string {
    const number = normalizeReservationNumber(input);
    if (!number) throw new DomainError('validation.failed', {}, 'malformed reservation number', { number: 'store.numberFormat' });
    return number;
  }

  function prune(now: number): void {
    for (const [key, shelf] of shelves) if (shelf.expiresAt <= now) shelves.delete(key);
    while (shelves.size >= MAX_SHELVES) shelves.delete(shelves.keys().next().value!);
  }

  async function typeNames(codes: string[]) {
    const names = new Map<string, { ja: string; en: string }>();
    for (const code of new Set(codes)) {
      const type = await deps.store.types.get(code);
      names.set(code, type?.name ?? { ja: code, en: code });
    }
    return names;
  }

  return {
    async lookup(input, client) {
      hit(client);
      const number = numberOf(input);
      const documents: PrintableDocument[] = await deps.provider.redeem(number);
      const now = deps.clock.now().toISOString();
      const reservation = await deps.store.reservations.findByNumber(number, now);
      if (!reservation) throw new DomainError('reservation.notFound', {}, `reservation ${number} vanished`);
      const order = await deps.store.orders.get(reservation.orderId);
      const names = await typeNames(documents.map((d) => d.typeCode));
      const lines = [];
      for (const d of documents) {
        lines.push({
          certificateNumber: d.certificateNumber,
          typeName: names.get(d.typeCode)!,
          language: d.language as 'ja' | 'en',
          copies: d.copies,
          pages: await deps.countPages(d.pdf),
        });
      }
      return {
        number,
        expiresAt: reservation.expiresAt,
        documents: lines,
        totalCopies: documents.reduce((sum, d) => sum + d.copies, 0),
        totalFee: order?.totalFee ?? 0,
      };
    },

    async print(input, client) {
      hit(client);
      const number = numberOf(input);
      const printed = await deps.provider.print(number);
      const now = deps.clock.now().getTime();
      prune(now);
      const token = deps.random.token(OUTPUT_TOKEN_BYTES);
      shelves.set(hashOf(token), { expiresAt: now + outputMs, documents: new Map(printed.documents.map((d) => [d.certificateNumber, d.pdf])) });
      return {
        number,
        printedAt: printed.printedAt,
        documents: printed.documents.map((d) => ({
          certificateNumber: d.certificateNumber,
          copies: d.copies,
          url: `/api/store/output/${encodeURIComponent(token)}/${encodeURIComponent(d.certificateNumber)}.pdf`,
        })),
      };
    },

    output(token, certificateNumber) {
      const shelf = shelves.get(hashOf(token));
      if (!shelf) return null;
      if (shelf.expiresAt <= deps.clock.now().getTime()) {
        shelves.delete(hashOf(token));
        return null;
      }
      return shelf.documents.get(certificateNumber) ?? null;
    },
  };
}
