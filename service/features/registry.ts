import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApplicationForm } from '../domain/applications/model.js';
import type { AuditEntry } from '../domain/audit.js';
import { DomainError } from '../domain/errors.js';
import { deriveCatalogue } from '../domain/registry/catalogue.js';
import { diffGrades, diffStudents, importHash, readGradesCsv, readStudentsCsv, type GradesDiff, type StudentsDiff } from '../domain/registry/import.js';
import { matchApplication } from '../domain/registry/match.js';
import type {
  CatalogueUniversity,
  GradeImportDiff,
  GradeRecord,
  ImportError,
  ImportKind,
  ImportPreview,
  ImportResult,
  MatchReport,
  StudentImportDiff,
  StudentRecord,
} from '../domain/registry/model.js';
import { normalizeStudentId } from '../shared/normalize.js';
import { foldForSearch, searchable } from '../domain/registry/search.js';
import { resourcesDir } from '../paths.js';
import type { FeatureContext } from './context.js';

export type AuditActor = AuditEntry['actor'];

/** Student registry: CSV import with preview, catalogue, search, matching aid. */
export interface RegistryService {
  /** Universities → faculties → departments with ja/en names, sorted by code. */
  catalogue(): Promise<CatalogueUniversity[]>;
  /** The record of a student ID (as typed: widths and spaces are normalised), or null. */
  getStudent(studentId: string): Promise<StudentRecord | null>;
  /** Students whose ID or any name contains `search`, by student ID. */
  search(query: { search?: string; offset?: number; limit?: number }): Promise<{ total: number; items: StudentRecord[] }>;
  gradesOf(studentId: string): Promise<GradeRecord[]>;
  /** What importing `csvText` would change; nothing is written. */
  previewImport(kind: ImportKind, csvText: string, actor: AuditActor): Promise<ImportPreview>;
  /**
   * Imports `csvText` if its preview is still the one with `previewHash` (same file, same
   * registry state): `registry.importInvalid` for a file with errors, `registry.previewStale`
   * when anything changed since the preview. One durable write, then one audit entry.
   */
  commitImport(kind: ImportKind, csvText: string, previewHash: string, actor: AuditActor): Promise<ImportResult>;
  /** The matching aid for an application's form. */
  match(form: ApplicationForm): Promise<MatchReport>;
}

/** How many added / updated students and errors a preview lists (counts are always complete). */
export const PREVIEW_LIMIT = 200;
/** How many students' before/after an audit entry keeps (the counts are always complete). */
export const AUDIT_STUDENT_LIMIT = 100;

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: 'system', name: 'system' };

/** The demo university's files, imported at start in demo mode while the registry is empty. */
export const DEMO_FILES: Record<ImportKind, string> = {
  students: path.join(resourcesDir, 'demo', 'registry-students.csv'),
  grades: path.join(resourcesDir, 'demo', 'registry-grades.csv'),
};

interface Planned {
  kind: ImportKind;
  rows: number;
  errors: ImportError[];
  diff: StudentsDiff | GradesDiff;
  hash: string | null;
}

export async function createRegistryFeature(ctx: FeatureContext): Promise<RegistryService> {
  const registry = ctx.stores.registry;
  // Imports run one at a time, on every instance together: each plans against the registry it then writes.
  const serial = <T>(work: () => Promise<T>): Promise<T> => ctx.locks.exclusive('registry-import', work);

  async function plan(kind: ImportKind, csvText: string): Promise<Planned> {
    if (kind === 'students') {
      const read = readStudentsCsv(csvText);
      const existing = new Map((await registry.getStudents(read.items.map((s) => s.studentId))).map((s) => [s.studentId, s]));
      const diff = diffStudents(read.errors.length ? [] : read.items, (id) => existing.get(id) ?? null);
      return { kind, rows: read.rows, errors: read.errors, diff, hash: read.errors.length ? null : importHash(kind, csvText, diff) };
    }
    // A first reading names the students the file refers to; the second checks them against those records.
    const named = new Set<string>();
    readGradesCsv(csvText, (id) => {
      named.add(id);
      return true;
    });
    const students = new Map((await registry.getStudents([...named])).map((s) => [s.studentId, s]));
    const read = readGradesCsv(csvText, (id) => students.has(id));
    const ids = [...new Set(read.items.map((g) => g.studentId))];
    const current = new Map<string, GradeRecord[]>(ids.map((id) => [id, []]));
    for (const g of await registry.gradesOfStudents(ids)) current.get(g.studentId)?.push(g);
    const diff = diffGrades(
      read.errors.length ? [] : read.items,
      (id) => current.get(id) ?? [],
      (id) => students.get(id)?.nameKanji ?? '',
    );
    return { kind, rows: read.rows, errors: read.errors, diff, hash: read.errors.length ? null : importHash(kind, csvText, diff) };
  }

  function toPreview(p: Planned): ImportPreview {
    const { added, updated, unchanged } = p.diff;
    return {
      kind: p.kind,
      rows: p.rows,
      counts: { added: added.length, updated: updated.length, unchanged },
      added: added.slice(0, PREVIEW_LIMIT),
      updated: updated.slice(0, PREVIEW_LIMIT),
      truncated: added.length > PREVIEW_LIMIT || updated.length > PREVIEW_LIMIT,
      errors: p.errors.slice(0, PREVIEW_LIMIT),
      errorCount: p.errors.length,
      hash: p.hash,
    };
  }

  async function commit(kind: ImportKind, csvText: string, previewHash: string, actor: AuditActor): Promise<ImportResult> {
    const p = await plan(kind, csvText);
    if (p.hash === null) throw new DomainError('registry.importInvalid', {}, `${p.errors.length} errors`);
    if (p.hash !== previewHash) throw new DomainError('registry.previewStale');
    const now = ctx.clock.now().toISOString();
    if (kind === 'students') {
      const diff = p.diff as StudentsDiff;
      await registry.upsertStudents(diff.changed.map((s) => searchable({ ...s, updatedAt: now })));
    } else {
      const diff = p.diff as GradesDiff;
      await registry.replaceGrades(diff.changedStudents, diff.changedGrades);
    }
    const counts = { added: p.diff.added.length, updated: p.diff.updated.length, unchanged: p.diff.unchanged };
    const changed = [...p.diff.added, ...p.diff.updated];
    const shown = changed.slice(0, AUDIT_STUDENT_LIMIT);
    const entry = await ctx.audit.append({
      at: now,
      actor,
      action: `registry.${kind}.imported`,
      target: { type: 'registry', id: kind },
      before: Object.fromEntries(shown.map((d) => [d.studentId, sideOf(d, 'before')])),
      after: {
        counts,
        rows: p.rows,
        fileSha256: createHash('sha256').update(csvText, 'utf8').digest('hex'),
        students: Object.fromEntries(shown.map((d) => [d.studentId, sideOf(d, 'after')])),
        omittedStudents: changed.length - shown.length,
      },
      note: null,
    });
    ctx.logger.info({ kind, counts, actor: actor.id }, 'registry import committed');
    return { kind, counts, auditId: entry.id };
  }

  const service: RegistryService = {
    // Read each time, not cached: another instance may have imported students since.
    catalogue: async () => deriveCatalogue(await registry.catalogueUnits()),
    getStudent: (studentId) => registry.getStudent(normalizeStudentId(studentId)),
    search: ({ search, ...page }) => registry.searchStudents({ ...page, searchKeyContains: foldForSearch(search ?? '') }),
    gradesOf: (studentId) => registry.gradesOf(normalizeStudentId(studentId)),
    previewImport: (kind, csvText) => serial(async () => toPreview(await plan(kind, csvText))),
    commitImport: (kind, csvText, previewHash, actor) => serial(() => commit(kind, csvText, previewHash, actor)),
    async match(form) {
      return matchApplication(form, await registry.getStudent(normalizeStudentId(form.studentId)));
    },
  };

  if (ctx.config.demo && (await registry.searchStudents({ limit: 1 })).total === 0) await seedDemo(service);
  return service;
}

/** One side of a student's changes for the audit log: field (or course@term) → value. */
function sideOf(d: StudentImportDiff | GradeImportDiff, side: 'before' | 'after'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of d.changes) {
    if ('field' in c) out[c.field] = c[side];
    else out[`${c.courseCode}@${c.term}`] = c[side];
  }
  return out;
}

/** Imports the demo university through the same preview and commit as staff use (students first: grades refer to them). */
export async function seedDemo(service: RegistryService): Promise<void> {
  for (const kind of ['students', 'grades'] as const) {
    const csv = await readFile(DEMO_FILES[kind], 'utf8');
    const preview = await service.previewImport(kind, csv, SYSTEM_ACTOR);
    if (preview.hash === null) {
      throw new Error(`demo ${kind} file is invalid: ${JSON.stringify(preview.errors.slice(0, 5))}`);
    }
    await service.commitImport(kind, csv, preview.hash, SYSTEM_ACTOR);
  }
}
