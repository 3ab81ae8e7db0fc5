/**
 * What the student may order (GET /api/certificates/options): per student ID of the account that
 * the registry knows, its registry facts and every active type with why it cannot be ordered.
 */
import type { CertificateOptionsResponse, CertificateTypeOption, StudentOption } from '../../contract/certificates.js';
import type { Account } from '../model.js';
import type { StudentRecord } from '../registry/model.js';
import { eligibilityProblem } from './eligibility.js';
import { MAX_COPIES_PER_ORDER, type CertificateType } from './model.js';
import { PREFECTURES } from '../../shared/postal-address.js';

export interface OptionsInput {
  account: Pick<Account, 'studentIds'>;
  types: readonly CertificateType[];
  getStudent(studentId: string): Promise<StudentRecord | null>;
  now: Date;
  reservationValidDays: number;
}

/** One type as offered to one student: `unavailable` is the ErrorCode of the first reason, or null. */
export function typeOption(type: CertificateType, student: StudentRecord, now: Date): CertificateTypeOption {
  return {
    code: type.code,
    name: type.name,
    template: type.template,
    languages: [...type.languages],
    destinations: [...type.destinations],
    maxCopies: type.maxCopies,
    fee: type.fee,
    validityMonths: type.validityMonths,
    unavailable: eligibilityProblem(type, student, now),
  };
}

export function studentOption(student: StudentRecord, types: readonly CertificateType[], now: Date): StudentOption {
  return {
    studentId: student.studentId,
    status: student.status,
    university: student.universityName,
    faculty: student.facultyName,
    department: student.departmentName,
    types: types
      .filter((t) => t.active)
      .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))
      .map((t) => typeOption(t, student, now)),
  };
}

export async function certificateOptions(input: OptionsInput): Promise<CertificateOptionsResponse> {
  const students: StudentOption[] = [];
  for (const id of input.account.studentIds) {
    const student = await input.getStudent(id);
    if (student) students.push(studentOption(student, input.types, input.now));
  }
  return {
    students,
    maxCopiesPerOrder: MAX_COPIES_PER_ORDER,
    reservationValidDays: input.reservationValidDays,
    prefectures: PREFECTURES.map((p) => ({ ...p })),
  };
}
