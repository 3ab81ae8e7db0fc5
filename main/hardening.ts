/**
 * The one hardening path of the shell: every web contents of the app (the kiosk window, the hidden
 * print window, anything Chromium creates) gets its whole set of guards exactly once, whichever
 * comes first — the app's `web-contents-created` (Electron emits it for a window's contents inside
 * `new BrowserWindow()`, before the constructor returns) or the code that created the window.
 * What a contents gets depends only on its session, never on who called first:
 *  - every contents: window.open denied, <webview> refused, top-level navigation and redirects
 *    held to a policy; its session denies every permission and cancels every download;
 *  - pages (the kiosk window and any contents not known below): every sub-frame held to the
 *    allow-list as well;
 *  - the shell's own hidden helpers (`helperSessions`: the print window's partition): no
 *    navigation at all, and their frames are left to Chromium's PDF viewer, which builds its
 *    viewer out of frames of its own.
 */
import type { ElectronApi, KioskLog, KioskSession, KioskWebContents } from './electron-api.js';
import { createNavigationPolicy, guardNavigation, type NavigationPolicy } from './navigation.js';

export interface Hardening {
  /** Installs the guards of `contents` and of its session; later calls for the same contents do nothing. */
  harden(contents: KioskWebContents): void;
  /** Denies permissions and cancels downloads in `session` (once), before any page of it exists. */
  hardenSession(session: KioskSession): void;
}

export interface HardeningOptions {
  /** Where pages may go: the service origin and the configured IdPs (main/navigation.ts). */
  policy: NavigationPolicy;
  log: KioskLog;
  /** Sessions whose contents are the shell's own hidden helpers. */
  helperSessions?: readonly KioskSession[];
}

/** Denies every permission request and check (camera, microphone, geolocation, notifications, …). */
function denyPermissions(session: KioskSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Cancels every download of the session (a PDF must never leave the service or the printer). */
function refuseDownloads(session: KioskSession, log: KioskLog): void {
  session.on('will-download', (event, item) => {
    event.preventDefault();
    item.cancel();
    log.warn('kiosk download refused', { url: item.getURL().slice(0, 200) });
  });
}

export function createHardening(options: HardeningOptions): Hardening {
  const { policy, log } = options;
  const helperSessions = options.helperSessions ?? [];
  // A helper's pages are loaded by the main process only; nothing a page asks for is allowed.
  const nowhere = createNavigationPolicy();
  const hardenedContents = new WeakSet<object>();
  const hardenedSessions = new WeakSet<object>();

  const hardenSession = (session: KioskSession) => {
    if (hardenedSessions.has(session)) return;
    hardenedSessions.add(session);
    denyPermissions(session);
    refuseDownloads(session, log);
  };

  return {
    hardenSession,
    harden(contents) {
      if (hardenedContents.has(contents)) return;
      hardenedContents.add(contents);
      hardenSession(contents.session);
      contents.setWindowOpenHandler((details) => {
        log.warn('kiosk window.open refused', { url: details.url.slice(0, 200) });
        return { action: 'deny' };
      });
      contents.on('will-attach-webview', (event) => {
        event.preventDefault();
        log.warn('kiosk <webview> refused');
      });
      const helper = helperSessions.includes(contents.session);
      guardNavigation(contents, helper ? nowhere : policy, log, { frames: !helper });
    },
  };
}

/** Hardens every web contents the app creates, as Electron reports it ('web-contents-created'). */
export function hardenEveryContents(api: Pick<ElectronApi, 'app'>, hardening: Hardening): void {
  api.app.on('web-contents-created', (_event, contents) => hardening.harden(contents));
}
