/**
 * The locked-down kiosk window: full screen kiosk mode, no menu, an in-memory session partition,
 * contextIsolation + sandbox without Node, devtools only in development, the preload that exposes
 * `window.kiosk` and nothing else, and the hardening every web contents of the app gets.
 *
 * OS-level keys (Alt+F4, Alt+Tab, Ctrl+Alt+Del, the Windows key, Ctrl+Alt+F1…) are not handled
 * here: the OS lockdown (Windows Assigned Access / Shell Launcher, Linux `cage`) owns them.
 */
import type { BrowserWindowConstructorOptions, ElectronApi, Input, KioskLog, KioskSession, KioskWebContents, KioskWindow } from './electron-api.js';
import { guardNavigation, type NavigationPolicy } from './navigation.js';

/** The window's session partition: no `persist:` prefix, so nothing of it is ever written to disk. */
export const KIOSK_PARTITION = 'shomei-kiosk';

/** The kiosk's User-Agent token (for logs and statistics; the service recognises a terminal only by its proof, main/terminal-proof.ts). */
export function kioskUserAgent(base: string, version: string): string {
  return base.includes('ShomeiKiosk/') ? base : `${base} ShomeiKiosk/${version}`;
}

export function kioskWindowOptions(options: { preloadPath: string; isPackaged: boolean }): BrowserWindowConstructorOptions {
  return {
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: 'Shomei',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !options.isPackaged,
      preload: options.preloadPath,
      partition: KIOSK_PARTITION,
    },
  };
}

const lower = (key: string) => key.toLowerCase();

/**
 * Should this key press be swallowed? Reload, devtools, zoom, print, view-source/save and history
 * shortcuts are; ordinary typing (letters, Shift, Backspace, Ctrl+C/V/X/A/Z in forms) is not.
 */
export function isBlockedInput(input: Pick<Input, 'type' | 'key' | 'code' | 'control' | 'meta' | 'alt' | 'shift'>): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown' && input.type !== 'keyUp') return false;
  const key = lower(input.key);
  const code = input.code;
  const mod = input.control || input.meta;
  // Function keys: F5 reload, F12 devtools, F11 leaves full screen, F7 caret browsing.
  if (['f5', 'f7', 'f11', 'f12'].includes(key)) return true;
  // Dedicated browser keys on some keyboards.
  if (['browserback', 'browserforward', 'browserrefresh', 'browserhome', 'browsersearch'].includes(key)) return true;
  // History: Alt+Left / Alt+Right, Cmd+[ / Cmd+].
  if (input.alt && !mod && (key === 'arrowleft' || key === 'arrowright')) return true;
  if (input.meta && (key === '[' || key === ']')) return true;
  if (!mod) return false;
  // Both the character and the physical key, so every keyboard layout is covered.
  const physical = code.startsWith('Key') ? lower(code.slice(3)) : key;
  const isLetter = (...letters: string[]) => letters.includes(key) || letters.includes(physical);
  // Devtools: Ctrl+Shift+I/J/C, Cmd+Alt+I/J/C.
  if ((input.shift || input.alt) && isLetter('i', 'j', 'c')) return true;
  // Reload (Ctrl+R, Ctrl+Shift+R), print (Ctrl+P), save (Ctrl+S), view source (Ctrl+U),
  // open file (Ctrl+O), new window / tab (Ctrl+N / Ctrl+T), close (Ctrl+W).
  if (isLetter('r', 'p', 's', 'u', 'o', 'n', 't', 'w')) return true;
  // Zoom: Ctrl + '+' / '=' / ';' (JIS keyboards) / '-' / '_' / '0', also on the numeric keypad.
  if (['+', '=', ';', '-', '_', '0'].includes(key)) return true;
  if (['Equal', 'Minus', 'Semicolon', 'Digit0', 'NumpadAdd', 'NumpadSubtract', 'Numpad0'].includes(code)) return true;
  return false;
}

/** Denies every permission request and check (camera, microphone, geolocation, notifications, …). */
export function denyPermissions(session: KioskSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Cancels every download of the session (a PDF link must never leave the service). */
export function refuseDownloads(session: KioskSession, log: KioskLog): void {
  session.on('will-download', (event, item) => {
    event.preventDefault();
    item.cancel();
    log.warn('kiosk download refused', { url: item.getURL().slice(0, 200) });
  });
}

const hardened = new WeakSet<object>();

/**
 * What every web contents of the app gets: no new windows, no <webview>, navigation only within
 * the policy. `frames: false` for helper contents (the hidden print window's PDF viewer).
 */
export function hardenContents(contents: KioskWebContents, policy: NavigationPolicy, log: KioskLog, options: { frames?: boolean } = {}): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.setWindowOpenHandler((details) => {
    log.warn('kiosk window.open refused', { url: details.url.slice(0, 200) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('kiosk <webview> refused');
  });
  guardNavigation(contents, policy, log, options);
}

/** Hardens web contents the shell did not create itself (app 'web-contents-created'). */
export function hardenAllContents(api: Pick<ElectronApi, 'app'>, policy: NavigationPolicy, log: KioskLog): void {
  api.app.on('web-contents-created', (_event, contents) => hardenContents(contents, policy, log, { frames: false }));
}

/**
 * Creates the kiosk window with its lockdown: menu removed, shortcuts blocked, pinch/Ctrl+wheel
 * zoom disabled, permissions and downloads refused, navigation restricted to `policy`.
 */
export function createKioskWindow(
  api: Pick<ElectronApi, 'createWindow' | 'removeApplicationMenu' | 'sessionFromPartition'>,
  options: { preloadPath: string; isPackaged: boolean; userAgent: string; policy: NavigationPolicy; log: KioskLog },
): KioskWindow {
  const { policy, log } = options;
  api.removeApplicationMenu();
  const session = api.sessionFromPartition(KIOSK_PARTITION);
  denyPermissions(session);
  refuseDownloads(session, log);

  const win = api.createWindow(kioskWindowOptions(options));
  const contents = win.webContents;
  contents.setUserAgent(options.userAgent);
  hardenContents(contents, policy, log);
  contents.on('before-input-event', (event, input) => {
    if (isBlockedInput(input)) event.preventDefault();
  });
  // Chromium resets the limits per document: set them again after every load.
  const noZoom = () => void contents.setVisualZoomLevelLimits(1, 1).catch(() => {});
  noZoom();
  contents.on('did-finish-load', noZoom);
  return win;
}
