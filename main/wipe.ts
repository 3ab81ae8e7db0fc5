/**
 * The wipe between two visitors: after the renderer's logout (idle countdown or the logout
 * button) and after crash recovery, everything the window's session holds is cleared (cookies,
 * localStorage, IndexedDB, service workers, cache storage…, the HTTP cache, the HTTP auth cache,
 * the host resolver cache) and the login screen is loaded, so the next person inherits nothing.
 */
import type { KioskLog, KioskSession, KioskWebContents } from './electron-api.js';

/** The login screen of the service at `serviceOrigin`. */
export function loginUrlOf(serviceOrigin: string): string {
  return `${serviceOrigin.replace(/\/+$/, '')}/login`;
}

/** Clears every store of `session`; a failing step is logged and the others still run. */
export async function wipeSession(session: KioskSession, log: KioskLog): Promise<void> {
  const steps: Array<[string, () => Promise<void>]> = [
    // No options: every storage type of every origin, cookies included.
    ['storage', () => session.clearStorageData()],
    ['cache', () => session.clearCache()],
    ['authCache', () => session.clearAuthCache()],
    ['hostResolverCache', () => session.clearHostResolverCache()],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (e) {
      log.error('kiosk wipe step failed', { step: name, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** Starts loading `url` without waiting (a replaced or aborted load is not an error here). */
export function show(contents: KioskWebContents, url: string, log: KioskLog): void {
  if (contents.isDestroyed()) return;
  contents.loadURL(url).catch((e: unknown) => {
    log.warn('kiosk page load did not complete', { url: url.startsWith('data:') ? 'data:' : url, error: e instanceof Error ? e.message : String(e) });
  });
}

/** Wipes the window's session, then loads the login screen. Resolves once the wipe is done. */
export async function wipeAndShowLogin(contents: KioskWebContents, loginUrl: string, log: KioskLog): Promise<void> {
  await wipeSession(contents.session, log);
  log.info('kiosk session wiped');
  show(contents, loginUrl, log);
}
