/**
 * Electron side of `printPdf` for main/print.ts: writes the PDF to a private temp file, opens it in
 * a hidden window with Chromium's PDF viewer (`plugins: true`) and prints it silently with
 * `webContents.print` (Electron ≥ 32 prints PDF documents, electron/electron#43309). Needs the
 * real Electron, so it is not unit-tested; keep it small.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContentsPrintOptions } from 'electron';
import type { PrintPdfOptions } from './print.js';

/** `BrowserWindow` constructor (inject `electron.BrowserWindow`). */
export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** How long the PDF viewer may take to render before printing starts. */
const LOAD_TIMEOUT_MS = 30_000;
/** The viewer is a plugin frame: give it a moment after `did-finish-load` to lay out the pages. */
const SETTLE_MS = 500;

/** Returns `printPdf(pdf, { deviceName, copies })` for createKioskPrinter; rejects with the printer's reason. */
export function createElectronPdfPrinter(BrowserWindowCtor: BrowserWindowClass) {
  return async function printPdf(pdf: Uint8Array, { deviceName, copies }: PrintPdfOptions): Promise<void> {
    const dir = await mkdtemp(path.join(tmpdir(), 'shomei-print-'));
    const file = path.join(dir, 'document.pdf');
    const win = new BrowserWindowCtor({
      show: false,
      webPreferences: { plugins: true, sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: true },
    });
    try {
      await writeFile(file, pdf, { mode: 0o600 });
      await withTimeout(win.loadFile(file), LOAD_TIMEOUT_MS, 'the PDF did not load');
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const options: WebContentsPrintOptions = { silent: true, printBackground: true, copies: Math.max(1, copies) };
      if (deviceName) options.deviceName = deviceName;
      await new Promise<void>((resolve, reject) => {
        win.webContents.print(options, (success, failureReason) => {
          if (success) resolve();
          else reject(new Error(`printer${deviceName ? ` ${deviceName}` : ''}: ${failureReason || 'print failed'}`));
        });
      });
    } finally {
      if (!win.isDestroyed()) win.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
