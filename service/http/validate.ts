import type { RequestHandler } from 'express';
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';

/** The request body parsed by `validateBody`, typed by its schema. */
export const bodyOf = <S extends z.ZodType>(res: { locals: Record<string, unknown> }, _schema: S): z.output<S> =>
  res.locals.body as z.output<S>;

/**
 * Validates the JSON body at the edge. A failure becomes `validation.failed` with a code per
 * field (the schema's messages are codes such as `mail.invalid`, never prose).
 */
export function validateBody(schema: z.ZodType): RequestHandler {
  return (req, res, next) => {
    const parsed = schema.safeParse(req.body ?? {});
    if (parsed.success) {
      res.locals.body = parsed.data;
      return next();
    }
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '_');
      fields[field] ??= issue.code === 'invalid_type' ? 'required' : issue.message;
    }
    next(new DomainError('validation.failed', {}, JSON.stringify(fields), fields));
  };
}

/** A mail address as people type it: trimmed; half-width; a sane length; one @ with a dotted domain. */
export const mailAddress = z
  .string({ error: 'required' })
  .trim()
  .min(1, 'required')
  .max(254, 'tooLong')
  .regex(/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/, 'mail.invalid');

export const schemas = {
  mailRequest: z.object({ mail: mailAddress, mailConfirm: z.string({ error: 'required' }).trim().min(1, 'required').max(254, 'tooLong') }),
  mailConfirm: z.object({ token: z.string({ error: 'required' }).regex(/^[A-Za-z0-9_-]{43}$/, 'token.unknown') }),
  language: z.object({ language: z.enum(['ja', 'en'], { error: 'language.invalid' }) }),
};
