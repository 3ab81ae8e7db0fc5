/**
 * Kiosk mode of the renderer: at a kiosk — inside the shell (`window.kiosk`) or a
 * kiosk session in a browser (the stand-in) — `<html>` carries the `kiosk` class (large touch
 * layout), links to other origins become plain text, and logging out wipes what the page holds.
 * A personal browser gets none of it.
 */
import { computed, onBeforeUnmount, watchEffect, type ComputedRef } from 'vue';
import { useSessionStore } from '../stores/session';
import { kioskTerminal } from './terminal';
import './kiosk.css';

export const KIOSK_CLASS = 'kiosk';

/** True inside the kiosk shell (its preload exposed the bridge). */
export const inKioskShell = (): boolean => typeof window !== 'undefined' && window.kiosk !== undefined;

/** Reactive "this screen is a kiosk": the shell, or a session the service recognised as a kiosk's. */
export function useAtKiosk(): ComputedRef<boolean> {
  const session = useSessionStore();
  return computed(() => inKioskShell() || session.kiosk);
}

/** Whether an anchor leads to another origin (mailto:, tel:, other hosts…). */
function isExternal(a: HTMLAnchorElement): boolean {
  const href = a.getAttribute('href');
  if (href === null || href.startsWith('#')) return false;
  try {
    return new URL(href, window.location.href).origin !== window.location.origin;
  } catch {
    return true;
  }
}

/** Renders links to other origins as plain text and keeps same-origin links in this window. */
export function neutralizeLinks(root: ParentNode): void {
  for (const a of Array.from(root.querySelectorAll<HTMLAnchorElement>('a[href], a[target]'))) {
    if (a.hasAttribute('href') && isExternal(a)) {
      a.removeAttribute('href');
      a.removeAttribute('target');
      a.classList.add('kiosk-external');
      a.dataset.kioskExternal = '';
    } else if (a.hasAttribute('target')) {
      // The shell opens no new windows: same-origin links open here.
      a.removeAttribute('target');
    }
  }
}

/** Stops any click that would still leave the origin (belt and braces: the shell blocks it too). */
function blockExternalClicks(event: MouseEvent): void {
  const a = (event.target as Element | null)?.closest?.('a');
  if (a instanceof HTMLAnchorElement && a.hasAttribute('href') && isExternal(a)) event.preventDefault();
}

/** Applies kiosk mode to the document while `atKiosk` is true (App.vue). */
export function useKioskMode(atKiosk: ComputedRef<boolean>): void {
  let observer: MutationObserver | null = null;
  const off = () => {
    observer?.disconnect();
    observer = null;
    document.removeEventListener('click', blockExternalClicks, true);
    document.documentElement.classList.remove(KIOSK_CLASS);
  };
  watchEffect(() => {
    if (!atKiosk.value) return off();
    document.documentElement.classList.add(KIOSK_CLASS);
    if (observer) return;
    neutralizeLinks(document);
    observer = new MutationObserver(() => neutralizeLinks(document));
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['href', 'target'] });
    document.addEventListener('click', blockExternalClicks, true);
  });
  onBeforeUnmount(off);
}

/**
 * The terminal's default language (kiosk.json `defaultLanguage`) for a visitor who has not chosen
 * one: after the wipe between two visitors the language cookie is gone, so every new visitor starts
 * in the terminal's language; a choice with the LANG pull-down sticks as usual.
 */
export function useTerminalLanguage(atKiosk: ComputedRef<boolean>): void {
  const session = useSessionStore();
  let asked = false;
  watchEffect(() => {
    if (asked || !atKiosk.value || !session.info || session.info.languageChosen) return;
    asked = true;
    void kioskTerminal().then(async (terminal) => {
      if (!terminal || session.info?.languageChosen || terminal.defaultLanguage === session.language) return;
      try {
        await session.setLanguage(terminal.defaultLanguage);
      } catch {
        // The screen already switched; the cookie follows with the visitor's next choice.
      }
    });
  });
}

/** Everything this page can reach of the browser's storage: web storage, cookies, caches, IndexedDB. */
export async function clearBrowserStorage(): Promise<void> {
  try {
    window.localStorage.clear();
    window.sessionStorage.clear();
  } catch {
    // Storage disabled: nothing to clear.
  }
  const host = window.location.hostname;
  for (const pair of document.cookie.split(';')) {
    const name = pair.split('=')[0]?.trim();
    if (!name) continue;
    for (const domain of ['', `; domain=${host}`, `; domain=.${host}`]) {
      document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/${domain}`;
    }
  }
  try {
    if ('caches' in window) for (const key of await caches.keys()) await caches.delete(key);
  } catch {
    // Not available here (insecure context).
  }
  try {
    if ('indexedDB' in window && typeof indexedDB.databases === 'function') {
      for (const db of await indexedDB.databases()) if (db.name) indexedDB.deleteDatabase(db.name);
    }
  } catch {
    // Not available here.
  }
}

let ending: Promise<void> | null = null;

/**
 * The kiosk logout (idle countdown at zero, or the logout button): POST /api/logout, wipe, login
 * screen. Inside the shell `kiosk.sessionEnded()` clears the window session's storage, cache and
 * auth cache and loads /login; the browser stand-in clears what the page can reach and goes to the
 * login screen itself. Runs once per page, whatever fails on the way.
 */
export function endKioskSession(): Promise<void> {
  ending ??= (async () => {
    const session = useSessionStore();
    let redirect = '/login';
    try {
      redirect = await session.logout();
    } catch {
      // Already gone on the server, or unreachable: the terminal is wiped all the same.
    }
    await clearBrowserStorage();
    const shell = window.kiosk;
    if (shell) {
      try {
        await shell.sessionEnded();
        return; // the shell replaces the page
      } catch {
        redirect = '/login';
      }
    }
    window.location.assign(redirect);
  })();
  return ending;
}
