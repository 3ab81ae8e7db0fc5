/**
 * The matching aid: field by field, does an application (利用申請) agree with the registry?
 * Staff still decide; this only shows where to look.
 */
import type { ApplicationForm, LeaveType } from '../applications/model.js';
import type { EnrollmentStatus, FieldMatch, MatchField, MatchReport, StudentRecord } from './model.js';
import { normalizeCode, normalizeName, normalizeStudentId, romanKey } from '../../shared/normalize.js';

/** The registry status a leave type stands for (卒業 ↔ graduated, 退学 ↔ withdrawn, 除籍 ↔ removed). */
const STATUS_OF_LEAVE: Record<LeaveType, EnrollmentStatus> = { graduated: 'graduated', withdrawn: 'withdrawn', removed: 'removed' };

/** Compares `form` with `record` (the registry's record of `form.studentId`, or null when there is none). */
export function matchApplication(form: ApplicationForm, record: StudentRecord | null): MatchReport {
  const pairs: [MatchField, string, string | null, (s: string) => string][] = [
    ['studentId', form.studentId, record?.studentId ?? null, normalizeStudentId],
    ['nameKanji', form.nameKanji, record?.nameKanji ?? null, normalizeName],
    ['nameKana', form.nameKana, record?.nameKana ?? null, normalizeName],
    ['nameRoman', form.nameRoman, record?.nameRoman ?? null, romanKey],
    ['universityCode', form.universityCode, record?.universityCode ?? null, normalizeCode],
    ['facultyCode', form.facultyCode, record?.facultyCode ?? null, normalizeCode],
    ['departmentCode', form.departmentCode, record?.departmentCode ?? null, normalizeCode],
    ['graduationYearMonth', form.graduationYearMonth, record?.graduationDate?.slice(0, 7) ?? null, (s) => s.trim()],
    ['leaveType', form.leaveType, record?.status ?? null, (s) => s],
  ];
  const fields: FieldMatch[] = pairs.map(([field, applied, registry, key]) => {
    const shown = field === 'nameRoman' ? normalizeName(applied) : key(applied);
    if (!record) return { field, result: 'noRecord', applied: shown, registry: null };
    const equal = field === 'leaveType' ? STATUS_OF_LEAVE[applied as LeaveType] === registry : registry !== null && key(applied) === key(registry);
    return { field, result: equal ? 'match' : 'mismatch', applied: shown, registry };
  });
  return { allMatch: fields.every((f) => f.result === 'match'), record, fields };
}
