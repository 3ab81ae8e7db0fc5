import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { StaffIdentity } from '../../contract/admin.js';
import type { ImportKind, StudentDetailResponse, StudentSearchResponse } from '../../contract/registry.js';
import { DomainError } from '../../domain/errors.js';
import type { AuditActor } from '../../features/registry.js';
import type { AppDeps } from '../deps.js';
import { validated } from '../validate.js';

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
export const requireAdministrator: RequestHandler = (_req, res, next) => {
  next(staffOf(res).role === 'administrator' ? undefined : new DomainError('auth.forbidden', {}, 'registry import by a non-administrator'));
};

const kindSchema = z.enum(['students', 'grades'], { error: 'registry.kind' });

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

/** What each registry route checks (routes/admin-registry.ts). */
export const adminRegistryInput = {
  preview: { query: z.object({ kind: kindSchema }) },
  commit: {
    query: z.object({ kind: kindSchema, previewHash: z.string({ error: 'required' }).regex(/^[A-Za-z0-9_-]{43}$/, 'registry.previewStale') }),
  },
  search: { query: searchQuery },
};
const input = adminRegistryInput;

/** CSV import with preview, registry search (behind staff sign-in, which sets `res.locals.staff`). */
export function adminRegistryHandlers(deps: AppDeps) {
  const preview: RequestHandler = async (req, res) => {
    const { kind } = validated(res, input.preview).query;
    res.json(await deps.registry.previewImport(kind as ImportKind, csvOf(req.body), actorOf(staffOf(res))));
  };
  const commit: RequestHandler = async (req, res) => {
    const { kind, previewHash } = validated(res, input.commit).query;
    res.json(await deps.registry.commitImport(kind as ImportKind, csvOf(req.body), previewHash, actorOf(staffOf(res))));
  };
  const students: RequestHandler = async (_req, res) => {
    staffOf(res);
    const q = validated(res, input.search).query;
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    const page = await deps.registry.search({ search: q.search, offset, limit });
    const answer: StudentSearchResponse = { total: page.total, offset, limit, items: page.items };
    res.json(answer);
  };
  const student: RequestHandler = async (req, res) => {
    staffOf(res);
    const student = await deps.registry.getStudent(String(req.params.id));
    if (!student) throw new DomainError('notFound', {}, 'no such student in the registry');
    const answer: StudentDetailResponse = { student, grades: await deps.registry.gradesOf(student.studentId) };
    res.json(answer);
  };
  return { preview, commit, students, student };
}

/** The CSV file itself is the body (`Content-Type: text/csv`), up to 5 MB; the app's JSON parser stops at 64 kB. */
export const csvBody = express.text({ type: ['text/csv', 'text/plain'], limit: '5mb', defaultCharset: 'utf-8' });

/** A file over 5 MB is the user's mistake with a field to name, not a bare 413. */
export const csvTooLarge: ErrorRequestHandler = (err, _req, _res, next) => {
  const type = (err as { type?: unknown } | null)?.type;
  next(type === 'entity.too.large' ? new DomainError('validation.failed', {}, 'csv over 5 MB', { csv: 'registry.tooLarge' }) : err);
};
