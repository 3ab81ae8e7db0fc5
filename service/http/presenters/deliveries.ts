/** PDF送付's public page as JSON (contract/deliveries.ts): what /verify would show, never the student's other data. */
import type { DeliveryStatusResponse } from '../../contract/deliveries.js';
import type { DeliveryStatus } from '../../domain/certificates/pdf-deliveries.js';

export function deliveryStatusResponse({ delivery: d, state, documents }: DeliveryStatus): DeliveryStatusResponse {
  return {
    state,
    submittedTo: d.recipient.organisation,
    recipientName: d.recipient.name,
    language: d.recipient.language,
    expiresAt: d.expiresAt,
    downloads: d.downloads,
    maxDownloads: d.maxDownloads,
    certificates: documents.map(({ certificate: c, typeName, holderMasked, holderMaskedRoman }) => ({
      number: c.number,
      typeName: { ja: typeName.ja, en: typeName.en },
      language: c.language,
      status: c.status,
      issueDate: c.issueDate,
      holderMasked,
      ...(holderMaskedRoman !== null ? { holderMaskedRoman } : {}),
    })),
  };
}
