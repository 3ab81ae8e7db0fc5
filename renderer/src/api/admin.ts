/**
 * The staff console's API client. Staff have their own session and CSRF token (GET
 * /api/admin/session), so the console uses its own request function; failures are the same
 * `ApiFailure` as everywhere else. Other console pages (e.g. the registry import) call
 * `adminCall` so that their writes carry the staff CSRF token too.
 */
import type {
  ApplicationDetail,
  ApplicationQueue,
  ApplicationQueueQuery,
  AuditPage,
  AuditQuery,
  DecisionRequest,
  DecisionResponse,
  StaffList,
  StaffLoginRequest,
  StaffLoginResponse,
  StaffLogoutResponse,
  StaffSessionInfo,
} from '@contract/admin';
import { createCaller } from './client';

/** CSRF token of the staff session, from GET /api/admin/session or the login answer. */
let csrfToken: string | null = null;

/**
 * Runs a request against /api/admin/… with the staff session; on `csrf.invalid` fetches a fresh
 * token once and retries. Throws `ApiFailure`.
 */
export const adminCall = createCaller({ timeout: 60_000, csrf: { current: () => csrfToken, refresh: () => getStaffSession() } });

/** GET /api/admin/session — also refreshes the staff CSRF token. */
export async function getStaffSession(): Promise<StaffSessionInfo> {
  const info = await adminCall<StaffSessionInfo>({ method: 'GET', url: '/api/admin/session' });
  csrfToken = info.csrfToken;
  return info;
}

export async function postStaffLogin(body: StaffLoginRequest): Promise<StaffLoginResponse> {
  const info = await adminCall<StaffLoginResponse>({ method: 'POST', url: '/api/admin/login', data: body });
  csrfToken = info.csrfToken;
  return info;
}

export async function postStaffLogout(): Promise<StaffLogoutResponse> {
  const res = await adminCall<StaffLogoutResponse>({ method: 'POST', url: '/api/admin/logout' });
  csrfToken = null;
  return res;
}

/** Drops empty values so that the URL carries only the filters in use. */
function paramsOf(query: object): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') out[key] = value as string | number;
  }
  return out;
}

export async function getApplications(query: ApplicationQueueQuery): Promise<ApplicationQueue> {
  return adminCall<ApplicationQueue>({ method: 'GET', url: '/api/admin/applications', params: paramsOf(query) });
}

export async function getApplication(id: string): Promise<ApplicationDetail> {
  return adminCall<ApplicationDetail>({ method: 'GET', url: `/api/admin/applications/${encodeURIComponent(id)}` });
}

export async function postDecision(id: string, body: DecisionRequest): Promise<DecisionResponse> {
  return adminCall<DecisionResponse>({ method: 'POST', url: `/api/admin/applications/${encodeURIComponent(id)}/decision`, data: body });
}

export async function getAudit(query: AuditQuery): Promise<AuditPage> {
  return adminCall<AuditPage>({ method: 'GET', url: '/api/admin/audit', params: paramsOf(query) });
}

export async function getStaffUsers(): Promise<StaffList> {
  return adminCall<StaffList>({ method: 'GET', url: '/api/admin/staff' });
}
