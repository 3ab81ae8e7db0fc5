/**
 * A hand-written stand-in of the injected electron API (main/electron-api.ts) for the kiosk
 * shell's unit tests: event emitters that record what the shell did (pages loaded, handlers set,
 * storages cleared) and let a test fire the events Electron would.
 */
import type {
  CustomScheme,
  ElectronApi,
  KioskApp,
  KioskFrame,
  KioskInvokeEvent,
  KioskIpcMain,
  KioskLog,
  KioskRequestDetails,
  KioskProtocol,
  KioskSession,
  KioskWebRequest,
  KioskWebContents,
  KioskWindow,
} from '../../main/electron-api.js';
import type { KioskConfig } from '../../main/kiosk-config.js';

/** A well-formed terminal key (as the console issues them) for configurations that name a server. */
export const TEST_TERMINAL_KEY = `stk1.kiosk-test.${Buffer.alloc(32, 7).toString('base64url')}`;

/** A terminal configuration: the shipped defaults (resources/kiosk/kiosk.json) with `overrides`. */
export function kioskConfig(overrides: Partial<KioskConfig> = {}): KioskConfig {
  return {
    serverUrl: null,
    allowedIdpOrigins: [],
    printerName: null,
    idleTimeoutSeconds: 120,
    countdownSeconds: 30,
    terminalId: 'kiosk-01',
    defaultLanguage: 'ja',
    terminalKey: null,
    ...overrides,
  };
}

type Listener = (...args: any[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** An Electron event: records preventDefault; extra fields (url, isMainFrame…) as given. */
export function fakeEvent<T extends object>(fields: T = {} as T): T & { preventDefault(): void; readonly defaultPrevented: boolean } {
  let prevented = false;
  Object.defineProperty(fields, 'defaultPrevented', { get: () => prevented });
  return Object.assign(fields, {
    preventDefault() {
      prevented = true;
    },
  }) as T & { preventDefault(): void; readonly defaultPrevented: boolean };
}

type BeforeSendHeaders = Parameters<KioskWebRequest['onBeforeSendHeaders']>;

/**
 * The session's webRequest: keeps the one onBeforeSendHeaders listener and its filter (as Electron
 * does, registering again replaces it) and runs a request through them as the network stack would.
 */
export class FakeWebRequest implements KioskWebRequest {
  filter: BeforeSendHeaders[0] | null = null;
  listener: BeforeSendHeaders[1] = null;
  registrations = 0;
  onBeforeSendHeaders(filter: BeforeSendHeaders[0], listener: BeforeSendHeaders[1]): void {
    this.filter = filter;
    this.listener = listener;
    this.registrations += 1;
  }
  /** The headers a request to `url` leaves with: the listener runs only when the filter's patterns match, like Electron's. */
  send(method: string, url: string, requestHeaders: Record<string, string> = {}): Record<string, string | string[]> {
    const details: KioskRequestDetails = { method, url, requestHeaders: { ...requestHeaders } };
    if (!this.listener || !(this.filter?.urls ?? []).some((pattern) => matchesPattern(pattern, url))) return details.requestHeaders;
    let sent: Record<string, string | string[]> | null = null;
    this.listener(details, (response) => {
      if (response.cancel) throw new Error('request cancelled');
      sent = response.requestHeaders ?? details.requestHeaders;
    });
    if (!sent) throw new Error('the listener did not call back synchronously');
    return sent;
  }
}

/** Electron's URL patterns as the shell uses them: `<all_urls>` or `<scheme>://<host[:port]>/<path with *>`. */
function matchesPattern(pattern: string, url: string): boolean {
  if (pattern === '<all_urls>') return /^(https?|wss?|ftp|file):/.test(url);
  const m = /^([a-z*]+):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!m) throw new Error(`invalid URL pattern ${pattern}`);
  const target = new URL(url);
  const [, scheme, host, pathPattern] = m;
  if (scheme !== '*' && `${scheme}:` !== target.protocol) return false;
  if (host !== target.host) return false;
  const path = new RegExp(
    `^${pathPattern!
      .split('*')
      .map((p) => p.replace(/[.?+^$()[\]{}|\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return path.test(target.pathname + target.search);
}

/** A recorded main-process request over a fake session. */
export interface FakeFetchCall {
  url: string;
  init: RequestInit;
  headers: Headers;
}

/** A session's protocol: the handlers registered, and what a page of the session would get. */
export class FakeProtocol implements KioskProtocol {
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    // Electron throws when a scheme is handled twice.
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  /** What a request for `url` from a page of this session answers (a network error when no handler). */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new TypeError(`net::ERR_UNKNOWN_URL_SCHEME ${url}`);
    return handler(new Request(url, init));
  }
}

export class FakeSession extends FakeEmitter implements KioskSession {
  readonly webRequest = new FakeWebRequest();
  /** Every `fetch` of the main process over this session. */
  readonly fetches: FakeFetchCall[] = [];
  /** How the "network" answers `fetch` (default: 200 with an enrolled terminal's check-in answer). */
  respond: (call: FakeFetchCall) => Promise<Response> = async () =>
    new Response(JSON.stringify({ id: 'kiosk', name: 'kiosk' }), {
      status: 200,
      headers: { 'content-type': 'application/json', date: new Date().toUTCString() },
    });
  readonly calls: string[] = [];
  readonly protocol = new FakeProtocol();
  requestHandler: Parameters<KioskSession['setPermissionRequestHandler']>[0] = null;
  checkHandler: Parameters<KioskSession['setPermissionCheckHandler']>[0] = null;
  /** Steps that reject (to test that the others still run). */
  readonly failing = new Set<string>();
  /** Steps that never settle (a stuck storage backend). */
  readonly hanging = new Set<string>();

  private step(name: string): Promise<void> {
    this.calls.push(name);
    if (this.hanging.has(name)) return new Promise<void>(() => {});
    return this.failing.has(name) ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve();
  }
  fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const call = { url, init, headers: new Headers(init.headers) };
    this.fetches.push(call);
    return this.respond(call);
  }
  clearStorageData = () => this.step('clearStorageData');
  clearCache = () => this.step('clearCache');
  clearAuthCache = () => this.step('clearAuthCache');
  clearHostResolverCache = () => this.step('clearHostResolverCache');
  setPermissionRequestHandler(handler: FakeSession['requestHandler']): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['checkHandler']): void {
    this.checkHandler = handler;
  }
}

let nextContentsId = 1;

export class FakeWebContents extends FakeEmitter implements KioskWebContents {
  readonly id = nextContentsId++;
  readonly loaded: string[] = [];
  userAgent = '';
  zoomLimits: [number, number] | null = null;
  windowOpenHandler: Parameters<KioskWebContents['setWindowOpenHandler']>[0] | null = null;
  crashes = 0;
  destroyed = false;
  printers: { name: string }[] = [];
  /** What a load answers (Electron: resolves at did-finish-load, rejects on did-fail-load). */
  loadResult: () => Promise<void> = () => Promise.resolve();
  /** Each webContents.print call, and how the printer answers it. */
  readonly prints: Array<Parameters<KioskWebContents['print']>[0]> = [];
  printResult: [success: boolean, failureReason: string] = [true, ''];
  constructor(readonly session: FakeSession = new FakeSession()) {
    super();
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return this.loadResult();
  }
  print(...[options, callback]: Parameters<KioskWebContents['print']>): void {
    this.prints.push(options);
    const [success, reason] = this.printResult;
    void Promise.resolve().then(() => callback(success, reason));
  }
  getURL(): string {
    return this.loaded.at(-1) ?? '';
  }
  /** The last page loaded. */
  get current(): string {
    return this.getURL();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setUserAgent(userAgent: string): void {
    this.userAgent = userAgent;
  }
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.zoomLimits = [min, max];
    return Promise.resolve();
  }
  setWindowOpenHandler(handler: NonNullable<FakeWebContents['windowOpenHandler']>): void {
    this.windowOpenHandler = handler;
  }
  forcefullyCrashRenderer(): void {
    this.crashes += 1;
  }
  getPrintersAsync() {
    return Promise.resolve(this.printers as Awaited<ReturnType<KioskWebContents['getPrintersAsync']>>);
  }
  /** The main frame of the page currently shown (origin of the last http(s) page loaded). */
  mainFrame(url = this.current): KioskFrame {
    return { url, origin: originOf(url), parent: null };
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

export class FakeWindow implements KioskWindow {
  focused = 0;
  restored = 0;
  minimized = false;
  destroyed = false;
  constructor(
    readonly options: Parameters<ElectronApi['createWindow']>[0],
    readonly webContents: FakeWebContents,
  ) {}
  isDestroyed = () => this.destroyed;
  destroy = () => {
    this.destroyed = true;
    this.webContents.destroyed = true;
  };
  isMinimized = () => this.minimized;
  restore = () => {
    this.restored += 1;
    this.minimized = false;
  };
  focus = () => {
    this.focused += 1;
  };
}

export class FakeApp extends FakeEmitter implements KioskApp {
  isPackaged = false;
  userAgentFallback = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Electron/45.4.1 Safari/537.36';
  hasLock = true;
  quits = 0;
  ready = false;
  getVersion = () => '0.1.0';
  getPath = () => '/tmp/shomei-user-data';
  whenReady = () => {
    this.ready = true;
    return Promise.resolve();
  };
  requestSingleInstanceLock = () => this.hasLock;
  quit = () => {
    this.quits += 1;
  };
}

export class FakeIpcMain implements KioskIpcMain {
  readonly handlers = new Map<string, (event: KioskInvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: KioskInvokeEvent, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke(channel, ...args) from `frame` of contents `senderId` would get. */
  invoke(channel: string, sender: { id: number }, frame: KioskFrame | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return handler({ sender, senderFrame: frame }, ...args);
  }
}

export interface FakeElectron {
  api: ElectronApi;
  app: FakeApp;
  ipcMain: FakeIpcMain;
  windows: FakeWindow[];
  sessions: Map<string, FakeSession>;
  menuRemoved: number;
  /** What was registered with registerSchemesAsPrivileged. */
  privilegedSchemes: CustomScheme[];
  /** The single kiosk window (fails when there is none). */
  readonly window: FakeWindow;
}

export function fakeElectron(): FakeElectron {
  const app = new FakeApp();
  const ipcMain = new FakeIpcMain();
  const sessions = new Map<string, FakeSession>();
  const sessionFor = (partition: string) => {
    let s = sessions.get(partition);
    if (!s) sessions.set(partition, (s = new FakeSession()));
    return s;
  };
  const fake: FakeElectron = {
    app,
    ipcMain,
    sessions,
    windows: [],
    menuRemoved: 0,
    privilegedSchemes: [],
    get window() {
      const win = fake.windows[0];
      if (!win) throw new Error('no window was created');
      return win;
    },
    api: {
      app,
      ipcMain,
      createWindow: (options) => {
        const contents = new FakeWebContents(sessionFor(options.webPreferences?.partition ?? ''));
        // As Electron does: the app hears of the new contents inside `new BrowserWindow()`.
        app.emit('web-contents-created', fakeEvent(), contents);
        const win = new FakeWindow(options, contents);
        fake.windows.push(win);
        return win;
      },
      removeApplicationMenu: () => {
        fake.menuRemoved += 1;
      },
      sessionFromPartition: sessionFor,
      registerSchemesAsPrivileged: (schemes) => {
        if (app.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
        fake.privilegedSchemes.push(...schemes);
      },
    },
  };
  return fake;
}

export interface RecordedLog extends KioskLog {
  entries: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
}

export function recordingLog(): RecordedLog {
  const entries: RecordedLog['entries'] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void entries.push({ level, message, fields });
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

/** Timers backed by the global ones (vi.useFakeTimers() drives them). */
export const globalTimers = {
  setTimeout: (callback: () => void, ms: number): unknown => setTimeout(callback, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
};
