/**
 * The convenience-store printer the /store simulator uses: redeem a reservation number to see
 * its documents, print it (claim → "print" → complete). A number prints once.
 */
import type { OrderService } from '../../domain/certificates/orders.js';
import type { PrintableDocument, PrintProvider } from '../../domain/certificates/print-provider.js';
import type { Clock } from '../../domain/ports.js';

export const SIMULATED_STORE_TERMINAL = 'store-simulator';

export class SimulatedStorePrintProvider implements PrintProvider {
  constructor(
    private readonly orders: Pick<OrderService, 'reservationDocuments' | 'printReservation'>,
    private readonly clock: Clock,
    private readonly terminalId: string = SIMULATED_STORE_TERMINAL,
  ) {}

  redeem(number: string): Promise<PrintableDocument[]> {
    return this.orders.reservationDocuments(number, this.clock.now());
  }

  async print(number: string): Promise<{ printedAt: string; documents: PrintableDocument[] }> {
    let documents: PrintableDocument[] = [];
    const done = await this.orders.printReservation(number, this.terminalId, this.clock.now(), async (docs) => {
      documents = docs;
    });
    return { printedAt: done.printedAt ?? this.clock.now().toISOString(), documents };
  }
}
