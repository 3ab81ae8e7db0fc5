/** 証明書を発行: typed calls for the issue flow (contract/certificates.ts) over the one request function of client.ts. */
import type { CertificateOptionsResponse, OrderView, PlaceOrderRequest } from '@contract/certificates';
import { call } from './client';

/** GET /api/certificates/options — the account's student IDs and what each may order. */
export function getCertificateOptions(): Promise<CertificateOptionsResponse> {
  return call<CertificateOptionsResponse>({ method: 'GET', url: '/api/certificates/options' });
}

/** POST /api/certificates/orders — 申請; 201 with the placed order. */
export function postCertificateOrder(body: PlaceOrderRequest): Promise<OrderView> {
  return call<OrderView>({ method: 'POST', url: '/api/certificates/orders', data: body });
}

/** GET /api/certificates/orders/:id — one of the account's orders (404 `notFound` otherwise). */
export function getCertificateOrder(id: string): Promise<OrderView> {
  return call<OrderView>({ method: 'GET', url: `/api/certificates/orders/${encodeURIComponent(id)}` });
}
