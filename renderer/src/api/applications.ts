/** The 利用申請 (additional student ID) API: typed calls over the one request function of client.ts. */
import type {
  ApplicationFormInput,
  ApplicationListResponse,
  ResubmitRequest,
  ResubmitResponse,
  StudentIdApplicationRequest,
  StudentIdApplicationResponse,
  StudentIdCheckRequest,
  StudentIdCheckResponse,
  StudentIdLinkResponse,
} from '@contract/applications';
import type { CatalogueUniversity } from '@shared/catalogue';
import { call } from './client';

/** POST /api/applications/student-id/link — 送信: mails the one-time URL to the registered address. */
export function postStudentIdLink(): Promise<StudentIdLinkResponse> {
  return call<StudentIdLinkResponse>({ method: 'POST', url: '/api/applications/student-id/link' });
}

/** POST /api/applications/student-id/check — whether the mailed link can still be used (does not use it up). */
export function postStudentIdCheck(token: string): Promise<StudentIdCheckResponse> {
  const body: StudentIdCheckRequest = { token };
  return call<StudentIdCheckResponse>({ method: 'POST', url: '/api/applications/student-id/check', data: body });
}

/** POST /api/applications/student-id — 申請. */
export function postStudentIdApplication(token: string, form: ApplicationFormInput): Promise<StudentIdApplicationResponse> {
  const body: StudentIdApplicationRequest = { token, form };
  return call<StudentIdApplicationResponse>({ method: 'POST', url: '/api/applications/student-id', data: body });
}

/** GET /api/applications — the signed-in account's applications, newest first. */
export function getApplications(): Promise<ApplicationListResponse> {
  return call<ApplicationListResponse>({ method: 'GET', url: '/api/applications' });
}

/** PUT /api/applications/:id — 編集して再申請. */
export function putApplication(id: string, form: ApplicationFormInput): Promise<ResubmitResponse> {
  const body: ResubmitRequest = { form };
  return call<ResubmitResponse>({ method: 'PUT', url: `/api/applications/${encodeURIComponent(id)}`, data: body });
}

/** GET /api/catalogue — universities → faculties → departments for the selects. */
export function getCatalogue(): Promise<CatalogueUniversity[]> {
  return call<CatalogueUniversity[]>({ method: 'GET', url: '/api/catalogue' });
}
