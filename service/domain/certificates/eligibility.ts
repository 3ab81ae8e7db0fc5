/**
 * Who may order what (pure): the server's check of an order before anything is issued.
 * Problem codes are `ErrorCode`s (i18n keys `errors.<code>`).
 */
import { copiesLimitFor } from '../../shared/pdf-recipient.js';
import type { ErrorCode } from '../errors.js';
import { DomainError } from '../errors.js';
import type { Language } from '../model.js';
import type { StudentRecord } from '../registry/model.js';
import { MAX_COPIES_PER_ORDER, type CertificateType, type Destination, type OrderItem } from './model.js';

export type OrderProblemCode = Extract<ErrorCode, `order.${string}`>;

export interface OrderProblem {
  code: OrderProblemCode;
  /** Index of the item concerned in `items`; null for the order as a whole. */
  line: number | null;
  /** The item's type code, when there is one. */
  typeCode: string | null;
  /** Values for the message, e.g. `{ limit: 10 }`. */
  params: Record<string, string | number>;
}

export interface OrderRequest {
  types: readonly CertificateType[];
  student: StudentRecord;
  items: readonly OrderItem[];
  destination: Destination;
  now: Date;
}

export type OrderCheck = { ok: true; totalCopies: number; totalFee: number } | { ok: false; problems: OrderProblem[] };

/** Today's date in Japan (UTC+9, no daylight saving), YYYY-MM-DD. */
export const japanDate = (now: Date): string => new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);

/** `date` (YYYY-MM-DD) plus `months` calendar months, the day clamped to the month's end. */
export function addMonthsToDate(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Whether this student may request this type at all (status and graduation-date rule); null = yes. */
export function eligibilityProblem(type: CertificateType, student: StudentRecord, now: Date): OrderProblemCode | null {
  if (!type.eligibleStatuses.includes(student.status)) return 'order.statusNotEligible';
  if (type.requiresGraduationDateWithinMonths !== null) {
    const today = japanDate(now);
    const latest = addMonthsToDate(today, type.requiresGraduationDateWithinMonths);
    const date = student.graduationDate;
    if (date === null || date < today || date > latest) return 'order.graduationDateOutOfRange';
  }
  return null;
}

/** The active types this student may request (for the type choice screen), in display order. */
export function typesAvailableTo(types: readonly CertificateType[], student: StudentRecord, now: Date, destination?: Destination): CertificateType[] {
  return types
    .filter((t) => t.active && eligibilityProblem(t, student, now) === null)
    .filter((t) => destination === undefined || t.destinations.includes(destination))
    .sort((a, b) => a.sortOrder - b.sortOrder);
}

/**
 * Checks an order completely and reports every problem (not just the first), each with a stable
 * code: unknown/inactive type, status not eligible, graduation date out of range, language not
 * offered, destination not allowed, copies not a positive integer, over the type's limit,
 * duplicate (type, language) lines, more than 20 copies in total, no lines at all.
 */
export function checkOrder(request: OrderRequest): OrderCheck {
  const { types, student, items, destination, now } = request;
  const problems: OrderProblem[] = [];
  const add = (code: OrderProblemCode, line: number | null, typeCode: string | null, params: Record<string, string | number> = {}) =>
    problems.push({ code, line, typeCode, params });

  if (items.length === 0) add('order.empty', null, null);
  const byCode = new Map(types.map((t) => [t.code, t]));
  const seen = new Set<string>();
  let totalCopies = 0;
  let totalFee = 0;

  items.forEach((item, line) => {
    const type = byCode.get(item.typeCode);
    const validCopies = Number.isInteger(item.copies) && item.copies >= 1;
    if (!validCopies) add('order.copiesInvalid', line, item.typeCode);
    else totalCopies += item.copies;

    const key = `${item.typeCode}\u0000${item.language}`;
    if (seen.has(key)) add('order.duplicateLine', line, item.typeCode);
    seen.add(key);

    if (!type || !type.active) {
      add('order.typeUnknown', line, item.typeCode);
      return;
    }
    const eligibility = eligibilityProblem(type, student, now);
    if (eligibility) add(eligibility, line, type.code);
    if (!type.languages.includes(item.language as Language)) add('order.languageNotOffered', line, type.code, { language: item.language });
    if (!type.destinations.includes(destination)) add('order.destinationNotAllowed', line, type.code);
    const limit = copiesLimitFor(destination, type.maxCopies);
    if (validCopies && item.copies > limit) add('order.copiesOverTypeLimit', line, type.code, { limit });
    if (validCopies) totalFee += type.fee * item.copies;
  });

  if (totalCopies > MAX_COPIES_PER_ORDER) add('order.copiesOverOrderLimit', null, null, { limit: MAX_COPIES_PER_ORDER });
  return problems.length === 0 ? { ok: true, totalCopies, totalFee } : { ok: false, problems };
}

/**
 * `checkOrder` for services: returns the totals, or throws `DomainError` with the first problem's
 * code (its params) and every problem in `fields` as `items.<line>` / `order` → code.
 */
export function assertOrder(request: OrderRequest): { totalCopies: number; totalFee: number } {
  const result = checkOrder(request);
  if (result.ok) return { totalCopies: result.totalCopies, totalFee: result.totalFee };
  const fields: Record<string, string> = {};
  for (const p of result.problems) fields[p.line === null ? 'order' : `items.${p.line}`] ??= p.code;
  const first = result.problems[0]!;
  throw new DomainError(first.code, first.params, result.problems.map((p) => `${p.line ?? '-'}:${p.code}`).join(','), fields);
}
