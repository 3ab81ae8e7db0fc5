import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';

/**
 * The one-time token of a mailed link (`/mail/confirm#token=…`, `/applications/student-id#token=…`,
 * `/graduates/register#token=…`). The route's guard takes it out of the address bar before the
 * page shows; it lives only in memory until the page uses it.
 */
let token: string | null = null;

export const linkToken = {
  get: (): string | null => token,
  clear: (): void => {
    token = null;
  },
};

/**
 * `beforeEnter` of a page opened from a mailed link: keeps the fragment's token and replaces the
 * address without it (replaceState), so it is neither shown, nor kept in history, nor sent on.
 */
export function takeLinkToken(to: RouteLocationNormalized): RouteLocationRaw | true {
  const value = to.hash ? new URLSearchParams(to.hash.replace(/^#/, '')).get('token') : null;
  if (!value) return true;
  token = value;
  return { path: to.path, query: to.query, hash: '', replace: true };
}
