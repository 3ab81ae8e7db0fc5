/**
 * The institution profile as administrators enter it (and as the demo file gives it). Messages
 * are field error codes (`required`, `tooLong`, `institution.<x>`), i18n keys of the console.
 */
import { z } from 'zod';
import type { EnvironmentRow } from './model.js';
import type { ProfileInput } from './service.js';

/** Field error codes besides the core `required` and `tooLong`. */
export const INSTITUTION_FIELD_ERRORS = ['institution.phoneInvalid', 'institution.mailInvalid', 'institution.urlInvalid', 'institution.tooManyRows'] as const;

/** At most this many lines of supported environments. */
export const MAX_ENVIRONMENT_ROWS = 10;

// One line, no control characters: these texts go into headers, mails and PDFs.
const line = (max: number) =>
  z
    .string({ error: 'required' })
    .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'required').max(max, 'tooLong'));
const localized = (ja: number, en: number) => z.object({ ja: line(ja), en: line(en) }, { error: 'required' });

const phone = z
  .string({ error: 'required' })
  .trim()
  .min(1, 'required')
  .regex(/^\+?[0-9][0-9 ()-]{5,23}$/, 'institution.phoneInvalid');
const mail = z
  .string({ error: 'required' })
  .trim()
  .min(1, 'required')
  .max(254, 'tooLong')
  .regex(
    /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/,
    'institution.mailInvalid',
  );
const webUrl = z
  .string()
  .trim()
  .max(500, 'tooLong')
  .nullable()
  .transform((s) => (s ? s : null))
  .refine((s) => s === null || isHttpsUrl(s), 'institution.urlInvalid');

function isHttpsUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return url.protocol === 'https:' && url.hostname.length > 0 && !url.username && !url.password;
  } catch {
    return false;
  }
}

export const environmentRowSchema: z.ZodType<EnvironmentRow> = z.object({ category: localized(30, 60), detail: localized(200, 300) });

export const institutionProfileSchema = z.object({
  name: localized(60, 120),
  shortName: localized(20, 40),
  officer: z.object({ title: localized(30, 60), name: localized(40, 80) }, { error: 'required' }),
  contact: z.object({ office: localized(80, 160), phone, mail, hours: localized(100, 200), webUrl }, { error: 'required' }),
  environments: z.array(environmentRowSchema, { error: 'required' }).max(MAX_ENVIRONMENT_ROWS, 'institution.tooManyRows'),
}) satisfies z.ZodType<ProfileInput, unknown>;
