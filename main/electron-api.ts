/**
 * The part of Electron's main-process API the kiosk shell uses, as an injected interface.
 *
 * The Electron binary cannot be downloaded on the build machines, so every module in main/
 * except main.ts receives these objects as parameters instead of importing `electron`:
 * main.ts passes the real ones (the compiler checks that they satisfy these types), the unit
 * tests pass hand-written stand-ins (event emitters that record calls). Only `import type`
 * from 'electron' is allowed outside main.ts.
 *
 * Events are listed one overload per event we listen to, with Electron's own parameter types,
 * so a stand-in with one generic `on(event: string, listener: (...args: any[]) => void)`
 * satisfies them as well as the real class does.
 */
import type {
  BeforeSendResponse,
  BrowserWindowConstructorOptions,
  CustomScheme,
  Details,
  DownloadItem,
  Event as ElectronEvent,
  HandlerDetails,
  Input,
  PrinterInfo,
  RenderProcessGoneDetails,
  WebContentsPrintOptions,
  WebContentsWillFrameNavigateEventParams,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WebRequestFilter,
  WindowOpenHandlerResponse,
} from 'electron';

export type { BrowserWindowConstructorOptions, CustomScheme, ElectronEvent, Input, RenderProcessGoneDetails, WebContentsPrintOptions };

/** A frame as seen by an IPC handler (Electron's WebFrameMain, the fields we check). */
export interface KioskFrame {
  readonly url: string;
  /** RFC 6454 origin of the frame ("null" for opaque origins such as data:). */
  readonly origin: string;
  /** null for the main (top) frame. */
  readonly parent: unknown;
}

/** The event an `ipcMain.handle` listener receives (the fields we check). */
export interface KioskInvokeEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: KioskFrame | null;
}

export interface KioskIpcMain {
  handle(channel: string, listener: (event: KioskInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

type PermissionRequestHandler = (webContents: unknown, permission: string, callback: (permissionGranted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean;

/** The fields of a request about to be sent that the terminal proof reads (Electron's OnBeforeSendHeadersListenerDetails). */
export interface KioskRequestDetails {
  readonly url: string;
  readonly method: string;
  readonly requestHeaders: Record<string, string>;
}

/** The session's `webRequest` (the one hook the shell uses; registering again replaces the listener). */
export interface KioskWebRequest {
  onBeforeSendHeaders(
    filter: WebRequestFilter,
    listener: ((details: KioskRequestDetails, callback: (response: BeforeSendResponse) => void) => void) | null,
  ): void;
}

/** A session's `protocol` (the methods we use). */
export interface KioskProtocol {
  /** Answers every request of `scheme` made by pages of this session (only after app ready). */
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** A window's session (an in-memory partition). */
export interface KioskSession {
  readonly protocol: KioskProtocol;
  readonly webRequest: KioskWebRequest;
  /** A request over this session (its cookies, its webRequest hooks), from the main process. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  clearStorageData(): Promise<void>;
  clearCache(): Promise<void>;
  clearAuthCache(): Promise<void>;
  clearHostResolverCache(): Promise<void>;
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void;
  on(event: 'will-download', listener: (event: ElectronEvent, item: DownloadItem, webContents: unknown) => void): this;
}

export interface KioskWebContents {
  readonly id: number;
  readonly session: KioskSession;
  loadURL(url: string): Promise<void>;
  getURL(): string;
  isDestroyed(): boolean;
  setUserAgent(userAgent: string): void;
  setVisualZoomLevelLimits(minimumLevel: number, maximumLevel: number): Promise<void>;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  forcefullyCrashRenderer(): void;
  getPrintersAsync(): Promise<PrinterInfo[]>;
  print(options: WebContentsPrintOptions, callback: (success: boolean, failureReason: string) => void): void;
  on(event: 'before-input-event', listener: (event: ElectronEvent, input: Input) => void): this;
  on(event: 'will-navigate', listener: (event: ElectronEvent<WebContentsWillNavigateEventParams>, url: string) => void): this;
  on(event: 'will-frame-navigate', listener: (event: ElectronEvent<WebContentsWillFrameNavigateEventParams>) => void): this;
  on(event: 'will-redirect', listener: (event: ElectronEvent<WebContentsWillRedirectEventParams>, url: string) => void): this;
  on(event: 'will-attach-webview', listener: (event: ElectronEvent, webPreferences: unknown, params: unknown) => void): this;
  on(event: 'did-finish-load', listener: () => void): this;
  on(
    event: 'did-fail-load',
    listener: (event: ElectronEvent, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void,
  ): this;
  on(event: 'render-process-gone', listener: (event: ElectronEvent, details: RenderProcessGoneDetails) => void): this;
  on(event: 'unresponsive', listener: () => void): this;
  on(event: 'responsive', listener: () => void): this;
}

export interface KioskWindow {
  readonly webContents: KioskWebContents;
  isDestroyed(): boolean;
  destroy(): void;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
}

export interface KioskApp {
  readonly isPackaged: boolean;
  userAgentFallback: string;
  getVersion(): string;
  getPath(name: 'userData'): string;
  whenReady(): Promise<void>;
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: (event: ElectronEvent, argv: string[], workingDirectory: string) => void): this;
  on(event: 'web-contents-created', listener: (event: ElectronEvent, webContents: KioskWebContents) => void): this;
  on(event: 'child-process-gone', listener: (event: ElectronEvent, details: Details) => void): this;
  on(event: 'window-all-closed', listener: () => void): this;
  on(event: 'will-quit', listener: () => void): this;
}

/** Everything the shell needs from Electron, in one object (main.ts builds it from the real module). */
export interface ElectronApi {
  readonly app: KioskApp;
  readonly ipcMain: KioskIpcMain;
  /** `new BrowserWindow(options)`. */
  createWindow(options: BrowserWindowConstructorOptions): KioskWindow;
  /** `Menu.setApplicationMenu(null)`. */
  removeApplicationMenu(): void;
  /**
   * `session.fromPartition(partition)`: without `persist:` it lives in memory only. Electron answers
   * one Session object per partition, the same one a window of that partition has as `webContents.session`.
   */
  sessionFromPartition(partition: string): KioskSession;
  /** `protocol.registerSchemesAsPrivileged(schemes)`: once, before the app is ready. */
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
}

/** Where the shell writes what happened (console in main.ts, a recorder in tests). */
export interface KioskLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Timers, injected so tests drive time with fake timers or a stand-in. */
export interface KioskTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
