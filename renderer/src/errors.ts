/**
 * Which error codes have a translation, and how a code becomes an i18n key. Only these keys are
 * ever shown, so a code from the URL (`/login?error=…`) or an unexpected answer can never put
 * raw text on the screen.
 */
import { CLIENT_ERROR_CODES } from './api/client';

/** Every code the service may answer with (service/domain/errors.ts), plus the client's own. */
export const ERROR_CODES = [
  'auth.required',
  'auth.mailRequired',
  'auth.sessionExpired',
  'csrf.invalid',
  'host.mismatch',
  'validation.failed',
  'mail.mismatch',
  'mail.invalid',
  'mail.sameAsCurrent',
  'mail.alreadyRegistered',
  'mail.rateLimited',
  'token.unknown',
  'token.expired',
  'token.used',
  'saml.invalid',
  'saml.relayState',
  'saml.unbound',
  'saml.notConfigured',
  'saml.rateLimited',
  'account.notFound',
  'auth.forbidden',
  'staff.loginFailed',
  'staff.loginThrottled',
  'staff.loginLocked',
  'graduate.loginFailed',
  'graduate.notApproved',
  'graduate.rejected',
  'graduate.tooManyAttempts',
  'graduate.locked',
  'graduate.alreadyRegistered',
  'application.alreadyDecided',
  'application.reasonRequired',
  'application.studentIdTaken',
  'application.notResubmittable',
  'registry.previewStale',
  'registry.importInvalid',
  'order.empty',
  'order.typeUnknown',
  'order.statusNotEligible',
  'order.graduationDateOutOfRange',
  'order.languageNotOffered',
  'order.destinationNotAllowed',
  'order.copiesInvalid',
  'order.copiesOverTypeLimit',
  'order.copiesOverOrderLimit',
  'order.duplicateLine',
  'order.studentNotOwned',
  'order.studentUnknown',
  'order.issueFailed',
  'reservation.numberExhausted',
  'certificate.notFound',
  'certificate.alreadyRevoked',
  'mailOrder.notFound',
  'mailOrder.alreadyShipped',
  'mailOrder.cancelled',
  'certificateType.notFound',
  'certificateType.inUse',
  'campus.kioskOnly',
  'campus.notFound',
  'campus.alreadyPrinted',
  'campus.cancelled',
  'campus.busy',
  'campus.claimLost',
  'campus.printFailed',
  'reservation.alreadyPrinted',
  'reservation.expired',
  'reservation.cancelled',
  'reservation.busy',
  'reservation.claimLost',
  'service.notOpen',
  'institution.imageInvalid',
  'institution.imageType',
  'institution.imageTooLarge',
  'institution.imageTooSmall',
  'institution.imageEmpty',
  'terminal.notFound',
  'terminal.nameTaken',
  'terminal.notEnrolled',
  'notFound',
  'internal',
  ...CLIENT_ERROR_CODES,
] as const;

/** Codes a `validation.failed` answer may give for a single field, besides the mail codes. */
export const FIELD_ERROR_CODES = ['required', 'tooLong'] as const;

const known = new Set<string>(ERROR_CODES);
const knownField = new Set<string>(FIELD_ERROR_CODES);

/** `errors.<code>` for a known code, `errors.generic` otherwise. */
export function errorKey(code: string | null | undefined): string {
  return code && known.has(code) ? `errors.${code}` : 'errors.generic';
}

/** The message key for a field's error code. */
export function fieldErrorKey(code: string): string {
  return knownField.has(code) ? `fieldErrors.${code}` : errorKey(code);
}
