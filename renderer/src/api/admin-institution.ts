/**
 * 大学情報 and the setup checklist in the staff console (staff session and CSRF token through
 * `adminCall`): read by every staff user, changed by administrators.
 */
import type { AdminInstitution, InstitutionImageKind, InstitutionProfileInput } from '@contract/institution';
import { adminCall } from './admin';

export async function getInstitution(): Promise<AdminInstitution> {
  return adminCall<AdminInstitution>({ method: 'GET', url: '/api/admin/institution' });
}

/** PUT /api/admin/institution — field errors come back as `validation.failed` keyed `name.ja`, `contact.phone`, … */
export async function putInstitution(profile: InstitutionProfileInput): Promise<AdminInstitution> {
  return adminCall<AdminInstitution>({ method: 'PUT', url: '/api/admin/institution', data: profile });
}

/** PUT /api/admin/institution/seal|logo with the file's own bytes (the service tells PNG from SVG itself). */
export async function putInstitutionImage(kind: InstitutionImageKind, file: Blob): Promise<AdminInstitution> {
  return adminCall<AdminInstitution>({
    method: 'PUT',
    url: `/api/admin/institution/${kind}`,
    data: file,
    headers: { 'Content-Type': file.type || 'application/octet-stream' },
  });
}

export async function deleteInstitutionImage(kind: InstitutionImageKind): Promise<AdminInstitution> {
  return adminCall<AdminInstitution>({ method: 'DELETE', url: `/api/admin/institution/${kind}` });
}
