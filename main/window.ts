/**
 * The locked-down kiosk window: full screen kiosk mode, no menu, an in-memory session partition,
 * contextIsolation + sandbox without Node, devtools only in development, the preload that exposes
 * `window.kiosk` and nothing else, and the guards every web contents of the app gets (main/hardening.ts).
 *
 * OS-level keys (Alt+F4, Alt+Tab, Ctrl+Alt+Del, the Windows key, Ctrl+Alt+F1…) are not handled
 * here: the OS lockdown (Windows Assigned Access / Shell Launcher, Linux `cage`) owns them.
 */
import type { BrowserWindowConstructorOptions, ElectronApi, Input, KioskWindow } from './electron-api.js';
import type { Hardening } from './hardening.js';

/** The window's session partition: no `persist:` prefix, so nothing of it is ever written to disk. */
export const KIOSK_PARTITION = 'shomei-kiosk';

/** The kiosk's User-Agent token (for logs and statistics; the service recognises a terminal only by its proof, main/terminal-proof.ts). */
export function kioskUserAgent(base: string, version: string): string {
  return base.includes('ShomeiKiosk/') ? base : `${base} ShomeiKiosk/${version}`;
}

/** What every window of the shell runs with: isolated, sandboxed, no Node, no webviews, no spellcheck service. */
export const LOCKED_DOWN_PREFERENCES = {
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
} as const;

export function kioskWindowOptions(options: { preloadPath: string; isPackaged: boolean }): BrowserWindowConstructorOptions {
  return {
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: 'Shomei',
    webPreferences: {
      ...LOCKED_DOWN_PREFERENCES,
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

/**
 * Creates the kiosk window with its lockdown: menu removed, shortcuts blocked, pinch/Ctrl+wheel
 * zoom disabled, and the guards of main/hardening.ts (permissions, downloads, navigation of the
 * page and of every frame in it).
 */
export function createKioskWindow(
  api: Pick<ElectronApi, 'createWindow' | 'removeApplicationMenu' | 'sessionFromPartition'>,
  options: { preloadPath: string; isPackaged: boolean; userAgent: string; hardening: Hardening },
): KioskWindow {
  const { hardening } = options;
  api.removeApplicationMenu();
  const session = api.sessionFromPartition(KIOSK_PARTITION);
  hardening.hardenSession(session);

  const win = api.createWindow(kioskWindowOptions(options));
  const contents = win.webContents;
  contents.setUserAgent(options.userAgent);
  // Usually done already by the app's web-contents-created, which Electron emits inside the constructor.
  hardening.harden(contents);
  contents.on('before-input-event', (event, input) => {
    if (isBlockedInput(input)) event.preventDefault();
  });
  // Chromium resets the limits per document: set them again after every load.
  const noZoom = () => void contents.setVisualZoomLevelLimits(1, 1).catch(() => {});
  noZoom();
  contents.on('did-finish-load', noZoom);
  return win;
}
