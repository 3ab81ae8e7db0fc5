/**
 * 端末 / Terminals in the staff console (staff session and CSRF token through `adminCall`): read
 * by every staff user; administrators enrol, revoke and issue new keys.
 */
import type { EnrollTerminalRequest, TerminalKeyResponse, TerminalList, TerminalView } from '@contract/terminals';
import { adminCall } from './admin';

export async function getTerminals(): Promise<TerminalView[]> {
  return (await adminCall<TerminalList>({ method: 'GET', url: '/api/admin/terminals' })).items;
}

/** POST /api/admin/terminals — field errors come back as `validation.failed` keyed `name`, `location`. */
export async function enrollTerminal(input: EnrollTerminalRequest): Promise<TerminalKeyResponse> {
  return adminCall<TerminalKeyResponse>({ method: 'POST', url: '/api/admin/terminals', data: input });
}

export async function revokeTerminal(id: string): Promise<TerminalView> {
  return adminCall<TerminalView>({ method: 'POST', url: `/api/admin/terminals/${encodeURIComponent(id)}/revoke`, data: {} });
}

/** A new key for a replaced terminal: the old key stops working at once. */
export async function reissueTerminalKey(id: string): Promise<TerminalKeyResponse> {
  return adminCall<TerminalKeyResponse>({ method: 'POST', url: `/api/admin/terminals/${encodeURIComponent(id)}/key`, data: {} });
}
