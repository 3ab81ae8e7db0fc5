/**
 * 学内印刷 in the kiosk shell: `kiosk.print(jobId)` of main/kiosk-bridge.ts.
 * Over the kiosk window's own session (its cookies), claims the job, fetches each PDF, prints it
 * silently on the configured printer and reports success or failure to the service.
 *
 * Electron is injected: `fetch` is the kiosk session's `session.fetch` with the terminal proof
 * (main/terminal-proof.ts; same partition, so the student's session cookie goes along), `printPdf` is `createElectronPdfPrinter` of
 * main/print-electron.ts, `getPrintersAsync` is the kiosk window's `webContents.getPrintersAsync`.
 */
import type { PrinterInfo } from 'electron';
import type { KioskPrintResult } from './kiosk-bridge.js';

/** A `fetch` bound to the kiosk window's session (Electron: `session.fromPartition(p).fetch`). */
export type SessionFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Printer list entry: Electron's PrinterInfo `name` (the OS name); `isDefault` where the runtime still reports it. */
export type KioskPrinterInfo = Pick<PrinterInfo, 'name'> & { isDefault?: boolean };

export interface PrintPdfOptions {
  /** The printer's system name, or null for the OS default printer. */
  deviceName: string | null;
  copies: number;
}

export interface KioskPrinterDeps {
  fetch: SessionFetch;
  /** Prints one PDF silently; rejects with the printer's error (its message goes to the attempt log). */
  printPdf(pdf: Uint8Array, options: PrintPdfOptions): Promise<void>;
  /** `webContents.getPrintersAsync()` of the kiosk window. */
  getPrintersAsync(): Promise<KioskPrinterInfo[]>;
}

export interface KioskPrinterOptions {
  /** Service origin, e.g. `http://127.0.0.1:41234` (a trailing slash is ignored). */
  serviceUrl: string;
  /** Printer system name from the terminal configuration; null = the OS default printer. */
  printerName: string | null;
}

export interface PrinterStatus {
  name: string | null;
  available: boolean;
}

export interface KioskPrinter {
  /** `kiosk.print(jobId)`: never rejects; concurrent calls for the same job share one run. */
  print(jobId: string): Promise<KioskPrintResult>;
  /** Is the configured printer (or, when none is configured, a default printer) listed by the OS? */
  checkPrinter(): Promise<PrinterStatus>;
}

const PRINT_FAILED = 'campus.printFailed';

/** Thrown inside a run: a refusal (ErrorCode from the service) or a transport failure. */
class Refusal extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** The `error.code` of an ApiError answer, or a generic code by status. */
async function errorCodeOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown } };
    if (typeof body?.error?.code === 'string') return body.error.code;
  } catch {
    // not JSON
  }
  return res.status === 401 ? 'auth.required' : res.status === 403 ? 'csrf.invalid' : PRINT_FAILED;
}

function describe(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text || 'print failed').slice(0, 2000);
}

export function createKioskPrinter(deps: KioskPrinterDeps, options: KioskPrinterOptions): KioskPrinter {
  const origin = options.serviceUrl.replace(/\/+$/, '');
  const running = new Map<string, Promise<KioskPrintResult>>();

  /** fetch that turns a network error into Refusal('network'). */
  async function request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(pathOrUrl, `${origin}/`);
    // Documents come from the service only.
    if (url.origin !== new URL(origin).origin) throw new Error(`refused a URL outside the service: ${url.origin}`);
    const headers = new Headers(init.headers);
    headers.set('Accept', headers.get('Accept') ?? 'application/json');
    try {
      return await deps.fetch(url.toString(), { ...init, headers, cache: 'no-store', credentials: 'include', redirect: 'error' });
    } catch {
      throw new Refusal('network');
    }
  }

  async function post(path: string, csrfToken: string, body: unknown): Promise<Response> {
    return request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
      body: JSON.stringify(body),
    });
  }

  async function run(jobId: string): Promise<KioskPrintResult> {
    const base = `/api/certificates/campus-jobs/${encodeURIComponent(jobId)}`;
    // 1. CSRF token of this session.
    const sessionRes = await request('/api/session');
    if (!sessionRes.ok) throw new Refusal(await errorCodeOf(sessionRes));
    const session = (await sessionRes.json()) as { csrfToken?: unknown };
    if (typeof session.csrfToken !== 'string') throw new Refusal('auth.required');
    const csrf = session.csrfToken;

    // 2. Claim (a refusal leaves nothing to undo).
    const claimRes = await post(`${base}/claim`, csrf, {});
    if (!claimRes.ok) throw new Refusal(await errorCodeOf(claimRes));
    const claim = (await claimRes.json()) as { claimId: string; documents: Array<{ url: string; copies: number }> };

    // 3. Fetch and print every document; any failure → fail, the job stays printable.
    try {
      const pdfs: Array<{ pdf: Uint8Array; copies: number }> = [];
      for (const doc of claim.documents) {
        const res = await request(doc.url, { headers: { Accept: 'application/pdf' } });
        if (!res.ok) throw new Error(`document ${doc.url.split('?')[0]}: HTTP ${res.status} ${await errorCodeOf(res)}`);
        const pdf = new Uint8Array(await res.arrayBuffer());
        if (pdf.length < 5 || new TextDecoder().decode(pdf.subarray(0, 5)) !== '%PDF-') throw new Error(`document ${doc.url.split('?')[0]} is not a PDF`);
        pdfs.push({ pdf, copies: doc.copies });
      }
      for (const { pdf, copies } of pdfs) {
        await deps.printPdf(pdf, { deviceName: options.printerName, copies });
      }
    } catch (e) {
      const detail = e instanceof Refusal ? `network error while fetching the documents (${e.code})` : describe(e);
      try {
        await post(`${base}/fail`, csrf, { claimId: claim.claimId, detail });
      } catch {
        // The claim expires on its own (5 minutes); the job becomes printable then.
      }
      return { ok: false, code: PRINT_FAILED };
    }

    // 4. Complete.
    const completeRes = await post(`${base}/complete`, csrf, { claimId: claim.claimId });
    if (!completeRes.ok) throw new Refusal(await errorCodeOf(completeRes));
    const done = (await completeRes.json()) as { printedAt: string };
    return { ok: true, printedAt: done.printedAt };
  }

  return {
    print(jobId) {
      const current = running.get(jobId);
      if (current) return current;
      const result = run(jobId).catch((e: unknown): KioskPrintResult => ({
        ok: false,
        code: e instanceof Refusal ? e.code : PRINT_FAILED,
      }));
      const shared = result.finally(() => running.delete(jobId));
      running.set(jobId, shared);
      return shared;
    },

    async checkPrinter() {
      const name = options.printerName;
      let printers: KioskPrinterInfo[];
      try {
        printers = await deps.getPrintersAsync();
      } catch {
        return { name, available: false };
      }
      if (name !== null) return { name, available: printers.some((p) => p.name === name) };
      // Electron's PrinterInfo no longer reports `isDefault` on every platform: when no entry says,
      // printing without a deviceName goes to the OS default, which exists when any printer is listed.
      const reported = printers.some((p) => typeof p.isDefault === 'boolean');
      return { name, available: reported ? printers.some((p) => p.isDefault === true) : printers.length > 0 };
    },
  };
}
