/**
 * Recovery: a kiosk never stays on a dead or frozen page.
 *  - the renderer process is gone (crash, OOM, killed) → wipe + login screen after a short pause;
 *  - the page is unresponsive → a grace period, then the renderer is crashed on purpose and the
 *    same recovery runs (both within 5 s of the event);
 *  - the service page cannot be loaded → the error page, and the login screen is tried again
 *    after a while (and by the page's retry link).
 * Plus the single-instance lock: a second start quits and focuses the running kiosk.
 */
import type { KioskApp, KioskLog, KioskTimers, KioskWebContents } from './electron-api.js';

/** Pause before reloading after a crash (keeps a crash loop from spinning). */
export const CRASH_RELOAD_DELAY_MS = 1_000;
/** How long an unresponsive page may recover by itself before it is reloaded. */
export const UNRESPONSIVE_GRACE_MS = 3_000;
/** How long the render-process-gone caused by our own forcefullyCrashRenderer is ignored. */
const FORCED_CRASH_WINDOW_MS = 5_000;
/** Chromium's net::ERR_ABORTED: a load replaced by another one, not a failure. */
const ERR_ABORTED = -3;

export interface RecoveryOptions {
  contents: KioskWebContents;
  timers: KioskTimers;
  log: KioskLog;
  /** Wipes the session and loads the login screen. */
  recover(): Promise<void>;
  /** Is `url` a page of the service (its load failing means the service is unreachable)? */
  isServiceUrl(url: string): boolean;
  /** Shows the "cannot reach the service" page and schedules a retry. */
  onServiceLoadFailed(details: { url: string; errorCode: number; errorDescription: string }): void;
}

export function installRecovery(options: RecoveryOptions): void {
  const { contents, timers, log } = options;
  let recovering = false;
  let graceTimer: unknown = null;
  // The render-process-gone that our own forcefullyCrashRenderer causes is already being handled.
  let forcedCrash = false;

  const recoverNow = (reason: string) => {
    if (recovering) return;
    recovering = true;
    log.warn('kiosk recovering', { reason });
    options
      .recover()
      .catch((e: unknown) => log.error('kiosk recovery failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        recovering = false;
      });
  };

  contents.on('render-process-gone', (_event, details) => {
    if (graceTimer !== null) {
      timers.clearTimeout(graceTimer);
      graceTimer = null;
    }
    if (recovering || forcedCrash) return;
    log.error('kiosk renderer gone', { reason: details.reason, exitCode: details.exitCode });
    timers.setTimeout(() => recoverNow(`render-process-gone: ${details.reason}`), CRASH_RELOAD_DELAY_MS);
  });

  contents.on('unresponsive', () => {
    if (graceTimer !== null || recovering) return;
    log.warn('kiosk page unresponsive');
    graceTimer = timers.setTimeout(() => {
      graceTimer = null;
      // A hung renderer cannot run the unload of its page: replace the process.
      forcedCrash = true;
      timers.setTimeout(() => {
        forcedCrash = false;
      }, FORCED_CRASH_WINDOW_MS);
      try {
        contents.forcefullyCrashRenderer();
      } catch (e) {
        log.error('kiosk could not crash the renderer', { error: e instanceof Error ? e.message : String(e) });
      }
      recoverNow('unresponsive');
    }, UNRESPONSIVE_GRACE_MS);
  });

  contents.on('responsive', () => {
    if (graceTimer === null) return;
    timers.clearTimeout(graceTimer);
    graceTimer = null;
    log.info('kiosk page responsive again');
  });

  contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED || !options.isServiceUrl(validatedURL)) return;
    log.error('kiosk service page failed to load', { url: validatedURL, errorCode, errorDescription });
    options.onServiceLoadFailed({ url: validatedURL, errorCode, errorDescription });
  });
}

/**
 * Takes the single-instance lock. Without it (another kiosk is running) the app quits and false
 * is returned; with it, a later start focuses the running kiosk's window (`focus`).
 */
export function acquireSingleInstance(app: Pick<KioskApp, 'requestSingleInstanceLock' | 'quit' | 'on'>, focus: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focus());
  return true;
}

/** A retry that runs once after `ms`; scheduling again replaces the pending one. */
export function createRetry(timers: KioskTimers) {
  let pending: unknown = null;
  return {
    schedule(ms: number, run: () => void) {
      if (pending !== null) timers.clearTimeout(pending);
      pending = timers.setTimeout(() => {
        pending = null;
        run();
      }, ms);
    },
    cancel() {
      if (pending !== null) timers.clearTimeout(pending);
      pending = null;
    },
  };
}
