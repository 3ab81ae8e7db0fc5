/**
 * Certificate records for store tests (one of each kind, fields overridable), a print claim, and a
 * `transition` change that claims a reservation and remembers why it was refused.
 */
import type {
  CampusJob,
  CertificateType,
  IssuedCertificate,
  MailOrder,
  Order,
  PdfDelivery,
  PrintClaim,
  Reservation,
} from '../../service/domain/certificates/model.js';
import { claimReservation, type PrintRefusal } from '../../service/domain/certificates/state-machines.js';

export const T0 = '2026-11-24T00:00:00.000Z';
export const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
export const DAY = 24 * 60;

let serial = 0;
export const nextId = (prefix: string) => `${prefix}-${++serial}`;

export function certificateType(overrides: Partial<CertificateType> = {}): CertificateType {
  return {
    code: 'enrollment',
    name: { ja: '在学証明書', en: 'Certificate of Enrollment' },
    template: 'enrollment',
    languages: ['ja', 'en'],
    eligibleStatuses: ['enrolled'],
    requiresGraduationDateWithinMonths: null,
    destinations: ['convenience', 'campus', 'mail'],
    maxCopies: 10,
    validityMonths: null,
    fee: 200,
    active: true,
    sortOrder: 1,
    ...overrides,
  };
}

export function order(overrides: Partial<Order> = {}): Order {
  const id = overrides.id ?? nextId('order');
  return {
    id,
    accountId: 'acc-1',
    studentId: 'S0001',
    destination: 'convenience',
    items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }],
    totalFee: 200,
    language: 'ja',
    certificateIds: [],
    fulfilmentId: `f-${id}`,
    createdAt: T0,
    ...overrides,
  };
}

export function certificate(overrides: Partial<IssuedCertificate> = {}): IssuedCertificate {
  const id = overrides.id ?? nextId('cert');
  return {
    id,
    number: `SHM-2026-${String(serial).padStart(4, '0')}-ABCD`,
    verificationCode: 'ABCDEFGHJK',
    orderId: nextId('order'),
    accountId: 'acc-1',
    studentId: 'S0001',
    typeCode: 'enrollment',
    language: 'ja',
    copies: 1,
    issueDate: '2026-11-24',
    validUntil: null,
    issuedAt: T0,
    holderNameKanji: '山田 太郎',
    offlinePayload: 'payload',
    offlineKeyId: 'k1',
    status: 'valid',
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
    ...overrides,
  };
}

export function reservation(overrides: Partial<Reservation> = {}): Reservation {
  return {
    id: nextId('res'),
    number: '12345678',
    orderId: nextId('order'),
    accountId: 'acc-1',
    status: 'reserved',
    createdAt: T0,
    expiresAt: at(7 * DAY),
    reminderSentAt: null,
    claim: null,
    printedAt: null,
    attempts: [],
    updatedAt: T0,
    ...overrides,
  };
}

export function campusJob(overrides: Partial<CampusJob> = {}): CampusJob {
  return {
    id: nextId('job'),
    orderId: nextId('order'),
    accountId: 'acc-1',
    status: 'waiting',
    createdAt: T0,
    claim: null,
    printedAt: null,
    attempts: [],
    updatedAt: T0,
    ...overrides,
  };
}

export function mailOrder(overrides: Partial<MailOrder> = {}): MailOrder {
  return {
    id: nextId('mail'),
    orderId: nextId('order'),
    accountId: 'acc-1',
    recipientName: '山田 太郎',
    address: { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' },
    status: 'awaitingShipment',
    trackingNumber: null,
    shippedAt: null,
    shippedBy: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function pdfDelivery(overrides: Partial<PdfDelivery> = {}): PdfDelivery {
  const id = overrides.id ?? nextId('pdf');
  return {
    id,
    orderId: nextId('order'),
    accountId: 'acc-1',
    recipient: { organisation: '株式会社サンプル', name: '人事部 採用担当', mail: 'recruit@example.com', language: 'ja' },
    tokenHash: `hash-${id}`,
    expiresAt: at(90 * DAY),
    maxDownloads: 5,
    downloads: 0,
    firstOpenedAt: null,
    lastDownloadAt: null,
    createdAt: T0,
    ...overrides,
  };
}

export const claim = (claimId: string, minutes: number, by = 'store-simulator'): PrintClaim => ({ claimId, by, at: at(minutes), leaseUntil: at(minutes + 10) });

/** A `transition` change that claims, remembering why it was refused. */
export function claiming(c: PrintClaim, refusals: PrintRefusal[]) {
  return (r: Reservation): Reservation | null => {
    const result = claimReservation(r, c);
    if ('refused' in result) {
      refusals.push(result.refused);
      return null;
    }
    return result;
  };
}
