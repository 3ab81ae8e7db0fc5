/**
 * Kiosk shell entry point: the composition root. It builds the real Electron objects into the
 * injected API of main/electron-api.ts and hands them to `runKioskShell` (main/shell.ts), where
 * all the behaviour lives and is unit-tested with a stand-in. Nothing in `npm install`,
 * `npm test` or `npm start` loads this file (the Electron binary is not needed for them).
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, net, protocol, session, utilityProcess } from 'electron';
import type { ElectronApi, KioskLog, KioskTimers } from './electron-api.js';
import { servicePathIn, startEmbeddedService } from './embedded-service.js';
import { createElectronPdfPrinter } from './print-electron.js';
import { createKioskPrinter } from './print.js';
import { runKioskShell } from './shell.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// dist/main/main.js → the repository root in development, the root of app.asar when packaged.
const appRoot = path.resolve(here, '..', '..');

// One JSON line per event, on stdout and in <userData>/logs/kiosk.log (kept to about 5 MB: the
// previous file is kept as kiosk.1.log) so IT staff can read what happened on a packaged terminal.
const logDir = path.join(app.getPath('userData'), 'logs');
const logFile = path.join(logDir, 'kiosk.log');
let logStream: WriteStream | null = null;
try {
  mkdirSync(logDir, { recursive: true });
  if (existsSync(logFile) && statSync(logFile).size > 5 * 1024 * 1024) renameSync(logFile, path.join(logDir, 'kiosk.1.log'));
  logStream = createWriteStream(logFile, { flags: 'a', mode: 0o600 });
  logStream.on('error', () => {
    logStream = null;
  });
} catch {
  // No log file (read-only profile): stdout only.
}
const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
  process.stdout.write(`${line}\n`);
  logStream?.write(`${line}\n`);
};
const log: KioskLog = { info: write('info'), warn: write('warn'), error: write('error') };

const api: ElectronApi = {
  app,
  ipcMain,
  createWindow: (options) => new BrowserWindow(options),
  removeApplicationMenu: () => Menu.setApplicationMenu(null),
  sessionFromPartition: (partition) => session.fromPartition(partition),
  registerSchemesAsPrivileged: (schemes) => protocol.registerSchemesAsPrivileged(schemes),
};

const timers: KioskTimers = { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };
const printPdf = createElectronPdfPrinter({ api, timers });

void runKioskShell({
  api,
  log,
  timers,
  platform: process.platform,
  env: process.env,
  resourcesPath: process.resourcesPath,
  appRoot,
  readFile: (file) => readFileSync(file, 'utf8'),
  preloadPath: path.join(here, 'preload.cjs'),
  startService: ({ terminalPublicKey }, onExit) =>
    startEmbeddedService(
      { fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options), fetch: (url, init) => net.fetch(url, init) },
      {
        servicePath: servicePathIn(appRoot),
        dataDir: path.join(app.getPath('userData'), 'data'),
        env: terminalPublicKey ? { SHOMEI_EMBEDDED_TERMINAL_KEY: terminalPublicKey } : {},
        onExit,
      },
    ),
  createPrinter: ({ contents, serviceOrigin, config, fetch, reportPrinted }) =>
    createKioskPrinter(
      { fetch, printPdf: reportPrinted(printPdf), getPrintersAsync: () => contents.getPrintersAsync() },
      { serviceUrl: serviceOrigin, printerName: config.printerName },
    ),
}).catch((e: unknown) => {
  log.error('kiosk shell failed to start', { error: e instanceof Error ? e.message : String(e) });
  app.quit();
});
