/**
 * The one error type of the domain. `code` is stable and doubles as the i18n key
 * (`errors.<code>` in the UI, the mail templates and the service's own messages).
 */
export type ErrorCode =
  | 'auth.required'
  | 'auth.mailRequired'
  | 'auth.sessionExpired'
  | 'csrf.invalid'
  | 'host.mismatch'
  | 'validation.failed'
  | 'mail.mismatch'
  | 'mail.invalid'
  | 'mail.sameAsCurrent'
  | 'mail.alreadyRegistered'
  | 'mail.rateLimited'
  | 'token.unknown'
  | 'token.expired'
  | 'token.used'
  | 'saml.invalid'
  | 'saml.relayState'
  | 'saml.unbound'
  | 'saml.notConfigured'
  | 'saml.rateLimited'
  | 'account.notFound'
  | 'application.alreadyDecided'
  | 'application.reasonRequired'
  | 'application.studentIdTaken'
  | 'application.notResubmittable'
  | 'auth.forbidden'
  | 'staff.loginFailed'
  | 'staff.loginThrottled'
  | 'staff.loginLocked'
  | 'registry.previewStale'
  | 'registry.importInvalid'
  | 'graduate.loginFailed'
  | 'graduate.notApproved'
  | 'graduate.rejected'
  | 'graduate.tooManyAttempts'
  | 'graduate.locked'
  | 'graduate.alreadyRegistered'
  | 'order.empty'
  | 'order.typeUnknown'
  | 'order.statusNotEligible'
  | 'order.graduationDateOutOfRange'
  | 'order.languageNotOffered'
  | 'order.destinationNotAllowed'
  | 'order.copiesInvalid'
  | 'order.copiesOverTypeLimit'
  | 'order.copiesOverOrderLimit'
  | 'order.duplicateLine'
  | 'reservation.numberExhausted'
  | 'order.studentNotOwned'
  | 'order.studentUnknown'
  | 'order.issueFailed'
  | 'reservation.notFound'
  | 'reservation.alreadyPrinted'
  | 'reservation.expired'
  | 'reservation.cancelled'
  | 'reservation.busy'
  | 'reservation.claimLost'
  | 'verify.rateLimited'
  | 'store.rateLimited'
  | 'campus.kioskOnly'
  | 'campus.notFound'
  | 'campus.alreadyPrinted'
  | 'campus.cancelled'
  | 'campus.busy'
  | 'campus.claimLost'
  | 'campus.printFailed'
  | 'certificate.notFound'
  | 'certificate.alreadyRevoked'
  | 'mailOrder.notFound'
  | 'mailOrder.alreadyShipped'
  | 'mailOrder.cancelled'
  | 'certificateType.notFound'
  | 'certificateType.inUse'
  | 'service.notOpen'
  | 'institution.imageInvalid'
  | 'institution.imageType'
  | 'institution.imageTooLarge'
  | 'institution.imageTooSmall'
  | 'institution.imageEmpty'
  | 'terminal.notFound'
  | 'terminal.nameTaken'
  | 'terminal.notEnrolled'
  | 'notFound'
  | 'internal';

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
