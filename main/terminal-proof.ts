/**
 * Proving the terminal to the service (DESIGN.md "Terminals"): every request of the kiosk
 * window's session to the service origin gets an `X-Shomei-Terminal` proof, added here in the main
 * process (webRequest), so the page can neither read the secret nor the proof; requests to the IdP
 * or anywhere else get none. The shell's own requests (printing, the check-in) carry it too.
 * Every few minutes the shell checks in (GET /api/terminal): the service records its version and
 * printer state, and the answer's Date corrects the proofs' clock when the terminal's is off.
 */
import type { KioskLog, KioskSession, KioskTimers } from './electron-api.js';
import { httpOriginOf } from './navigation.js';
import { proofHeader, TERMINAL_PROOF_HEADER, type PrinterReport, type TerminalKey } from './terminal-key.js';

/** How often the shell checks in (and re-checks its printer). */
export const CHECK_IN_SECONDS = 5 * 60;
/** A difference from the service's clock smaller than this is left alone (Date has 1-second steps). */
const CLOCK_TOLERANCE_MS = 5_000;

export interface TerminalProver {
  /** The proof for one request. */
  headerFor(method: string, url: string): string;
  /** Takes the service's clock from an answer's `Date` header; true when the correction changed. */
  observeServerDate(date: string | null, receivedAt: number): boolean;
  setPrinter(state: PrinterReport): void;
  printer(): PrinterReport;
}

export function createTerminalProver(options: { key: TerminalKey; shellVersion: string; now?: () => number }): TerminalProver {
  const now = options.now ?? (() => Date.now());
  let offsetMs = 0;
  let printer: PrinterReport = 'unknown';
  return {
    headerFor: (method, url) => proofHeader(options.key, { method, url, unixSeconds: (now() + offsetMs) / 1000, shellVersion: options.shellVersion, printer }),
    observeServerDate(date, receivedAt) {
      const server = date ? Date.parse(date) : Number.NaN;
      if (Number.isNaN(server)) return false;
      const measured = server - receivedAt;
      if (Math.abs(measured - offsetMs) < CLOCK_TOLERANCE_MS) return false;
      offsetMs = Math.abs(measured) < CLOCK_TOLERANCE_MS ? 0 : measured;
      return true;
    },
    setPrinter(state) {
      printer = state;
    },
    printer: () => printer,
  };
}

/** Drops every spelling of the proof header a page may have set itself. */
function withoutProof(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== TERMINAL_PROOF_HEADER.toLowerCase()) out[name] = value;
  return out;
}

/**
 * Adds the proof to the session's requests to `serviceOrigin` (exactly that scheme, host and
 * port) and to nothing else. Registering again (the embedded service restarted on another port)
 * replaces the previous listener.
 */
export function installTerminalProof(session: Pick<KioskSession, 'webRequest'>, prover: TerminalProver, serviceOrigin: string): void {
  session.webRequest.onBeforeSendHeaders({ urls: [`${serviceOrigin}/*`] }, (details, callback) => {
    const headers = withoutProof(details.requestHeaders);
    if (httpOriginOf(details.url) === serviceOrigin) headers[TERMINAL_PROOF_HEADER] = prover.headerFor(details.method, details.url);
    callback({ requestHeaders: headers });
  });
}

export type ProvenFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** `fetch` of the shell's own requests, with the proof when they go to `serviceOrigin`. */
export function provenFetch(fetch: ProvenFetch, prover: TerminalProver, serviceOrigin: string): ProvenFetch {
  return (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.delete(TERMINAL_PROOF_HEADER);
    if (httpOriginOf(url) === serviceOrigin) headers.set(TERMINAL_PROOF_HEADER, prover.headerFor(init.method ?? 'GET', url));
    return fetch(url, { ...init, headers });
  };
}

/** Wraps the PDF printer so that its outcome is the printer state the shell reports. */
export function reportingPrinter<A extends unknown[]>(print: (...args: A) => Promise<void>, prover: TerminalProver): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await print(...args);
      prover.setPrinter('ready');
    } catch (e) {
      prover.setPrinter('error');
      throw e;
    }
  };
}

export interface CheckIn {
  stop(): void;
}

/**
 * Checks the printer, then GET /api/terminal; again every CHECK_IN_SECONDS. A refusal whose Date
 * shows the terminal's clock was off is retried at once with the corrected clock. What changed
 * (enrolled or not, printer state) is logged once, not at every check-in.
 */
export function startCheckIn(options: {
  fetch: ProvenFetch;
  prover: TerminalProver;
  serviceOrigin: string;
  checkPrinter(): Promise<{ available: boolean }>;
  timers: KioskTimers;
  log: KioskLog;
  now?: () => number;
}): CheckIn {
  const { prover, timers, log } = options;
  const now = options.now ?? (() => Date.now());
  const url = `${options.serviceOrigin}/api/terminal`;
  let stopped = false;
  let timer: unknown = null;
  let lastOutcome: string | null = null;

  const request = async (retry = true): Promise<Response> => {
    const res = await options.fetch(url, { method: 'GET', headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'omit', redirect: 'error' });
    const corrected = prover.observeServerDate(res.headers.get('date'), now());
    if (corrected) log.warn('kiosk clock differs from the service; proofs use the service clock', { serviceDate: res.headers.get('date') });
    return corrected && !res.ok && retry ? request(false) : res;
  };

  const report = (outcome: string, fields: Record<string, unknown>, level: 'info' | 'error') => {
    if (outcome === lastOutcome) return;
    lastOutcome = outcome;
    log[level](outcome === 'enrolled' ? 'kiosk terminal enrolled' : 'kiosk terminal not accepted by the service', fields);
  };

  const run = async () => {
    timer = null;
    try {
      const status = await options.checkPrinter();
      prover.setPrinter(status.available ? 'ready' : 'missing');
    } catch {
      prover.setPrinter('error');
    }
    try {
      const res = await request();
      if (res.ok) {
        const body = (await res.json()) as { id?: unknown; name?: unknown };
        report('enrolled', { id: body.id, name: body.name, printer: prover.printer() }, 'info');
      } else {
        // Campus printing is refused until IT issues this terminal a key (see the README).
        report(`refused ${res.status}`, { status: res.status }, 'error');
      }
    } catch (e) {
      report('unreachable', { error: e instanceof Error ? e.message : String(e) }, 'info');
    }
    if (!stopped) timer = timers.setTimeout(() => void run(), CHECK_IN_SECONDS * 1000);
  };

  void run();
  return {
    stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
