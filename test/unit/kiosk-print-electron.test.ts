import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElectronPdfPrinter, LOAD_TIMEOUT_MS, PRINT_PARTITION, PRINT_SCHEME, SETTLE_MS } from '../../main/print-electron.js';
import { KIOSK_PARTITION } from '../../main/window.js';
import { fakeElectron, globalTimers, type FakeElectron, type FakeSession, type FakeWindow } from '../support/kiosk-electron.js';

/**
 * The hidden print window of main/print-electron.ts over the stand-in electron API: how it is made,
 * what it loads and from where, and that nothing of the document outlives the job.
 */
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

function printer(prepare: (win: FakeWindow) => void = () => {}) {
  const electron = fakeElectron();
  const create = electron.api.createWindow;
  // Let a test decide how the window's load and print go, before they run.
  electron.api = {
    ...electron.api,
    createWindow: (options) => {
      const win = create(options) as FakeWindow;
      prepare(win);
      return win;
    },
  };
  return { electron, printPdf: createElectronPdfPrinter({ api: electron.api, timers: globalTimers }) };
}

/** Runs a print to its end (the load, the viewer's settle time, the printer's answer). */
async function run(job: Promise<void>): Promise<{ error: Error | null }> {
  const outcome = job.then(
    () => ({ error: null }),
    (e: unknown) => ({ error: e as Error }),
  );
  await vi.advanceTimersByTimeAsync(LOAD_TIMEOUT_MS + SETTLE_MS);
  return outcome;
}

/** What a page of the print window's session gets for `url`. */
const fetchInPrintSession = (electron: FakeElectron, url: string, init?: RequestInit) => electron.sessions.get(PRINT_PARTITION)!.protocol.fetch(url, init);

describe('the hidden print window', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is hidden, sandboxed and isolated, without Node, preload or devtools, in an in-memory partition of its own', async () => {
    const { electron, printPdf } = printer();
    expect((await run(printPdf(PDF, { deviceName: null, copies: 1 }))).error).toBeNull();
    const win = electron.window;
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({
      partition: PRINT_PARTITION,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      plugins: false,
    });
    expect(win.options.webPreferences?.preload).toBeUndefined();
    expect(PRINT_PARTITION.startsWith('persist:')).toBe(false);
    expect(PRINT_PARTITION).not.toBe(KIOSK_PARTITION);
    expect(win.webContents.session).toBe(electron.sessions.get(PRINT_PARTITION));
  });

  it('loads the PDF from memory at a one-time shomei-print: URL that answers the document only while the job runs', async () => {
    let seenWhileLoading: Response | null = null;
    let otherId: Response | null = null;
    const { electron, printPdf } = printer((win) => {
      win.webContents.loadResult = async () => {
        const url = win.webContents.current;
        seenWhileLoading = await fetchInPrintSession(electron, url);
        otherId = await fetchInPrintSession(electron, url.replace(/[0-9a-f]{8}-/, '00000000-'));
      };
    });
    expect((await run(printPdf(PDF, { deviceName: null, copies: 1 }))).error).toBeNull();
    const url = electron.window.webContents.loaded[0]!;
    expect(url).toMatch(new RegExp(`^${PRINT_SCHEME}://document/[0-9a-f-]{36}\\.pdf$`));
    expect(electron.window.webContents.loaded).toEqual([url]);

    const served = seenWhileLoading! as Response;
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PDF);
    expect((otherId! as Response).status).toBe(404);

    // Once the job is over the URL answers nothing, and nothing else ever did.
    expect((await fetchInPrintSession(electron, url)).status).toBe(404);
    expect((await fetchInPrintSession(electron, `${PRINT_SCHEME}://document/`)).status).toBe(404);
    expect((await fetchInPrintSession(electron, `${PRINT_SCHEME}://other/x.pdf`)).status).toBe(404);
    // The kiosk window's session has no such scheme.
    await expect((electron.api.sessionFromPartition(KIOSK_PARTITION) as FakeSession).protocol.fetch(url)).rejects.toThrow(/ERR_UNKNOWN_URL_SCHEME/);
  });

  it('serves the document to GET only', async () => {
    let posted: Response | null = null;
    const { electron, printPdf } = printer((win) => {
      win.webContents.loadResult = async () => {
        posted = await fetchInPrintSession(electron, win.webContents.current, { method: 'POST', body: 'x' });
      };
    });
    await run(printPdf(PDF, { deviceName: null, copies: 1 }));
    expect((posted! as Response).status).toBe(404);
  });

  it('prints silently on the configured printer with the copies asked for, then closes the window', async () => {
    const { electron, printPdf } = printer();
    expect((await run(printPdf(PDF, { deviceName: 'Campus_Printer_1', copies: 2 }))).error).toBeNull();
    const win = electron.window;
    expect(win.webContents.prints).toEqual([{ silent: true, printBackground: true, copies: 2, deviceName: 'Campus_Printer_1' }]);
    expect(win.destroyed).toBe(true);
  });

  it('prints on the OS default printer when none is configured, and at least one copy', async () => {
    const { electron, printPdf } = printer();
    await run(printPdf(PDF, { deviceName: null, copies: 0 }));
    expect(electron.window.webContents.prints).toEqual([{ silent: true, printBackground: true, copies: 1 }]);
  });

  it('waits for the viewer to lay out the pages before printing', async () => {
    const { electron, printPdf } = printer();
    const job = printPdf(PDF, { deviceName: null, copies: 1 });
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 1);
    expect(electron.window.webContents.prints).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await job;
    expect(electron.window.webContents.prints).toHaveLength(1);
  });

  it("rejects with the printer's reason, and still closes the window and drops the document", async () => {
    const { electron, printPdf } = printer((win) => {
      win.webContents.printResult = [false, 'Print job failed'];
    });
    const { error } = await run(printPdf(PDF, { deviceName: 'Campus_Printer_1', copies: 1 }));
    expect(error?.message).toBe('printer Campus_Printer_1: Print job failed');
    expect(electron.window.destroyed).toBe(true);
    expect((await fetchInPrintSession(electron, electron.window.webContents.loaded[0]!)).status).toBe(404);
  });

  it('rejects when the PDF cannot be loaded, prints nothing, and cleans up', async () => {
    const { electron, printPdf } = printer((win) => {
      win.webContents.loadResult = () => Promise.reject(new Error('ERR_FAILED (-2) loading shomei-print://document/…'));
    });
    const { error } = await run(printPdf(PDF, { deviceName: null, copies: 1 }));
    expect(error?.message).toMatch(/ERR_FAILED/);
    expect(electron.window.webContents.prints).toEqual([]);
    expect(electron.window.destroyed).toBe(true);
    expect((await fetchInPrintSession(electron, electron.window.webContents.loaded[0]!)).status).toBe(404);
  });

  it('gives up on a load that never finishes, and cleans up', async () => {
    const { electron, printPdf } = printer((win) => {
      win.webContents.loadResult = () => new Promise<void>(() => {});
    });
    const { error } = await run(printPdf(PDF, { deviceName: null, copies: 1 }));
    expect(error?.message).toBe('the PDF did not load');
    expect(electron.window.webContents.prints).toEqual([]);
    expect(electron.window.destroyed).toBe(true);
  });

  it('prints one job after another with a window and a URL each', async () => {
    const { electron, printPdf } = printer();
    await run(printPdf(PDF, { deviceName: null, copies: 1 }));
    await run(printPdf(PDF, { deviceName: null, copies: 1 }));
    expect(electron.windows).toHaveLength(2);
    expect(electron.windows.every((w) => w.destroyed)).toBe(true);
    expect(electron.windows[0]!.webContents.loaded[0]).not.toBe(electron.windows[1]!.webContents.loaded[0]);
  });
});
