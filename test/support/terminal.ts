import { parseTerminalKey, proofHeader, TERMINAL_PROOF_HEADER, type PrinterReport, type TerminalKey } from '../../main/terminal-key.js';
import type { TerminalActor, TerminalService } from '../../service/domain/terminals/service.js';

/** The administrator who enrols the test terminals. */
export const TEST_ADMINISTRATOR: TerminalActor = { type: 'staff', id: 'staff-admin-test', name: 'Test Administrator', role: 'administrator' };

export interface EnrolledTerminal {
  id: string;
  name: string;
  /** `terminalKey` of its kiosk.json. */
  text: string;
  key: TerminalKey;
}

/** Enrols a terminal as an administrator does in the console, and keeps its key as IT would. */
export async function enrollTerminal(terminals: TerminalService, name: string, location = 'Library 1F'): Promise<EnrolledTerminal> {
  const issued = await terminals.enroll({ name, location }, TEST_ADMINISTRATOR);
  const key = parseTerminalKey(issued.key);
  if (!key) throw new Error(`the service issued a key the shell cannot read: ${issued.key}`);
  return { id: issued.terminal.id, name, text: issued.key, key };
}

/** The proof the kiosk shell adds to a request (main/terminal-key.ts), at `at` (the service's clock). */
export function proofValue(key: TerminalKey, method: string, url: string | URL, at: Date = new Date(), printer: PrinterReport = 'ready'): string {
  return proofHeader(key, { method, url: String(url), unixSeconds: at.getTime() / 1000, shellVersion: '0.1.0-test', printer });
}

/** The same as a header to send. */
export function proofHeaders(
  key: TerminalKey,
  method: string,
  url: string | URL,
  at: Date = new Date(),
  printer: PrinterReport = 'ready',
): Record<string, string> {
  return { [TERMINAL_PROOF_HEADER]: proofValue(key, method, url, at, printer) };
}
