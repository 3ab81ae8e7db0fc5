import { onBeforeUnmount, watchEffect } from 'vue';
import { useSessionStore } from '../stores/session';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Ends a signed-in session after `idleTimeoutSeconds` without input, so a screen left open
 * (on a campus kiosk above all) does not keep showing a student's data. The service expires
 * the session on its own clock too; this only makes the screen follow.
 */
export function useIdleLogout(): void {
  const session = useSessionStore();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let limitMs = 0;

  async function expire() {
    try {
      await session.logout();
    } catch {
      // Already gone on the server, or unreachable: the screen must be cleared either way.
    }
    window.location.assign('/login?error=auth.sessionExpired');
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
    const seconds = session.info?.idleTimeoutSeconds ?? 0;
    limitMs = session.me !== null && seconds > 0 ? seconds * 1000 : 0;
    if (limitMs === 0) return;
    for (const type of ACTIVITY) window.addEventListener(type, restart, { capture: true, passive: true });
    restart();
  });

  onBeforeUnmount(stop);
}
