/**
 * The student registry's API (types only): GET /api/catalogue (public) and, for staff,
 * /api/admin/registry/… (writes carry the staff session's `X-CSRF-Token`; imports need the
 * administrator role, else 403 `auth.forbidden`).
 */
import type { LocalizedName } from './admin.js';

export type { LocalizedName };

/* ---- The registry's records, as the API shows them (the vocabulary of service/shared/) ---- */

export type * from '../shared/registry.js';
export type { CatalogueDepartment, CatalogueFaculty, CatalogueUniversity } from '../shared/catalogue.js';
import type { CatalogueUniversity } from '../shared/catalogue.js';
import type { GradeRecord, ImportKind, StudentRecord } from '../shared/registry.js';

export type CatalogueResponse = CatalogueUniversity[];

/**
 * POST /api/admin/registry/import/preview?kind=students|grades — the body is the CSV file itself
 * (`Content-Type: text/csv`, UTF-8, up to 5 MB). Answers `ImportPreview`; nothing is written. A
 * file with errors is still 200, with `errors` and `hash: null`.
 */
export interface ImportPreviewQuery {
  kind: ImportKind;
}

/**
 * POST /api/admin/registry/import/commit?kind=…&previewHash=<ImportPreview.hash> — the body is
 * the same CSV again. Answers `ImportResult`. `registry.importInvalid` for a file with errors,
 * `registry.previewStale` when the file or the registry changed since the preview (both 400).
 */
export interface ImportCommitQuery extends ImportPreviewQuery {
  previewHash: string;
}

/** GET /api/admin/registry/students?search=&offset=&limit= (limit 1–200, default 50). */
export interface StudentSearchQuery {
  search?: string;
  offset?: number;
  limit?: number;
}
export interface StudentSearchResponse {
  total: number;
  offset: number;
  limit: number;
  items: StudentRecord[];
}

/** GET /api/admin/registry/students/:id — 404 `notFound` when the registry has no such student. */
export interface StudentDetailResponse {
  student: StudentRecord;
  grades: GradeRecord[];
}
