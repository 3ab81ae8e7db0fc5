/**
 * The convenience-store printer the /store simulator uses: this service is its own store network,
 * so each step of the `PrintProvider` contract is the matching step of reservation printing, at
 * the clock's time, recorded as the simulator's terminal.
 */
import type { PrintClaimTicket, PrintableDocument, PrintProvider } from '../../domain/certificates/print-provider.js';
import type { ReservationPrinting } from '../../domain/certificates/reservation-printing.js';
import type { Clock } from '../../domain/ports.js';

export const SIMULATED_STORE_TERMINAL = 'store-simulator';

export class SimulatedStorePrintProvider implements PrintProvider {
  constructor(
    private readonly printing: ReservationPrinting,
    private readonly clock: Clock,
    private readonly terminalId: string = SIMULATED_STORE_TERMINAL,
  ) {}

  redeem(number: string): Promise<PrintableDocument[]> {
    return this.printing.documents(number, this.clock.now());
  }

  claim(number: string): Promise<PrintClaimTicket> {
    return this.printing.claim(number, this.terminalId, this.clock.now());
  }

  document(number: string, claimId: string, certificateNumber: string): Promise<Uint8Array> {
    return this.printing.document(number, claimId, certificateNumber, this.clock.now());
  }

  async confirm(number: string, claimId: string): Promise<{ printedAt: string }> {
    const now = this.clock.now();
    const printed = await this.printing.confirm(number, claimId, now);
    return { printedAt: printed.printedAt ?? now.toISOString() };
  }

  async fail(number: string, claimId: string, detail: string): Promise<void> {
    await this.printing.fail(number, claimId, detail, this.clock.now());
  }
}
