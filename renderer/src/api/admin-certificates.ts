/**
 * Staff console for certificates: issued certificates (search, revoke), mail orders (ship),
 * the certificate catalogue (administrators create, edit, retire, delete and load the usual set).
 * Uses the staff session's caller (`adminCall`).
 */
import type {
  AdminCertificateList,
  AdminCertificateTypeList,
  AdminCertificateView,
  AdminMailOrderList,
  CertificateStatus,
  CertificateType,
  LoadTemplateResponse,
  RevokeRequest,
  ShipRequest,
  ShipResponse,
} from '@contract/certificates';
import { adminCall } from './admin';

export interface CertificateQuery {
  number?: string;
  studentId?: string;
  status?: CertificateStatus;
  offset: number;
  limit?: number;
}

export interface MailOrderQuery {
  status: 'awaitingShipment' | 'shipped';
  offset: number;
  limit?: number;
}

function paramsOf(query: object): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') out[key] = value as string | number;
  }
  return out;
}

/** The list with the offset it was asked for (the console's pager needs it). */
export async function getCertificates(query: CertificateQuery): Promise<AdminCertificateList & { offset: number }> {
  const list = await adminCall<AdminCertificateList>({ method: 'GET', url: '/api/admin/certificates', params: paramsOf(query) });
  return { ...list, offset: query.offset };
}

export async function getCertificate(number: string): Promise<AdminCertificateView> {
  return adminCall<AdminCertificateView>({ method: 'GET', url: `/api/admin/certificates/${encodeURIComponent(number)}` });
}

/** Where the browser opens the signed PDF as issued (a plain link: the staff cookie goes with it; each opening is audited). */
export function certificatePdfUrl(number: string): string {
  return `/api/admin/certificates/${encodeURIComponent(number)}/pdf`;
}

export async function postRevoke(number: string, body: RevokeRequest): Promise<AdminCertificateView> {
  return adminCall<AdminCertificateView>({ method: 'POST', url: `/api/admin/certificates/${encodeURIComponent(number)}/revoke`, data: body });
}

export async function getMailOrders(query: MailOrderQuery): Promise<AdminMailOrderList & { offset: number }> {
  const list = await adminCall<AdminMailOrderList>({ method: 'GET', url: '/api/admin/mail-orders', params: paramsOf(query) });
  return { ...list, offset: query.offset };
}

export async function postShip(id: string, body: ShipRequest): Promise<ShipResponse> {
  return adminCall<ShipResponse>({ method: 'POST', url: `/api/admin/mail-orders/${encodeURIComponent(id)}/ship`, data: body });
}

export async function getCertificateTypes(): Promise<AdminCertificateTypeList> {
  return adminCall<AdminCertificateTypeList>({ method: 'GET', url: '/api/admin/certificate-types' });
}

/** Replaces the type stored under `type.code`. */
export async function putCertificateType(type: CertificateType): Promise<CertificateType> {
  return adminCall<CertificateType>({ method: 'PUT', url: `/api/admin/certificate-types/${encodeURIComponent(type.code)}`, data: type });
}

/** Creates a type; an existing code is refused (`certificateType.codeDuplicate` on `code`). */
export async function postCertificateType(type: CertificateType): Promise<CertificateType> {
  return adminCall<CertificateType>({ method: 'POST', url: '/api/admin/certificate-types', data: type });
}

/** Deletes a type never issued; answers the catalogue as it is afterwards. */
export async function deleteCertificateType(code: string): Promise<AdminCertificateTypeList> {
  return adminCall<AdminCertificateTypeList>({ method: 'DELETE', url: `/api/admin/certificate-types/${encodeURIComponent(code)}` });
}

/** Adds the usual set's types whose code does not exist yet. */
export async function postCertificateTypeTemplate(): Promise<LoadTemplateResponse> {
  return adminCall<LoadTemplateResponse>({ method: 'POST', url: '/api/admin/certificate-types/template' });
}
