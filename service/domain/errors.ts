import type { ErrorCode } from '../shared/errors.js';

/**
 * The one error type of the domain. `code` is stable and doubles as the i18n key
 * (`errors.<code>` in the UI, the mail templates and the service's own messages); the codes and
 * their HTTP statuses are listed in service/shared/errors.ts.
 */
export type { ErrorCode };

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Values interpolated into the translated message, e.g. `{ seconds: 42 }`. */
    readonly params: Record<string, string | number> = {},
    /** Detail for the log only; never shown to a user. */
    readonly detail?: string,
    /** For `validation.failed`: field name → error code. */
    readonly fields?: Record<string, string>,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
