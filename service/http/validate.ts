import type { RequestHandler } from 'express';
import { z } from 'zod';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import { ERROR_STATUS } from '../shared/errors.js';

/** What a route checks at the edge: its path parameters, its query string and its JSON body. */
export interface InputSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

/** The request's parts as `validate` parsed them, typed by their schemas. */
export type Validated<S extends InputSchemas> = { [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never };

const isCode = (message: string) => /^[A-Za-z][A-Za-z0-9.]*$/.test(message);

/**
 * Issues → a code per field, keyed by the full path (`postalAddress.postalCode`, `items.0.copies`),
 * the first per field. A schema's messages are codes; zod's own prose never reaches the reply:
 * a wrong type without a code of its own is `required`, anything else `invalid`.
 */
export function fieldsOf(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map(String)].join('.') || '_';
    fields[path] ??= isCode(issue.message) ? issue.message : issue.code === 'invalid_type' ? 'required' : 'invalid';
  }
  return fields;
}

/** `validation.failed` with a code per field. */
export const validationFailed = (fields: Record<string, string>): DomainError => new DomainError('validation.failed', {}, JSON.stringify(fields), fields);

/** A failure answered with an error of its own (e.g. a malformed path: that resource not found). */
function refusal(issues: readonly z.core.$ZodIssue[], fallback: ErrorCode): DomainError {
  const issue = issues[0];
  const code = issue && issue.message in ERROR_STATUS ? (issue.message as ErrorCode) : fallback;
  return new DomainError(code, {}, `malformed ${issue?.path.map(String).join('.') ?? 'input'}`);
}

/** A repeated query parameter counts once, by its first value. */
const firstValues = (query: Record<string, unknown>) => Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));

/**
 * Validates the request at the edge, its parts in the order `schemas` names them (the first
 * failure answers); the handler reads the result with `validated`. A body or query failure is
 * `validation.failed` with a code per field; a malformed path parameter is `notFound` (or the
 * error code its schema's message names). `refuse` makes a query failure such an error too, when
 * the query is part of a resource's address (a claim in a document URL).
 */
export function validate(schemas: InputSchemas, refuse: { query?: ErrorCode } = {}): RequestHandler {
  const parts = (Object.keys(schemas) as Array<keyof InputSchemas>).filter((part) => schemas[part]);
  return (req, res, next) => {
    const input: Record<string, unknown> = {};
    for (const part of parts) {
      const raw = part === 'body' ? (req.body ?? {}) : part === 'query' ? firstValues(req.query) : req.params;
      const parsed = schemas[part]!.safeParse(raw);
      if (!parsed.success) {
        const error = part === 'params' ? 'notFound' : part === 'query' ? refuse.query : undefined;
        return next(error ? refusal(parsed.error.issues, error) : validationFailed(fieldsOf(parsed.error.issues)));
      }
      input[part] = parsed.data;
    }
    res.locals.validated = input;
    next();
  };
}

/** What `validate(schemas)` parsed for this request (pass the same schemas: they give the type). */
export const validated = <S extends InputSchemas>(res: { locals: Record<string, unknown> }, _schemas: S): Validated<S> => res.locals.validated as Validated<S>;

/** Ids the service generates (orders, applications, campus jobs, claims, terminals, mail orders). */
export const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A path parameter holding an id; malformed → `notFound`, or `notFound` given (e.g. `campus.notFound`). */
export const idParam = (notFound: ErrorCode = 'notFound') => z.string().regex(ID, notFound);
/** Certificate numbers (`2026-…`) and certificate type codes have their own alphabet and length. */
export const certificateNumberParam = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'notFound');
export const typeCodeParam = z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'notFound');
/** `<certificate number>.pdf` → the certificate number. */
export const pdfFileParam = (notFound: ErrorCode = 'notFound') =>
  z
    .string()
    .regex(/^[A-Za-z0-9-]{1,40}\.pdf$/, notFound)
    .transform((file) => file.slice(0, -'.pdf'.length));

/** A mail address as people type it: trimmed; half-width; a sane length; one @ with a dotted domain. */
export const mailAddress = z
  .string({ error: 'required' })
  .trim()
  .min(1, 'required')
  .max(254, 'tooLong')
  .regex(
    /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/,
    'mail.invalid',
  );

export const schemas = {
  mailRequest: z.object({ mail: mailAddress, mailConfirm: z.string({ error: 'required' }).trim().min(1, 'required').max(254, 'tooLong') }),
  mailConfirm: z.object({ token: z.string({ error: 'required' }).regex(/^[A-Za-z0-9_-]{43}$/, 'token.unknown') }),
  language: z.object({ language: z.enum(['ja', 'en'], { error: 'language.invalid' }) }),
};
