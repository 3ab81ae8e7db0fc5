/**
 * The personal-data form (在学時情報) of an application: normalisation and validation in one
 * pure function, used by the service (the one authority) and by the renderer (the same checks
 * before 確認, so the student sees the same messages without a round trip).
 * No Node, zod or express imports: the renderer bundles this file.
 */
import type { CatalogueUniversity } from './catalogue.js';
import { hasFamilyAndGivenName, isKatakanaName, isRomanName, isStudentId, normalizeCode, normalizeName, normalizeStudentId } from './normalize.js';

/** 卒業 / 退学 / 除籍 */
export type LeaveType = 'graduated' | 'withdrawn' | 'removed';

/** The personal-data form (在学時情報), as the applicant typed it after normalisation. */
export interface ApplicationForm {
  /** 在学時氏名: family and given name separated by one half-width space. */
  nameKanji: string;
  nameKana: string;
  nameRoman: string;
  universityCode: string;
  facultyCode: string;
  departmentCode: string;
  studentId: string;
  /** 卒業(修了)年月, Western calendar, YYYY-MM. */
  graduationYearMonth: string;
  leaveType: LeaveType;
}

export const APPLICATION_FORM_FIELDS = [
  'nameKanji',
  'nameKana',
  'nameRoman',
  'universityCode',
  'facultyCode',
  'departmentCode',
  'studentId',
  'graduationYearMonth',
  'leaveType',
] as const satisfies readonly (keyof ApplicationForm)[];

export type ApplicationFormField = (typeof APPLICATION_FORM_FIELDS)[number];

export const LEAVE_TYPES: readonly LeaveType[] = ['graduated', 'withdrawn', 'removed'];

/** Longest name accepted (per script). */
export const NAME_MAX = 50;
/** 卒業(修了)年月: from this year up to `now` + this many years (expected completion). */
export const GRADUATION_MIN_YEAR = 1950;
export const GRADUATION_YEARS_AHEAD = 6;

export interface ParseOptions {
  /** When given, the codes must name a university → faculty → department of the catalogue. */
  catalogue?: CatalogueUniversity[] | null;
  /** "Now" for the graduation range (the service passes its clock). Default: the current time. */
  now?: Date;
}

export type ParseResult = { ok: true; form: ApplicationForm } | { ok: false; fields: Partial<Record<ApplicationFormField, string>> };

const text = (raw: Record<string, unknown>, key: string): string => {
  const v = raw[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
};

/** Letters, combining marks and the few signs names carry (ー ・ ' - .), nothing else. */
const NAME_CHARS = /^[\p{L}\p{M}\u30FC\u30FB'.\- ]+$/u;

function checkName(value: string, script: 'kanji' | 'kana' | 'roman'): string | null {
  if (value === '') return 'required';
  if (value.length > NAME_MAX) return 'tooLong';
  if (script === 'kana' && !isKatakanaName(value)) return 'kana.invalid';
  if (script === 'roman' && !isRomanName(value)) return 'roman.invalid';
  if (script === 'kanji' && !NAME_CHARS.test(value)) return 'name.invalid';
  if (!hasFamilyAndGivenName(value)) return 'name.spaceRequired';
  return null;
}

/**
 * Raw input (a JSON body, or the renderer's strings) → a normalised `ApplicationForm`, or a
 * code per field with a mistake. Names: widths folded and every run of full- or half-width
 * spaces made one half-width space; katakana-only and roman-only checks; a space between
 * family and given name. Codes: must exist in the catalogue and belong together. Student ID:
 * letters, digits and hyphens, at most 20. Graduation: `YYYY-MM`, 1950 … now + 6 years.
 */
export function parseApplicationForm(raw: unknown, options: ParseOptions = {}): ParseResult {
  const input = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const fields: Partial<Record<ApplicationFormField, string>> = {};
  const fail = (field: ApplicationFormField, code: string | null) => {
    if (code) fields[field] = code;
  };

  const nameKanji = normalizeName(text(input, 'nameKanji'));
  const nameKana = normalizeName(text(input, 'nameKana'));
  const nameRoman = normalizeName(text(input, 'nameRoman'));
  fail('nameKanji', checkName(nameKanji, 'kanji'));
  fail('nameKana', checkName(nameKana, 'kana'));
  fail('nameRoman', checkName(nameRoman, 'roman'));

  const universityCode = normalizeCode(text(input, 'universityCode'));
  const facultyCode = normalizeCode(text(input, 'facultyCode'));
  const departmentCode = normalizeCode(text(input, 'departmentCode'));
  if (!universityCode) fail('universityCode', 'required');
  if (!facultyCode) fail('facultyCode', 'required');
  if (!departmentCode) fail('departmentCode', 'required');
  if (options.catalogue && universityCode) {
    const university = options.catalogue.find((u) => u.code === universityCode);
    const faculty = university?.faculties.find((f) => f.code === facultyCode);
    if (!university) fail('universityCode', 'university.unknown');
    else if (facultyCode && !faculty) fail('facultyCode', 'faculty.unknown');
    else if (faculty && departmentCode && !faculty.departments.some((d) => d.code === departmentCode)) {
      fail('departmentCode', 'department.unknown');
    }
  }

  const studentId = normalizeStudentId(text(input, 'studentId'));
  if (!studentId) fail('studentId', 'required');
  else if (!isStudentId(studentId)) fail('studentId', 'studentId.invalid');

  const graduationYearMonth = parseYearMonth(text(input, 'graduationYearMonth'), options.now ?? new Date(), (code) => fail('graduationYearMonth', code));

  const leave = text(input, 'leaveType').trim();
  if (!leave) fail('leaveType', 'required');
  else if (!(LEAVE_TYPES as readonly string[]).includes(leave)) fail('leaveType', 'leaveType.invalid');

  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return {
    ok: true,
    form: {
      nameKanji,
      nameKana,
      nameRoman,
      universityCode,
      facultyCode,
      departmentCode,
      studentId,
      graduationYearMonth: graduationYearMonth!,
      leaveType: leave as LeaveType,
    },
  };
}

/** "2024-3", "２０２４－０３", "2024/03" → "2024-03"; a code for anything else. */
function parseYearMonth(value: string, now: Date, fail: (code: string) => void): string | null {
  const folded = normalizeStudentId(value)
    .replace(/[/.年]/g, '-')
    .replace(/月$/, '');
  if (folded === '' || folded === '-') {
    fail('required');
    return null;
  }
  const m = /^(\d{4})-(\d{1,2})$/.exec(folded);
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) {
    fail('graduation.invalid');
    return null;
  }
  const year = Number(m[1]);
  if (year < GRADUATION_MIN_YEAR || year > now.getFullYear() + GRADUATION_YEARS_AHEAD) {
    fail('graduation.outOfRange');
    return null;
  }
  return `${m[1]}-${String(month).padStart(2, '0')}`;
}

/** The years a graduation (completion) may fall in, newest first (for the renderer's choices). */
export function graduationYears(now: Date = new Date()): number[] {
  const years: number[] = [];
  for (let y = now.getFullYear() + GRADUATION_YEARS_AHEAD; y >= GRADUATION_MIN_YEAR; y--) years.push(y);
  return years;
}
