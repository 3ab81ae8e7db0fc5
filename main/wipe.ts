/**
 * The wipe between two visitors: after the renderer's logout (idle countdown or the logout
 * button) and after crash recovery, everything the window's session holds is cleared (cookies,
 * localStorage, IndexedDB, service workers, cache storage…, the HTTP cache, the HTTP auth cache,
 * the host resolver cache) and the login screen is loaded, so the next person inherits nothing.
 */
import { DeadlineError, withDeadline } from './deadline.js';
import type { KioskLog, KioskSession, KioskTimers, KioskWebContents } from './electron-api.js';

/**
 * How long one wipe step may take. The steps run side by side, so the whole wipe takes at most
 * this long even when a step never settles: a page unresponsive for its 3-second grace is back at
 * the login screen within 5 seconds.
 */
export const WIPE_STEP_DEADLINE_MS = 1_500;

/** The login screen of the service at `serviceOrigin`. */
export function loginUrlOf(serviceOrigin: string): string {
  return `${serviceOrigin.replace(/\/+$/, '')}/login`;
}

/**
 * Clears every store of `session`. A step that fails or passes its deadline is logged (it may
 * still finish later) and the others are not held up by it. Resolves true when every step finished.
 */
export async function wipeSession(session: KioskSession, log: KioskLog, timers: KioskTimers): Promise<boolean> {
  const steps: Array<[string, () => Promise<void>]> = [
    // No options: every storage type of every origin, cookies included.
    ['storage', () => session.clearStorageData()],
    ['cache', () => session.clearCache()],
    ['authCache', () => session.clearAuthCache()],
    ['hostResolverCache', () => session.clearHostResolverCache()],
  ];
  const done = await Promise.all(
    steps.map(async ([name, step]) => {
      try {
        await withDeadline(step(), WIPE_STEP_DEADLINE_MS, timers, `${name} did not finish`);
        return true;
      } catch (e) {
        if (e instanceof DeadlineError) log.error('kiosk wipe step timed out', { step: name, afterMs: WIPE_STEP_DEADLINE_MS });
        else log.error('kiosk wipe step failed', { step: name, error: e instanceof Error ? e.message : String(e) });
        return false;
      }
    }),
  );
  return done.every(Boolean);
}

/** Starts loading `url` without waiting (a replaced or aborted load is not an error here). */
export function show(contents: KioskWebContents, url: string, log: KioskLog): void {
  if (contents.isDestroyed()) return;
  contents.loadURL(url).catch((e: unknown) => {
    log.warn('kiosk page load did not complete', { url: url.startsWith('data:') ? 'data:' : url, error: e instanceof Error ? e.message : String(e) });
  });
}

/** Wipes the window's session, then loads the login screen. Resolves once the wipe is done or has timed out. */
export async function wipeAndShowLogin(contents: KioskWebContents, loginUrl: string, log: KioskLog, timers: KioskTimers): Promise<void> {
  if (await wipeSession(contents.session, log, timers)) log.info('kiosk session wiped');
  else log.warn('kiosk login screen shown after an incomplete wipe');
  show(contents, loginUrl, log);
}
