/**
 * The one-time token of the mailed application link (`/applications/student-id#token=…`). The
 * route takes it out of the address bar before the page shows; it lives only in memory.
 */
let token: string | null = null;

/** Keeps the token from a URL fragment; returns true when the fragment held one. */
export function takeLinkTokenFromHash(hash: string): boolean {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (!value) return false;
  token = value;
  return true;
}

export const linkToken = {
  get: (): string | null => token,
  clear: (): void => {
    token = null;
  },
};
