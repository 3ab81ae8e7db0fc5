import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KIOSK_CHANNELS, type KioskTerminalInfo } from '../../main/kiosk-bridge.js';
import { createElectronPdfPrinter, PRINT_PARTITION, PRINT_SCHEME, SETTLE_MS } from '../../main/print-electron.js';
import { RETRY_SECONDS, runKioskShell, type KioskShellDeps, type RunningService } from '../../main/shell.js';
import { WIPE_STEP_DEADLINE_MS } from '../../main/wipe.js';
import { fakeElectron, fakeEvent, globalTimers, kioskConfig, recordingLog, TEST_TERMINAL_KEY, type FakeElectron } from '../support/kiosk-electron.js';

/**
 * The shell's life cycle (main/shell.ts) over the stand-in electron API: configuration, embedded or
 * remote service, the login screen, the bridge, the wipe, the error pages and their retry.
 */
const APP_ROOT = '/opt/shomei/app';
const DEFAULTS_FILE = `${APP_ROOT}/resources/kiosk/kiosk.json`;
const MACHINE_FILE = '/etc/shomei/kiosk.json';
const EMBEDDED = 'http://127.0.0.1:41234';
const REMOTE = 'https://shomei.example.ac.jp';
const IDP = 'https://idp.example.ac.jp';

const shipped = kioskConfig();

interface Harness {
  electron: FakeElectron;
  log: ReturnType<typeof recordingLog>;
  /** Each start of the embedded service; `fail` makes the next start reject. */
  starts: Array<{ onExit: (error: Error) => void; stopped: boolean }>;
  printed: string[];
  deps: KioskShellDeps;
}

function harness(options: { machine?: unknown; startFails?: number; printers?: string[] } = {}): Harness {
  const electron = fakeElectron();
  const log = recordingLog();
  const starts: Harness['starts'] = [];
  const printed: string[] = [];
  let failuresLeft = options.startFails ?? 0;
  const files: Record<string, string> = { [DEFAULTS_FILE]: JSON.stringify(shipped) };
  if (options.machine !== undefined) files[MACHINE_FILE] = typeof options.machine === 'string' ? options.machine : JSON.stringify(options.machine);
  const deps: KioskShellDeps = {
    api: electron.api,
    log,
    timers: globalTimers,
    platform: 'linux',
    env: {},
    resourcesPath: '/opt/shomei/resources',
    appRoot: APP_ROOT,
    readFile: (file) => {
      const text = files[file];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      return text;
    },
    preloadPath: `${APP_ROOT}/dist/main/preload.cjs`,
    startService: async (_options, onExit) => {
      const start = { onExit, stopped: false };
      starts.push(start);
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw Object.assign(new Error('The embedded service exited with code 1'), { code: 'embedded.exited', exitCode: 1 });
      }
      const service: RunningService = {
        url: EMBEDDED,
        stop: async () => {
          start.stopped = true;
        },
      };
      return service;
    },
    createPrinter: ({ contents, config }) => ({
      print: async (jobId) => {
        printed.push(jobId);
        return { ok: true, printedAt: '2026-12-04T10:00:00.000Z' };
      },
      checkPrinter: async () => {
        const printers = await contents.getPrintersAsync();
        return { name: config.printerName, available: printers.some((p) => config.printerName === null || p.name === config.printerName) };
      },
    }),
  };
  // The window's printers, once the shell created it.
  const create = electron.api.createWindow;
  electron.api = {
    ...electron.api,
    createWindow: (o) => {
      const win = create(o);
      (win.webContents as unknown as { printers: { name: string }[] }).printers = (options.printers ?? ['Campus-Printer-1']).map((name) => ({ name }));
      return win;
    },
  };
  deps.api = electron.api;
  return { electron, log, starts, printed, deps };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('the kiosk shell', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('with no serverUrl shows the loading page, starts the embedded service and then its login screen', async () => {
    const h = harness();
    const shell = await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    expect(contents.loaded[0]).toMatch(/^data:text\/html/);
    expect(decodeURIComponent(contents.loaded[0]!)).toContain('Starting, please wait');
    expect(h.starts).toHaveLength(1);
    expect(contents.current).toBe(`${EMBEDDED}/login`);
    expect(shell.serviceOrigin()).toBe(EMBEDDED);
    expect(contents.userAgent).toMatch(/ ShomeiKiosk\/0\.1\.0$/);
  });

  it('with a serverUrl opens that server’s login screen, starts no service, and lets the page go only to it and the IdPs', async () => {
    const h = harness({ machine: { serverUrl: `${REMOTE}/`, terminalKey: TEST_TERMINAL_KEY, allowedIdpOrigins: [IDP] } });
    await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    expect(h.starts).toHaveLength(0);
    expect(contents.current).toBe(`${REMOTE}/login`);
    for (const [url, allowed] of [
      [`${IDP}/idp/profile/SAML2/Redirect/SSO`, true],
      [`${REMOTE}/home`, true],
      ['https://www.example.org/', false],
      [`${EMBEDDED}/login`, false],
    ] as const) {
      const event = fakeEvent({ url });
      contents.emit('will-navigate', event, url);
      expect(event.defaultPrevented, url).toBe(!allowed);
    }
  });

  it('an iframe on a page of the kiosk window (an IdP page’s, say) may go only to the service and the IdPs', async () => {
    const h = harness({ machine: { serverUrl: REMOTE, terminalKey: TEST_TERMINAL_KEY, allowedIdpOrigins: [IDP] } });
    await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    for (const [url, allowed] of [
      [`${IDP}/idp/profile/SAML2/Redirect/SSO`, true],
      [`${REMOTE}/saml/acs`, true],
      ['https://tracker.example.com/pixel', false],
      ['javascript:alert(1)', false],
      ['file:///etc/passwd', false],
    ] as const) {
      const event = fakeEvent({ url, isMainFrame: false });
      contents.emit('will-frame-navigate', event);
      expect(event.defaultPrevented, url).toBe(!allowed);
    }
    expect(h.log.entries).toContainEqual(expect.objectContaining({ message: 'kiosk navigation refused', fields: expect.objectContaining({ kind: 'frame' }) }));
  });

  it('registers the print window’s scheme before the app is ready: standard and secure, no other privilege', async () => {
    const h = harness();
    await runKioskShell(h.deps);
    expect(h.electron.privilegedSchemes).toEqual([{ scheme: PRINT_SCHEME, privileges: { standard: true, secure: true } }]);
  });

  it('gives the hidden print window a helper’s guards: it navigates nowhere, no permission, no download, its viewer’s frames untouched', async () => {
    const h = harness({ machine: { serverUrl: REMOTE, terminalKey: TEST_TERMINAL_KEY } });
    await runKioskShell(h.deps);
    const printPdf = createElectronPdfPrinter({ api: h.electron.api, timers: globalTimers });
    const job = printPdf(new TextEncoder().encode('%PDF-1.7\n'), { deviceName: null, copies: 1 });
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    await job;
    const print = h.electron.windows[1]!;
    expect(print.webContents.session).toBe(h.electron.sessions.get(PRINT_PARTITION));
    const away = fakeEvent({ url: `${REMOTE}/home` });
    print.webContents.emit('will-navigate', away, away.url);
    expect(away.defaultPrevented).toBe(true);
    expect(print.webContents.count('will-navigate')).toBe(1);
    expect(print.webContents.count('will-frame-navigate')).toBe(0);
    expect(print.webContents.windowOpenHandler!({ url: REMOTE } as never)).toEqual({ action: 'deny' });
    expect(print.webContents.session.checkHandler!({}, 'media' as never, REMOTE, {} as never)).toBe(false);
    expect(print.webContents.session.count('will-download')).toBe(1);
  });

  it('with a bad machine-wide file shows IT staff the file, field and rule in both languages and starts nothing', async () => {
    const h = harness({ machine: { serverUrl: 'http://shomei.example.ac.jp', idleTimeoutSeconds: 5 } });
    const shell = await runKioskShell(h.deps);
    const page = decodeURIComponent(h.electron.window.webContents.current);
    expect(page).toContain(MACHINE_FILE);
    expect(page).toContain('serverUrl');
    expect(page).toContain('idleTimeoutSeconds');
    expect(page).toContain('設定に誤りがあるため');
    expect(page).toContain('configuration is invalid');
    expect(page).not.toMatch(/at .*\.js:\d+/);
    expect(h.starts).toHaveLength(0);
    expect(shell.serviceOrigin()).toBeNull();
    expect(h.electron.ipcMain.handlers.size).toBe(0);
  });

  it('a machine-wide file that is not JSON gets the same page, not a broken kiosk', async () => {
    const h = harness({ machine: '{ "serverUrl": ' });
    await runKioskShell(h.deps);
    expect(decodeURIComponent(h.electron.window.webContents.current)).toContain('not valid JSON');
  });

  it('gives the service page its terminal settings and printer status; a missing printer is logged for staff', async () => {
    const h = harness({ machine: { printerName: 'Campus-Printer-2', terminalId: 'lib-2F.03', defaultLanguage: 'en' }, printers: ['Campus-Printer-1'] });
    await runKioskShell(h.deps);
    await flush();
    const contents = h.electron.window.webContents;
    const info = (await h.electron.ipcMain.invoke(KIOSK_CHANNELS.terminal, contents, contents.mainFrame())) as KioskTerminalInfo;
    expect(info).toEqual({
      terminalId: 'lib-2F.03',
      idleTimeoutSeconds: 120,
      countdownSeconds: 30,
      defaultLanguage: 'en',
      printer: { name: 'Campus-Printer-2', available: false },
    });
    expect(h.log.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: 'kiosk printer not found' }));
  });

  it('prints a job the service page asks for, and refuses the same call from the IdP page', async () => {
    const h = harness({ machine: { serverUrl: REMOTE, terminalKey: TEST_TERMINAL_KEY, allowedIdpOrigins: [IDP] } });
    await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    await expect(h.electron.ipcMain.invoke(KIOSK_CHANNELS.print, contents, contents.mainFrame(), 'job-1')).resolves.toMatchObject({ ok: true });
    await expect(h.electron.ipcMain.invoke(KIOSK_CHANNELS.print, contents, contents.mainFrame(`${IDP}/login`), 'job-2')).rejects.toThrow(/refused/);
    expect(h.printed).toEqual(['job-1']);
  });

  it('after the renderer’s logout wipes storage, cache and auth cache, then shows the login screen to the next visitor', async () => {
    const h = harness();
    await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    contents.loaded.push(`${EMBEDDED}/home`);
    await h.electron.ipcMain.invoke(KIOSK_CHANNELS.sessionEnded, contents, contents.mainFrame());
    expect(contents.session.calls).toEqual(['clearStorageData', 'clearCache', 'clearAuthCache', 'clearHostResolverCache']);
    expect(contents.current).toBe(`${EMBEDDED}/login`);
  });

  it('a crashed page is wiped and back at the login screen within 5 seconds', async () => {
    const h = harness();
    await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    contents.loaded.push(`${EMBEDDED}/certificates/issue`);
    contents.emit('render-process-gone', fakeEvent(), { reason: 'oom', exitCode: 0 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(contents.session.calls).toContain('clearStorageData');
    expect(contents.current).toBe(`${EMBEDDED}/login`);
  });

  it('a crashed page is at the login screen within 5 seconds even when clearing its storage never finishes', async () => {
    const h = harness();
    await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    contents.session.hanging.add('clearStorageData');
    contents.loaded.push(`${EMBEDDED}/certificates/issue`);
    contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(contents.current).toBe(`${EMBEDDED}/login`);
    expect(h.log.entries).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'kiosk wipe step timed out', fields: { step: 'storage', afterMs: WIPE_STEP_DEADLINE_MS } }),
    );
  });

  it('when the embedded service does not start, shows the error page and tries again by itself', async () => {
    const h = harness({ startFails: 1 });
    await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    const page = decodeURIComponent(contents.current);
    expect(page).toContain('could not be started');
    expect(page).toContain('embedded.exited (exit 1)');
    await vi.advanceTimersByTimeAsync(RETRY_SECONDS * 1000);
    expect(h.starts).toHaveLength(2);
    expect(contents.current).toBe(`${EMBEDDED}/login`);
  });

  it('when the embedded service dies later, closes navigation, shows the error page and starts it again', async () => {
    const h = harness();
    const shell = await runKioskShell(h.deps);
    const contents = h.electron.window.webContents;
    h.starts[0]!.onExit(Object.assign(new Error('exited'), { code: 'embedded.exited', exitCode: 139 }));
    expect(shell.serviceOrigin()).toBeNull();
    const event = fakeEvent({ url: `${EMBEDDED}/home` });
    contents.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented).toBe(true);
    expect(decodeURIComponent(contents.current)).toContain('embedded.exited (exit 139)');
    await vi.advanceTimersByTimeAsync(RETRY_SECONDS * 1000);
    expect(h.starts).toHaveLength(2);
    expect(contents.current).toBe(`${EMBEDDED}/login`);
  });

  it('stops the embedded service when the app quits', async () => {
    const h = harness();
    await runKioskShell(h.deps);
    h.electron.app.emit('will-quit');
    expect(h.starts[0]!.stopped).toBe(true);
  });

  it('a second start of the kiosk quits without opening a window', async () => {
    const h = harness();
    h.electron.app.hasLock = false;
    const shell = await runKioskShell(h.deps);
    expect(h.electron.app.quits).toBe(1);
    expect(h.electron.windows).toHaveLength(0);
    expect(shell.window).toBeNull();
  });
});
