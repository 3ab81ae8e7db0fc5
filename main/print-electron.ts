/**
 * Electron side of `printPdf` for main/print.ts: shows one PDF in a hidden window with Chromium's
 * built-in PDF viewer and prints it silently with `webContents.print` (which prints the viewer's
 * document, electron/electron#47377 and #47378).
 *
 * The PDF never touches the disk (Electron's security checklist: avoid `file://`). The print
 * window has a partition of its own, in memory only, whose `protocol.handle` serves the document
 * from memory at a one-time random `shomei-print://document/<id>.pdf` until the job ends; no
 * other session has the scheme, and the kiosk window's navigation guard allows no such URL.
 * The window: hidden, sandboxed, context-isolated, no Node, no preload, no devtools; its guards
 * (no navigation, no window.open, no <webview>, no permission, no download) come from
 * main/hardening.ts, which knows PRINT_PARTITION as a helper's.
 * Two settings are left on, because the viewer cannot work without them:
 *  - JavaScript: the viewer is an extension page in a frame of this same web contents, and
 *    `webPreferences.javascript` applies to every frame of it; the viewer's own script creates the
 *    plugin that draws (and prints) the pages. The document is the service's own signed PDF.
 *  - the scheme is `standard` (Chromium lets the viewer's frame load only web-safe schemes; a
 *    non-standard custom scheme gives a blank viewer, electron/electron#24859) and `secure` (the
 *    viewer's extension frame is a secure context and would block it as mixed content).
 * `plugins` stays off: Electron creates its internal PDF plugin whatever that option says.
 */
import { randomUUID } from 'node:crypto';
import { delay, withDeadline } from './deadline.js';
import type { BrowserWindowConstructorOptions, CustomScheme, ElectronApi, KioskTimers, KioskWindow, WebContentsPrintOptions } from './electron-api.js';
import type { PrintPdfOptions } from './print.js';
import { LOCKED_DOWN_PREFERENCES } from './window.js';

/** The print window's session partition: no `persist:` prefix, so it lives in memory only. */
export const PRINT_PARTITION = 'shomei-print';
export const PRINT_SCHEME = 'shomei-print';
/** For `protocol.registerSchemesAsPrivileged` (before ready): standard and secure, nothing more. */
export const PRINT_SCHEME_PRIVILEGES: CustomScheme = { scheme: PRINT_SCHEME, privileges: { standard: true, secure: true } };
const PRINT_HOST = 'document';

/** How long the PDF viewer may take to load before the job fails. */
export const LOAD_TIMEOUT_MS = 30_000;
/** The viewer is a plugin frame: give it a moment after the load to lay out the pages. */
export const SETTLE_MS = 500;

export function printWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    webPreferences: {
      partition: PRINT_PARTITION,
      ...LOCKED_DOWN_PREFERENCES,
      devTools: false,
      plugins: false,
      javascript: true,
    },
  };
}

export interface PdfPrinterDeps {
  api: Pick<ElectronApi, 'createWindow' | 'sessionFromPartition'>;
  timers: KioskTimers;
}

/** Returns `printPdf(pdf, { deviceName, copies })` for createKioskPrinter; rejects with the printer's reason. */
export function createElectronPdfPrinter({ api, timers }: PdfPrinterDeps) {
  /** The documents being printed, by id. */
  const documents = new Map<string, Uint8Array>();
  let serving = false;

  const answer = (request: Request): Response => {
    const url = new URL(request.url);
    const id = url.host === PRINT_HOST ? /^\/([0-9a-f-]{36})\.pdf$/.exec(url.pathname)?.[1] : undefined;
    const pdf = id === undefined ? undefined : documents.get(id);
    if (request.method !== 'GET' || pdf === undefined) return new Response(null, { status: 404 });
    return new Response(new Uint8Array(pdf), {
      headers: { 'Content-Type': 'application/pdf', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
    });
  };

  return async function printPdf(pdf: Uint8Array, { deviceName, copies }: PrintPdfOptions): Promise<void> {
    // protocol.handle works only once the app is ready, and may be called once per scheme.
    if (!serving) {
      api.sessionFromPartition(PRINT_PARTITION).protocol.handle(PRINT_SCHEME, answer);
      serving = true;
    }
    const id = randomUUID();
    documents.set(id, pdf);
    let win: KioskWindow | null = null;
    try {
      win = api.createWindow(printWindowOptions());
      const contents = win.webContents;
      await withDeadline(contents.loadURL(`${PRINT_SCHEME}://${PRINT_HOST}/${id}.pdf`), LOAD_TIMEOUT_MS, timers, 'the PDF did not load');
      await delay(SETTLE_MS, timers);
      const options: WebContentsPrintOptions = { silent: true, printBackground: true, copies: Math.max(1, copies) };
      if (deviceName) options.deviceName = deviceName;
      await new Promise<void>((resolve, reject) => {
        contents.print(options, (success, failureReason) => {
          if (success) resolve();
          else reject(new Error(`printer${deviceName ? ` ${deviceName}` : ''}: ${failureReason || 'print failed'}`));
        });
      });
    } finally {
      documents.delete(id);
      if (win && !win.isDestroyed()) win.destroy();
    }
  };
}
