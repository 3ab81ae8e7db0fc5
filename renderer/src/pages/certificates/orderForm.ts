/**
 * The issue form's state and its pure rules: what is sent (items, address), the checks before
 * 確認 (the same address schema as the service), and how an error code becomes text.
 */
import type { CertificateTypeOption, Destination, PdfRecipient, PlaceOrderRequest, PostalAddress } from '@contract/certificates';
import type { ApiFailure } from '../../api/client';
import type { Language } from '@contract/api';
import { copiesLimitFor, pdfRecipientSchema } from '@shared/pdf-recipient';
import { postalAddressSchema } from '@shared/postal-address';
import { useFailureText } from '../../composables/useFailureText';

export const DESTINATION_KEYS: readonly Destination[] = ['convenience', 'campus', 'mail', 'pdf'];

export const isDestination = (value: unknown): value is Destination => typeof value === 'string' && (DESTINATION_KEYS as readonly string[]).includes(value);

/**
 * What the student chose for one type: copies per language (kept when the type is switched off,
 * so nothing typed is lost). Each language with copies becomes its own order line.
 */
export type LineChoice = Partial<Record<Language, number>>;

/**
 * What is wrong with the copies typed for one line, if anything: the service accepts a whole number
 * from 0 to the type's maxCopies (eligibility.ts checks each (type, language) line against it, and
 * 20 across the order). What was typed is kept as typed; the form says what is wrong next to it.
 */
export function copiesProblem(copies: number, maxCopies: number): FieldError | null {
  if (!Number.isInteger(copies) || copies < 0) return { code: 'order.copiesInvalid' };
  if (copies > maxCopies) return { code: 'order.copiesOverTypeLimit', params: { limit: maxCopies } };
  return null;
}

/** The address as typed: both kinds are kept, so switching 国内 / 海外 loses nothing. */
export interface AddressInput {
  kind: 'domestic' | 'overseas';
  postalCode: string;
  prefecture: string;
  line1: string;
  line2: string;
  lines: string[];
  country: string;
}

export const emptyAddress = (): AddressInput => ({ kind: 'domestic', postalCode: '', prefecture: '', line1: '', line2: '', lines: ['', ''], country: '' });

/** Field error: a code and the values for its message. */
export interface FieldError {
  code: string;
  params?: Record<string, string | number>;
}
export type FieldErrors = Record<string, FieldError>;

/** Why a type cannot be ordered now: its own reason (ErrorCode) or the destination. */
export function blockOf(type: CertificateTypeOption, destination: Destination): { code: string; destination: boolean } | null {
  if (type.unavailable) return { code: type.unavailable, destination: false };
  if (!type.destinations.includes(destination)) return { code: 'order.destinationNotAllowed', destination: true };
  return null;
}

/**
 * The address to send, and where each sent overseas line came from: empty lines are left out
 * (line 2 of 2 may stay empty), so the service's `lines.<i>` must be mapped back to the field.
 */
export function addressPayload(input: AddressInput): { address: unknown; lineIndex: number[] } {
  if (input.kind === 'domestic') {
    const { postalCode, prefecture, line1, line2 } = input;
    return { address: { kind: 'domestic', postalCode, prefecture, line1, line2 }, lineIndex: [] };
  }
  const lineIndex = input.lines.map((l, i) => (l.trim() ? i : -1)).filter((i) => i >= 0);
  const lines = lineIndex.length > 0 ? lineIndex.map((i) => input.lines[i]!) : [''];
  return { address: { kind: 'overseas', lines, country: input.country }, lineIndex: lineIndex.length > 0 ? lineIndex : [0] };
}

/** `postalAddress.lines.<sent index>` → the field's key (`postalAddress.lines.<typed index>`). */
export function fieldKeyOf(path: string, lineIndex: number[]): string {
  const m = /^postalAddress\.lines\.(\d+)$/.exec(path);
  return m ? `postalAddress.lines.${lineIndex[Number(m[1])] ?? Number(m[1])}` : path;
}

/** A service answer's field codes → the form's errors: `items.<n>` → that type's row, the order, or the field. */
export function fieldErrorsOf(f: ApiFailure, sent: PlaceOrderRequest, types: CertificateTypeOption[], maxPerOrder: number, lineIndex: number[]): FieldErrors {
  const found: FieldErrors = {};
  for (const [path, code] of Object.entries(f.fields)) {
    const line = /^items\.(\d+)/.exec(path);
    const item = line ? sent.items[Number(line[1])] : undefined;
    const type = item ? types.find((x) => x.code === item.typeCode) : undefined;
    if (type) found[`type.${type.code}`] ??= { code, params: { limit: copiesLimitFor(sent.destination, type.maxCopies) } };
    else if (path === 'order') found.order = { code, params: { limit: maxPerOrder } };
    else if (path === 'items') found.order = { code, params: f.params };
    else found[fieldKeyOf(path, lineIndex)] ??= { code };
  }
  return found;
}

/** The client-side address check: the service's own schema, so the same codes. */
export function checkAddress(input: AddressInput): { address: PostalAddress | null; errors: FieldErrors } {
  const { address, lineIndex } = addressPayload(input);
  const parsed = postalAddressSchema.safeParse(address);
  if (parsed.success) return { address: parsed.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = fieldKeyOf(['postalAddress', ...issue.path.map(String)].join('.'), lineIndex);
    errors[key] ??= { code: /^[A-Za-z][A-Za-z0-9.]*$/.test(issue.message) ? issue.message : 'required' };
  }
  return { address: null, errors };
}

/** PDF送付's recipient as typed; the language starts as the student's own. */
export interface RecipientInput {
  organisation: string;
  name: string;
  mail: string;
  language: '' | 'ja' | 'en';
}

export const emptyRecipient = (): RecipientInput => ({ organisation: '', name: '', mail: '', language: '' });

/** The client-side recipient check: the service's own schema, so the same codes (`pdfRecipient.<field>`). */
export function checkRecipient(input: RecipientInput): { recipient: PdfRecipient | null; errors: FieldErrors } {
  const parsed = pdfRecipientSchema.safeParse(input);
  if (parsed.success) return { recipient: parsed.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[['pdfRecipient', ...issue.path.map(String)].join('.')] ??= { code: issue.message };
  return { recipient: null, errors };
}

/** What the destination needs besides the certificates: 郵送's address, PDF送付's recipient (checked only for them). */
export function checkDestination(
  destination: Destination,
  address: AddressInput,
  recipient: RecipientInput,
): { errors: FieldErrors; address: PostalAddress | null; recipient: PdfRecipient | null } {
  if (destination === 'mail') return { ...checkAddress(address), recipient: null };
  if (destination === 'pdf') return { ...checkRecipient(recipient), address: null };
  return { errors: {}, address: null, recipient: null };
}

/** Error code → text: this area's field codes, the common field codes, or a service error code. */
export function useCodeText() {
  const { fieldText } = useFailureText({ fieldKey: (code) => `certificates.fieldErrors.${code}`, unknownFieldKey: 'certificates.fieldErrors.invalid' });
  return (error: FieldError): string => fieldText(error.code, error.params);
}

/** The address as on the envelope, one line per row. */
export function addressLines(address: PostalAddress): string[] {
  if (address.kind === 'domestic') return [`〒${address.postalCode}`, `${address.prefecture}${address.line1}`, ...(address.line2 ? [address.line2] : [])];
  return [...address.lines, address.country];
}
