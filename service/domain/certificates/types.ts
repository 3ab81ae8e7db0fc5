/**
 * Certificate types: the zod schema for the template file and for staff edits (the files are read
 * by adapters/files/certificate-types.ts).
 * Schema messages are codes (`certificateType.<x>`, `required`, `tooLong`) that are i18n keys of
 * the renderer (`renderer/src/locales/certificateType/*.json`, core `fieldErrors.*`).
 */
import { z } from 'zod';
import { CERTIFICATE_TEMPLATES, DESTINATIONS, MAX_COPIES_PER_ORDER, type CertificateType } from './model.js';

/** Field error codes of the schema (besides the core `required` and `tooLong`). */
export type CertificateTypeFieldError =
  | 'certificateType.codeInvalid'
  | 'certificateType.codeDuplicate'
  | 'certificateType.templateInvalid'
  | 'certificateType.languagesInvalid'
  | 'certificateType.statusesInvalid'
  | 'certificateType.destinationsInvalid'
  | 'certificateType.monthsInvalid'
  | 'certificateType.maxCopiesInvalid'
  | 'certificateType.feeInvalid'
  | 'certificateType.sortOrderInvalid';

export const CERTIFICATE_TYPE_FIELD_ERRORS: readonly CertificateTypeFieldError[] = [
  'certificateType.codeInvalid',
  'certificateType.codeDuplicate',
  'certificateType.templateInvalid',
  'certificateType.languagesInvalid',
  'certificateType.statusesInvalid',
  'certificateType.destinationsInvalid',
  'certificateType.monthsInvalid',
  'certificateType.maxCopiesInvalid',
  'certificateType.feeInvalid',
  'certificateType.sortOrderInvalid',
];

/** `[a-z][a-z0-9-]{1,15}`: short, because it is part of the signed offline payload. */
export const CERTIFICATE_TYPE_CODE = /^[a-z][a-z0-9-]{1,15}$/;

const text = (max: number) => z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'tooLong');
const distinct = <T>(items: T[]) => new Set(items).size === items.length;
const months = z
  .number({ error: 'certificateType.monthsInvalid' })
  .int('certificateType.monthsInvalid')
  .min(1, 'certificateType.monthsInvalid')
  .max(120, 'certificateType.monthsInvalid')
  .nullable();

/** One certificate type, as staff edit it (all fields required; `null` where the model allows it). */
export const certificateTypeSchema = z.object({
  code: z.string({ error: 'required' }).trim().regex(CERTIFICATE_TYPE_CODE, 'certificateType.codeInvalid'),
  name: z.object({ ja: text(60), en: text(120) }, { error: 'required' }),
  template: z.enum(CERTIFICATE_TEMPLATES as [string, ...string[]], { error: 'certificateType.templateInvalid' }),
  languages: z
    .array(z.enum(['ja', 'en'], { error: 'certificateType.languagesInvalid' }), { error: 'certificateType.languagesInvalid' })
    .min(1, 'certificateType.languagesInvalid')
    .refine(distinct, 'certificateType.languagesInvalid'),
  eligibleStatuses: z
    .array(z.enum(['enrolled', 'graduated', 'withdrawn', 'removed'], { error: 'certificateType.statusesInvalid' }), {
      error: 'certificateType.statusesInvalid',
    })
    .min(1, 'certificateType.statusesInvalid')
    .refine(distinct, 'certificateType.statusesInvalid'),
  requiresGraduationDateWithinMonths: months,
  destinations: z
    .array(z.enum(DESTINATIONS as [string, ...string[]], { error: 'certificateType.destinationsInvalid' }), {
      error: 'certificateType.destinationsInvalid',
    })
    .min(1, 'certificateType.destinationsInvalid')
    .refine(distinct, 'certificateType.destinationsInvalid'),
  maxCopies: z
    .number({ error: 'certificateType.maxCopiesInvalid' })
    .int('certificateType.maxCopiesInvalid')
    .min(1, 'certificateType.maxCopiesInvalid')
    .max(MAX_COPIES_PER_ORDER, 'certificateType.maxCopiesInvalid'),
  validityMonths: months,
  fee: z
    .number({ error: 'certificateType.feeInvalid' })
    .int('certificateType.feeInvalid')
    .min(0, 'certificateType.feeInvalid')
    .max(100_000, 'certificateType.feeInvalid'),
  active: z.boolean({ error: 'required' }),
  sortOrder: z
    .number({ error: 'certificateType.sortOrderInvalid' })
    .int('certificateType.sortOrderInvalid')
    .min(0, 'certificateType.sortOrderInvalid')
    .max(100_000, 'certificateType.sortOrderInvalid'),
}) as unknown as z.ZodType<CertificateType>;

/** The whole file (`resources/certificate-types-template.json`, or a staff export): codes unique. */
export const certificateTypeFileSchema = z.object({ types: z.array(certificateTypeSchema).min(1, 'required') }).superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.types.forEach((type, index) => {
    if (seen.has(type.code)) ctx.addIssue({ code: 'custom', path: ['types', index, 'code'], message: 'certificateType.codeDuplicate' });
    seen.add(type.code);
  });
});

/** A schema failure as `path → code`, e.g. `{ 'types.2.maxCopies': 'certificateType.maxCopiesInvalid' }` (first per path). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    fields[path] ??= issue.message;
  }
  return fields;
}

/** Validates a parsed file; throws an Error listing `path: code` pairs when it is invalid. */
export function parseCertificateTypes(json: unknown): CertificateType[] {
  const parsed = certificateTypeFileSchema.safeParse(json);
  if (!parsed.success) {
    const list = Object.entries(fieldErrorsOf(parsed.error)).map(([path, code]) => `${path}: ${code}`);
    throw new Error(`invalid certificate types: ${list.join(', ')}`);
  }
  return [...parsed.data.types].sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
}
