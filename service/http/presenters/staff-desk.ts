/** The staff desk for certificates as JSON (contract/certificates.ts). */
import type { AdminCertificateList, AdminCertificateView, AdminMailOrderList, AdminMailOrderView, ShipResponse } from '../../contract/certificates.js';
import type { CertificateEntry, MailOrderEntry } from '../../domain/certificates/staff-desk.js';
import { pdfDeliveryView } from './orders.js';

export const adminCertificateView = ({ certificate: c, typeName, destination, pdfDelivery }: CertificateEntry): AdminCertificateView => ({
  number: c.number,
  typeCode: c.typeCode,
  typeName,
  language: c.language,
  copies: c.copies,
  studentId: c.studentId,
  holderNameKanji: c.holderNameKanji,
  issueDate: c.issueDate,
  validUntil: c.validUntil,
  destination,
  status: c.status,
  revokedAt: c.revokedAt,
  revokedBy: c.revokedBy,
  revocationReason: c.revocationReason,
  pdfDelivery: pdfDelivery && pdfDeliveryView(pdfDelivery),
});

export const adminCertificateList = (page: { total: number; items: CertificateEntry[] }): AdminCertificateList => ({
  total: page.total,
  items: page.items.map(adminCertificateView),
});

export const adminMailOrderView = ({ mailOrder: m, studentId, lines }: MailOrderEntry): AdminMailOrderView => ({
  id: m.id,
  orderId: m.orderId,
  createdAt: m.createdAt,
  studentId,
  recipientName: m.recipientName,
  address: m.address,
  lines: lines.map((l) => ({ certificateNumber: l.certificateNumber, typeName: l.typeName, language: l.language, copies: l.copies })),
  status: m.status,
  trackingNumber: m.trackingNumber,
  shippedAt: m.shippedAt,
  shippedBy: m.shippedBy,
});

export const adminMailOrderList = (page: { total: number; items: MailOrderEntry[] }): AdminMailOrderList => ({
  total: page.total,
  items: page.items.map(adminMailOrderView),
});

export const shipResponse = (shipped: { mailOrder: MailOrderEntry; studentNotified: boolean }): ShipResponse => ({
  mailOrder: adminMailOrderView(shipped.mailOrder),
  studentNotified: shipped.studentNotified,
});
