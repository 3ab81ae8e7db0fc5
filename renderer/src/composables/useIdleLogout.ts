import { onBeforeUnmount, watchEffect } from 'vue';
import { useSessionStore } from '../stores/session';
import { useAtKiosk } from '../kiosk/mode';

/** The input that counts as someone using the screen (here and in the kiosk's countdown). */
export const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export interface IdleLogoutOptions {
  /** Idle limit in seconds, read inside a watcher (reactive); 0 or less means "not signed in / no limit". */
  timeoutSeconds: () => number;
  /** Ends the session on the server; failures are ignored. */
  logout: () => Promise<unknown>;
  /** Where the screen goes once the session has been ended. */
  loginUrl: string;
}

/**
 * Ends a signed-in session after the idle timeout without input, so a screen left open
 * (a campus kiosk, a staff console) does not keep showing personal data. The service expires
 * the session on its own clock too; this only makes the screen follow.
 */
export function useIdleTimeout(options: IdleLogoutOptions): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let limitMs = 0;

  async function expire() {
    try {
      await options.logout();
    } catch {
      // Already gone on the server, or unreachable: the screen must be cleared either way.
    }
    window.location.assign(options.loginUrl);
  }

  const restart = () => {
    clearTimeout(timer);
    if (limitMs > 0) timer = setTimeout(() => void expire(), limitMs);
  };

  const stop = () => {
    clearTimeout(timer);
    for (const type of ACTIVITY) window.removeEventListener(type, restart, true);
  };

  watchEffect(() => {
    stop();
    const seconds = options.timeoutSeconds();
    limitMs = seconds > 0 ? seconds * 1000 : 0;
    if (limitMs === 0) return;
    for (const type of ACTIVITY) window.addEventListener(type, restart, { capture: true, passive: true });
    restart();
  });

  onBeforeUnmount(stop);
}

/**
 * Idle logout for the student / graduate session in a browser. At a kiosk the countdown dialog
 * (kiosk/KioskIdleCountdown.vue) takes over: it logs out before the service's limit and wipes.
 */
export function useIdleLogout(): void {
  const session = useSessionStore();
  const atKiosk = useAtKiosk();
  useIdleTimeout({
    timeoutSeconds: () => (session.me !== null && !atKiosk.value ? (session.info?.idleTimeoutSeconds ?? 0) : 0),
    logout: () => session.logout(),
    loginUrl: '/login?error=auth.sessionExpired',
  });
}
