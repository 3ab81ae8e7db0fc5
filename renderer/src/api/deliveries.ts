/** PDF送付's public download page (/api/deliveries): the link's token travels in the body, never in a URL. */
import type { DeliveryDownloadRequest, DeliveryStatusRequest, DeliveryStatusResponse } from '@contract/deliveries';
import { call } from './client';

/** POST /api/deliveries/status — the certificates and what the link still allows (no download counted). */
export function postDeliveryStatus(body: DeliveryStatusRequest): Promise<DeliveryStatusResponse> {
  return call<DeliveryStatusResponse>({ method: 'POST', url: '/api/deliveries/status', data: body });
}

/** POST /api/deliveries/download — the signed PDF (counted against the link's limit). */
export function postDeliveryDownload(body: DeliveryDownloadRequest): Promise<Blob> {
  return call<Blob>({ method: 'POST', url: '/api/deliveries/download', data: body, responseType: 'blob' });
}
