/**
 * Rules of a holder's share link that the service enforces and the renderer checks before it asks:
 * how long a link may live, what a PIN looks like, how many links a certificate may have. No
 * imports (the renderer bundles it).
 */

/** A link lives whole days: at least one, at most 90 (a recruitment season). */
export const SHARE_LINK_DAYS_MIN = 1;
export const SHARE_LINK_DAYS_MAX = 90;
export const SHARE_LINK_DAYS_DEFAULT = 14;
/** Links of one certificate that may be active (not revoked, not expired) at once. */
export const SHARE_LINKS_ACTIVE_MAX = 10;
/** A PIN is 4 to 8 digits (typed on a phone's number pad); full-width digits count as digits. */
export const SHARE_LINK_PIN = /^[0-9]{4,8}$/;
/** The optional note that tells the holder whom a link was for. */
export const SHARE_LINK_LABEL_MAX = 60;

export type ShareLinkField = 'days' | 'pin' | 'label';
export type ShareLinkFieldError = 'shareLink.daysRange' | 'shareLink.pinFormat' | 'tooLong';

export interface ShareLinkInput {
  days: number;
  /** Empty or absent: no PIN. */
  pin?: string | null;
  label?: string | null;
}

/** The PIN as compared and hashed: NFKC (full-width digits), no spaces; null for none. */
export function normalizePin(pin: string | null | undefined): string | null {
  const value = (pin ?? '').normalize('NFKC').replace(/\s+/g, '');
  return value === '' ? null : value;
}

/** The field errors of a new link's input, none when it may be created. */
export function shareLinkInputErrors(input: ShareLinkInput): Partial<Record<ShareLinkField, ShareLinkFieldError>> {
  const errors: Partial<Record<ShareLinkField, ShareLinkFieldError>> = {};
  if (!Number.isInteger(input.days) || input.days < SHARE_LINK_DAYS_MIN || input.days > SHARE_LINK_DAYS_MAX) errors.days = 'shareLink.daysRange';
  const pin = normalizePin(input.pin);
  if (pin !== null && !SHARE_LINK_PIN.test(pin)) errors.pin = 'shareLink.pinFormat';
  if ((input.label ?? '').trim().length > SHARE_LINK_LABEL_MAX) errors.label = 'tooLong';
  return errors;
}

/** Where a recipient's browser was, as the holder sees it in the access log: coarse, never an address. */
export type ClientBrowser = 'chrome' | 'edge' | 'firefox' | 'safari' | 'opera' | 'samsung' | 'other';
export type ClientOs = 'android' | 'iphone' | 'ipad' | 'windows' | 'macos' | 'chromeos' | 'linux' | 'other';
