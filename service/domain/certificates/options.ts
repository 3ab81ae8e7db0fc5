/**
 * What the student may order (GET /api/certificates/options): per student ID of the account that
 * the registry knows, its registry record and every active type with why it cannot be ordered.
 */
import type { PdfDeliveryPolicy } from './pdf-delivery-rules.js';
import type { Account } from '../model.js';
import type { LocalizedName, StudentRecord } from '../registry/model.js';
import { eligibilityProblem, type OrderProblemCode } from './eligibility.js';
import { MAX_COPIES_PER_ORDER, type CertificateType } from './model.js';
import { PREFECTURES } from '../../shared/postal-address.js';

export interface OptionsInput {
  account: Pick<Account, 'studentIds'>;
  types: readonly CertificateType[];
  getStudent(studentId: string): Promise<StudentRecord | null>;
  now: Date;
  reservationValidDays: number;
  /** PDF送付: how long the recipient's link works and how many downloads it allows. */
  pdfDelivery: PdfDeliveryPolicy;
  /**
   * Whether a document can be sent as a file now: it needs a time-stamp, so without a
   * time-stamping authority no type offers PDF送付 (rather than an order that fails at the end).
   */
  pdfDeliveryAvailable: boolean;
}

/** One type as offered to one student: `unavailable` is the first reason it cannot be ordered, or null. */
export interface TypeOffer {
  type: CertificateType;
  unavailable: OrderProblemCode | null;
}

/** One of the account's student IDs: its registry record and the active types in display order. */
export interface StudentOffer {
  student: StudentRecord;
  offers: TypeOffer[];
}

export interface OrderOptions {
  students: StudentOffer[];
  /** All lines of one order together. */
  maxCopiesPerOrder: number;
  reservationValidDays: number;
  pdfDelivery: PdfDeliveryPolicy;
  /** The 47 prefectures of the domestic address form. */
  prefectures: readonly LocalizedName[];
}

/** The types as they may be ordered now: without PDF送付 when no document can be sent as a file. */
export function orderableTypes(types: readonly CertificateType[], pdfDeliveryAvailable: boolean): CertificateType[] {
  return pdfDeliveryAvailable ? [...types] : types.map((t) => ({ ...t, destinations: t.destinations.filter((d) => d !== 'pdf') }));
}

function studentOffer(student: StudentRecord, types: readonly CertificateType[], now: Date): StudentOffer {
  return {
    student,
    offers: types
      .filter((t) => t.active)
      .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))
      .map((type) => ({ type, unavailable: eligibilityProblem(type, student, now) })),
  };
}

export async function certificateOptions(input: OptionsInput): Promise<OrderOptions> {
  const students: StudentOffer[] = [];
  const types = orderableTypes(input.types, input.pdfDeliveryAvailable);
  for (const id of input.account.studentIds) {
    const student = await input.getStudent(id);
    if (student) students.push(studentOffer(student, types, input.now));
  }
  return {
    students,
    maxCopiesPerOrder: MAX_COPIES_PER_ORDER,
    reservationValidDays: input.reservationValidDays,
    pdfDelivery: { ...input.pdfDelivery },
    prefectures: PREFECTURES,
  };
}
