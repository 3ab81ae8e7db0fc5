/**
 * The one-time token of a mailed link (`/mail/confirm#token=…`). The router takes it out of the
 * address bar before the page shows; it lives only in memory until the student presses the button.
 */
let token: string | null = null;

/** Keeps the token from a URL fragment; returns true when the fragment held one. */
export function takeTokenFromHash(hash: string): boolean {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (!value) return false;
  token = value;
  return true;
}

export const confirmToken = {
  get: (): string | null => token,
  clear: (): void => {
    token = null;
  },
};
