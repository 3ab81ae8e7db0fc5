/**
 * Which error codes have a translation, and how a code becomes an i18n key. Only these keys are
 * ever shown, so a code from the URL (`/login?error=…`) or an unexpected answer can never put
 * raw text on the screen.
 */
import { ERROR_CODES as SERVICE_ERROR_CODES } from '@shared/errors';

/** Codes the client produces itself, besides the service's codes. */
const CLIENT_ERROR_CODES = ['network', 'generic'] as const;

/** Codes a `validation.failed` answer may give for a single field, besides the mail codes. */
const FIELD_ERROR_CODES = ['required', 'tooLong'] as const;

/** Every code the service may answer with, plus the client's own. */
const known = new Set<string>([...SERVICE_ERROR_CODES, ...CLIENT_ERROR_CODES]);
const knownField = new Set<string>(FIELD_ERROR_CODES);

/** `errors.<code>` for a known code, `errors.generic` otherwise. */
export function errorKey(code: string | null | undefined): string {
  return code && known.has(code) ? `errors.${code}` : 'errors.generic';
}

/** The message key for a field's error code. */
export function fieldErrorKey(code: string): string {
  return knownField.has(code) ? `fieldErrors.${code}` : errorKey(code);
}
