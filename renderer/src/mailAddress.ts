/** The longest mail address the service accepts. */
export const MAIL_MAX_LENGTH = 254;

/** The service's own rule: half-width, one @, a dotted domain. */
export const MAIL_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The service's checks of a (trimmed) mail address, as a field error code, or null when it passes. */
export function mailAddressError(mail: string): 'required' | 'tooLong' | 'mail.invalid' | null {
  if (!mail) return 'required';
  if (mail.length > MAIL_MAX_LENGTH) return 'tooLong';
  if (!MAIL_PATTERN.test(mail)) return 'mail.invalid';
  return null;
}
