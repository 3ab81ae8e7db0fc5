import express, { type ErrorRequestHandler, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { StaffIdentity } from '../../contract/admin.js';
import type { ImportKind, StudentDetailResponse, StudentSearchResponse } from '../../contract/registry.js';
import { DomainError } from '../../domain/errors.js';
import type { AuditActor } from '../../features/registry.js';
import type { AppDeps } from '../deps.js';

/** The staff user set by the staff sign-in middleware that mounts this router. */
interface StaffLocals {
  id: string;
  name?: string;
  displayName?: string;
  role: StaffIdentity['role'];
}

function staffOf(res: Response): StaffLocals {
  const staff = res.locals.staff as StaffLocals | undefined;
  if (!staff) throw new DomainError('auth.required', {}, 'registry route without res.locals.staff');
  return staff;
}

const actorOf = (staff: StaffLocals): AuditActor => ({ type: 'staff', id: staff.id, name: staff.name ?? staff.displayName ?? staff.id });

/** Imports change the registry: administrators only. */
const requireAdministrator: RequestHandler = (_req, res, next) => {
  next(staffOf(res).role === 'administrator' ? undefined : new DomainError('auth.forbidden', {}, 'registry import by a non-administrator'));
};

const kindSchema = z.enum(['students', 'grades'], { error: 'registry.kind' });
const previewQuery = z.object({ kind: kindSchema });
const commitQuery = z.object({ kind: kindSchema, previewHash: z.string({ error: 'required' }).regex(/^[A-Za-z0-9_-]{43}$/, 'registry.previewStale') });

/** Query parameters checked like bodies: a failure is `validation.failed` with a code per field. */
function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? '_')] ??= issue.code === 'invalid_type' ? 'required' : issue.message;
  throw new DomainError('validation.failed', {}, JSON.stringify(fields), fields);
}

/** The CSV file itself is the body (`Content-Type: text/csv`), up to 5 MB; the app's JSON parser stops at 64 kB. */
const csvBody = express.text({ type: ['text/csv', 'text/plain'], limit: '5mb', defaultCharset: 'utf-8' });

function csvOf(body: unknown): string {
  if (typeof body !== 'string' || body === '') {
    throw new DomainError('validation.failed', {}, 'no text/csv body', { csv: 'required' });
  }
  return body;
}

const searchQuery = z.object({
  search: z.string().max(100).optional().catch(undefined),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(200).optional().catch(undefined),
});

/**
 * /api/admin/registry: CSV import with preview, registry search (mounted behind staff sign-in,
 * which sets `res.locals.staff`).
 *
 * POST /import/preview?kind=students|grades            body: the CSV (text/csv) → ImportPreview
 * POST /import/commit?kind=…&previewHash=<preview.hash>  body: the same CSV       → ImportResult
 */
export function adminRegistryRoutes(deps: AppDeps): Router {
  const router = express.Router();

  router.post('/import/preview', requireAdministrator, csvBody, async (req, res) => {
    const { kind } = parseQuery(previewQuery, req.query);
    res.json(await deps.registry.previewImport(kind as ImportKind, csvOf(req.body), actorOf(staffOf(res))));
  });

  router.post('/import/commit', requireAdministrator, csvBody, async (req, res) => {
    const { kind, previewHash } = parseQuery(commitQuery, req.query);
    res.json(await deps.registry.commitImport(kind as ImportKind, csvOf(req.body), previewHash, actorOf(staffOf(res))));
  });

  router.get('/students', async (req, res) => {
    staffOf(res);
    const q = searchQuery.parse(req.query);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    const page = await deps.registry.search({ search: q.search, offset, limit });
    const answer: StudentSearchResponse = { total: page.total, offset, limit, items: page.items };
    res.json(answer);
  });

  router.get('/students/:id', async (req, res) => {
    staffOf(res);
    const student = await deps.registry.getStudent(String(req.params.id));
    if (!student) throw new DomainError('notFound', {}, 'no such student in the registry');
    const answer: StudentDetailResponse = { student, grades: await deps.registry.gradesOf(student.studentId) };
    res.json(answer);
  });

  // A file over 5 MB is the user's mistake with a field to name, not a bare 413.
  router.use(((err, _req, _res, next) => {
    const type = (err as { type?: unknown } | null)?.type;
    next(type === 'entity.too.large' ? new DomainError('validation.failed', {}, 'csv over 5 MB', { csv: 'registry.tooLarge' }) : err);
  }) as ErrorRequestHandler);

  return router;
}
