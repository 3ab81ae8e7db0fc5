/**
 * Navigation allow-list of the kiosk window: only the service origin and the configured IdP
 * origins, compared as exact origins (scheme, host and port), so a look-alike host such as
 * `https://idp.example.ac.jp.evil.test` or the http twin of an https origin is refused, and so is
 * every URL without a network origin (data:, file:, javascript:, about:, blob:, chrome:, …).
 */
import type { KioskLog, KioskWebContents } from './electron-api.js';

export interface NavigationPolicy {
  /** Is a navigation to `url` allowed? */
  allows(url: string): boolean;
  /** The allowed origins (service first), for the log and the error pages. */
  origins(): readonly string[];
  /** Replaces the allowed origins (the service origin is known only once the embedded service runs). */
  setOrigins(origins: readonly string[]): void;
}

/** The origin of an http(s) URL, or null for anything else. */
export function httpOriginOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.origin;
}

export function createNavigationPolicy(initial: readonly string[] = []): NavigationPolicy {
  let allowed = new Set<string>();
  const policy: NavigationPolicy = {
    allows(url) {
      const origin = httpOriginOf(url);
      return origin !== null && allowed.has(origin);
    },
    origins: () => [...allowed],
    setOrigins(origins) {
      // Normalise through URL so `https://Host:443` and `https://host` compare equal.
      allowed = new Set(origins.map((o) => httpOriginOf(o)).filter((o): o is string => o !== null));
    },
  };
  policy.setOrigins(initial);
  return policy;
}

/**
 * Refuses navigations outside the policy in `contents`: top-level (`will-navigate`), server
 * redirects (`will-redirect`) and, with `frames`, any sub-frame (`will-frame-navigate`).
 * Navigations started by the main process (loadURL of the login, loading and error pages) do not
 * pass through these events. Installed once per web contents by main/hardening.ts, which decides
 * `frames`.
 */
export function guardNavigation(contents: KioskWebContents, policy: NavigationPolicy, log: KioskLog, options: { frames: boolean }): void {
  const refuse = (kind: string, event: { preventDefault(): void }, url: string) => {
    if (policy.allows(url)) return;
    event.preventDefault();
    log.warn('kiosk navigation refused', { kind, url: url.slice(0, 200) });
  };
  contents.on('will-navigate', (event, url) => refuse('navigate', event, event.url ?? url));
  contents.on('will-redirect', (event, url) => refuse('redirect', event, event.url ?? url));
  if (options.frames) {
    contents.on('will-frame-navigate', (event) => {
      // The main frame is checked by will-navigate too; subframes only here.
      if (!event.isMainFrame) refuse('frame', event, event.url);
    });
  }
}
