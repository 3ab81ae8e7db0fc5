/**
 * The student registry's API: the public catalogue for the application forms, and the staff
 * console's import (administrators). Console calls go through `adminCall` (staff
 * session and CSRF token).
 */
import type { CatalogueResponse, ImportKind, ImportPreview, ImportResult } from '@contract/registry';
import { adminCall } from './admin';
import { call } from './client';

/** GET /api/catalogue — universities → faculties → departments for the forms' selects. */
export async function getCatalogue(): Promise<CatalogueResponse> {
  return call<CatalogueResponse>({ method: 'GET', url: '/api/catalogue' });
}

/** The CSV file travels as itself (text/csv), up to 5 MB; the import's parameters in the query. */
const csvRequest = (csv: string) => ({
  data: csv,
  headers: { 'Content-Type': 'text/csv; charset=utf-8' },
});

/** POST /api/admin/registry/import/preview — what importing `csv` would change; nothing is written. */
export async function previewRegistryImport(kind: ImportKind, csv: string): Promise<ImportPreview> {
  return adminCall<ImportPreview>({ method: 'POST', url: '/api/admin/registry/import/preview', params: { kind }, ...csvRequest(csv) });
}

/** POST /api/admin/registry/import/commit — imports the same `csv` if its preview (`previewHash`) still holds. */
export async function commitRegistryImport(kind: ImportKind, csv: string, previewHash: string): Promise<ImportResult> {
  return adminCall<ImportResult>({
    method: 'POST',
    url: '/api/admin/registry/import/commit',
    params: { kind, previewHash },
    ...csvRequest(csv),
  });
}
