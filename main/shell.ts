/**
 * The kiosk shell's start-up and life cycle, over the injected electron API (main.ts only builds
 * the real dependencies and calls `runKioskShell`):
 *   single-instance lock → User-Agent → config → locked-down window →
 *   config error page | loading page → terminal key → (embedded service, enrolled with a key made
 *   now) → navigation allow-list, terminal proof, check-in, bridge, recovery → login screen.
 */
import type { ElectronApi, KioskLog, KioskTimers, KioskWebContents, KioskWindow } from './electron-api.js';
import { createHardening, hardenEveryContents } from './hardening.js';
import { registerKioskIpc } from './ipc.js';
import type { KioskTerminalInfo, KioskPrintResult } from './kiosk-bridge.js';
import { defaultConfigPath, loadKioskConfig, machineConfigPath, serviceOriginOf, type KioskConfig } from './kiosk-config.js';
import { createNavigationPolicy, httpOriginOf } from './navigation.js';
import { configErrorPage, dataUrl, loadingPage, serviceErrorPage, type ServiceErrorInfo } from './pages.js';
import { PRINT_PARTITION, PRINT_SCHEME_PRIVILEGES } from './print-electron.js';
import { acquireSingleInstance, createRetry, installRecovery } from './recovery.js';
import { embeddedTerminalKey, parseTerminalKey, type TerminalKey } from './terminal-key.js';
import { createTerminalProver, installTerminalProof, provenFetch, reportingPrinter, startCheckIn, type CheckIn, type ProvenFetch } from './terminal-proof.js';
import { createKioskWindow, kioskUserAgent } from './window.js';
import { loginUrlOf, show, wipeAndShowLogin, wipeSession } from './wipe.js';

/** Seconds before the shell tries the service again after a failure. */
export const RETRY_SECONDS = 10;

/** A running service the shell started (startEmbeddedService of main/embedded-service.ts). */
export interface RunningService {
  readonly url: string;
  stop(): Promise<void>;
}

/** The printer of main/print.ts, bound to the service origin and the kiosk window. */
export interface ShellPrinter {
  print(jobId: string): Promise<KioskPrintResult>;
  checkPrinter(): Promise<{ name: string | null; available: boolean }>;
}

export interface KioskShellDeps {
  api: ElectronApi;
  log: KioskLog;
  timers: KioskTimers;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** process.resourcesPath (packaged builds keep the default kiosk.json there). */
  resourcesPath: string;
  /** The app's root: the repository in development, app.asar when packaged (holds resources/ and dist/). */
  appRoot: string;
  readFile(file: string): string;
  /** Absolute path of dist/main/preload.cjs. */
  preloadPath: string;
  /**
   * Starts the bundled service (no serverUrl); `onExit` is called if it dies later.
   * `terminalPublicKey`: the public half of the key this shell proves itself with, which the service
   * enrols as its own machine's terminal (null when kiosk.json gives a key of its own).
   */
  startService(options: { terminalPublicKey: string | null }, onExit: (error: Error) => void): Promise<RunningService>;
  /**
   * Builds the printer for the kiosk window at `serviceOrigin`: its requests go through `fetch` (the
   * window's session, with the terminal proof); `printPdf` results go through `reportPrinted`.
   */
  createPrinter(options: {
    contents: KioskWebContents;
    serviceOrigin: string;
    config: KioskConfig;
    fetch: ProvenFetch;
    reportPrinted: <A extends unknown[]>(printPdf: (...args: A) => Promise<void>) => (...args: A) => Promise<void>;
  }): ShellPrinter;
}

export interface KioskShell {
  readonly window: KioskWindow | null;
  /** The service origin the window is allowed to show, once known. */
  serviceOrigin(): string | null;
}

export function terminalInfoOf(config: KioskConfig, printer: { name: string | null; available: boolean }): KioskTerminalInfo {
  return {
    terminalId: config.terminalId,
    idleTimeoutSeconds: config.idleTimeoutSeconds,
    countdownSeconds: config.countdownSeconds,
    defaultLanguage: config.defaultLanguage,
    printer,
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function runKioskShell(deps: KioskShellDeps): Promise<KioskShell> {
  const { api, log, timers } = deps;
  const { app } = api;
  let win: KioskWindow | null = null;
  let origin: string | null = null;
  const shell: KioskShell = {
    get window() {
      return win;
    },
    serviceOrigin: () => origin,
  };

  const focus = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  };
  if (!acquireSingleInstance(app, focus)) return shell;

  const userAgent = kioskUserAgent(app.userAgentFallback, app.getVersion());
  app.userAgentFallback = userAgent;
  app.on('window-all-closed', () => app.quit());
  // The print window's in-memory scheme (main/print-electron.ts); Electron takes this only before ready.
  api.registerSchemesAsPrivileged([PRINT_SCHEME_PRIVILEGES]);

  await app.whenReady();

  const policy = createNavigationPolicy();
  // Before any window exists, so no web contents of the app ever runs unguarded.
  const hardening = createHardening({ policy, log, helperSessions: [api.sessionFromPartition(PRINT_PARTITION)] });
  hardenEveryContents(api, hardening);
  win = createKioskWindow(api, { preloadPath: deps.preloadPath, isPackaged: app.isPackaged, userAgent, hardening });
  const contents = win.webContents;

  const loaded = loadKioskConfig({
    defaultsFile: defaultConfigPath({ isPackaged: app.isPackaged, resourcesPath: deps.resourcesPath, appPath: deps.appRoot }),
    overrideFile: machineConfigPath(deps.platform, deps.env),
    readFile: deps.readFile,
  });
  if (!loaded.ok) {
    log.error('kiosk configuration invalid', { problems: loaded.problems });
    show(contents, dataUrl(configErrorPage(loaded.problems)), log);
    return shell;
  }
  const config = loaded.config;
  log.info('kiosk configuration loaded', { ...loaded.files, terminalId: config.terminalId, serverUrl: config.serverUrl });

  // The configured key (required with a serverUrl); with the embedded service and none configured, a
  // key made now whose public half the service receives in its environment (it never leaves this machine).
  const configured = config.terminalKey === null ? null : parseTerminalKey(config.terminalKey);
  const terminal: { key: TerminalKey; publicKey: string | null } = configured ? { key: configured, publicKey: null } : embeddedTerminalKey();
  const prover = createTerminalProver({ key: terminal.key, shellVersion: app.getVersion() });
  let checkIn: CheckIn | null = null;

  const retry = createRetry(timers);
  let printer: ShellPrinter | null = null;
  let service: RunningService | null = null;

  const showServiceError = (info: Omit<ServiceErrorInfo, 'retrySeconds'>, again: () => void) => {
    show(contents, dataUrl(serviceErrorPage({ ...info, retrySeconds: RETRY_SECONDS })), log);
    retry.schedule(RETRY_SECONDS * 1000, again);
  };

  /** The service is at `serviceOrigin`: allow it (and the IdPs), bind the printer, show the login. */
  const useService = (serviceOrigin: string) => {
    origin = serviceOrigin;
    policy.setOrigins([serviceOrigin, ...config.allowedIdpOrigins]);
    installTerminalProof(contents.session, prover, serviceOrigin);
    const fetch = provenFetch((url, init) => contents.session.fetch(url, init), prover, serviceOrigin);
    const current = deps.createPrinter({ contents, serviceOrigin, config, fetch, reportPrinted: (printPdf) => reportingPrinter(printPdf, prover) });
    printer = current;
    let warned = false;
    checkIn?.stop();
    checkIn = startCheckIn({
      fetch,
      prover,
      serviceOrigin,
      timers,
      log,
      checkPrinter: async () => {
        try {
          const status = await current.checkPrinter();
          if (!status.available && !warned) log.warn('kiosk printer not found', { printer: status.name });
          warned = !status.available;
          return status;
        } catch (e) {
          log.warn('kiosk printer check failed', { error: message(e) });
          throw e;
        }
      },
    });
    show(contents, loginUrlOf(serviceOrigin), log);
  };

  const startEmbedded = async (): Promise<void> => {
    show(contents, dataUrl(loadingPage()), log);
    try {
      service = await deps.startService({ terminalPublicKey: terminal.publicKey }, (error) => {
        log.error('kiosk embedded service stopped', { error: message(error) });
        service = null;
        origin = null;
        checkIn?.stop();
        policy.setOrigins([]);
        showServiceError({ kind: 'embedded', detail: codeOf(error), retryUrl: null }, () => void startEmbedded());
      });
    } catch (e) {
      log.error('kiosk embedded service did not start', { error: message(e) });
      showServiceError({ kind: 'embedded', detail: codeOf(e), retryUrl: null }, () => void startEmbedded());
      return;
    }
    useService(serviceOriginOf(service.url));
  };

  registerKioskIpc({
    ipcMain: api.ipcMain,
    expected: () => ({ contentsId: contents.isDestroyed() ? null : contents.id, serviceOrigin: origin }),
    log,
    handlers: {
      terminal: async () => {
        const status = printer
          ? await printer.checkPrinter().catch(() => ({ name: config.printerName, available: false }))
          : { name: config.printerName, available: false };
        return terminalInfoOf(config, status);
      },
      print: (jobId) => (printer ? printer.print(jobId) : Promise.resolve({ ok: false, code: 'campus.printFailed' })),
      // The sender check already requires a known origin.
      sessionEnded: async () => {
        if (origin) await wipeAndShowLogin(contents, loginUrlOf(origin), log, timers);
        else await wipeSession(contents.session, log, timers);
      },
    },
  });

  installRecovery({
    contents,
    timers,
    log,
    recover: () => (origin ? wipeAndShowLogin(contents, loginUrlOf(origin), log, timers) : Promise.resolve()),
    isServiceUrl: (url) => origin !== null && httpOriginOf(url) === origin,
    onServiceLoadFailed: ({ errorCode, errorDescription }) => {
      if (!origin) return;
      const login = loginUrlOf(origin);
      showServiceError({ kind: 'unreachable', detail: `${errorDescription} (${errorCode})`, retryUrl: login }, () => show(contents, login, log));
    },
  });

  app.on('will-quit', () => {
    checkIn?.stop();
    void service?.stop();
  });

  if (config.serverUrl) useService(serviceOriginOf(config.serverUrl));
  else await startEmbedded();
  return shell;
}

/** The stable code of a start-up error (EmbeddedServiceError.code), never its stack. */
function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const exit = (e as { exitCode?: unknown } | null)?.exitCode;
  if (typeof code === 'string') return typeof exit === 'number' ? `${code} (exit ${exit})` : code;
  return 'embedded.failed';
}
