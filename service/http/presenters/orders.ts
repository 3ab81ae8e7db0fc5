/** The student's side of certificates as JSON (contract/certificates.ts): what may be ordered, and orders. */
import type { CertificateOptionsResponse, OrderLineView, OrderListResponse, OrderView, PdfDeliveryView, StudentOption } from '../../contract/certificates.js';
import type { PdfDelivery } from '../../domain/certificates/model.js';
import type { OrderDetails, OrderLine } from '../../domain/certificates/order-details.js';
import type { OrderOptions, StudentOffer } from '../../domain/certificates/options.js';

function studentOption({ student, offers }: StudentOffer): StudentOption {
  return {
    studentId: student.studentId,
    status: student.status,
    university: student.universityName,
    faculty: student.facultyName,
    department: student.departmentName,
    types: offers.map(({ type, unavailable }) => ({
      code: type.code,
      name: type.name,
      template: type.template,
      languages: [...type.languages],
      destinations: [...type.destinations],
      maxCopies: type.maxCopies,
      fee: type.fee,
      validityMonths: type.validityMonths,
      unavailable,
    })),
  };
}

export function optionsResponse(options: OrderOptions): CertificateOptionsResponse {
  return {
    students: options.students.map(studentOption),
    maxCopiesPerOrder: options.maxCopiesPerOrder,
    reservationValidDays: options.reservationValidDays,
    pdfDelivery: { validDays: options.pdfDelivery.validDays, maxDownloads: options.pdfDelivery.maxDownloads },
    prefectures: options.prefectures.map((p) => ({ ...p })),
  };
}

const lineView = ({ certificate: c, type }: OrderLine): OrderLineView => ({
  certificateNumber: c.number,
  typeCode: c.typeCode,
  typeName: type?.name ?? { ja: c.typeCode, en: c.typeCode },
  language: c.language,
  copies: c.copies,
  validUntil: c.validUntil,
  certificateStatus: c.status,
});

/** PDF送付 as the student and staff follow it: never the token's hash. */
export const pdfDeliveryView = (d: PdfDelivery): PdfDeliveryView => ({
  recipient: { ...d.recipient },
  expiresAt: d.expiresAt,
  maxDownloads: d.maxDownloads,
  downloads: d.downloads,
  firstOpenedAt: d.firstOpenedAt,
  lastDownloadAt: d.lastDownloadAt,
});

/** What the student sees of an order: only the fulfilment's fields the contract names, never the stored records. */
export function orderView({ order, status, current, lines, reservation: r, campusJob: job, mailOrder: m, pdfDelivery: p }: OrderDetails): OrderView {
  return {
    id: order.id,
    createdAt: order.createdAt,
    destination: order.destination,
    studentId: order.studentId,
    status,
    current,
    lines: lines.map(lineView),
    totalFee: order.totalFee,
    reservation: r && { number: r.number, expiresAt: r.expiresAt, printedAt: r.printedAt },
    campusJob: job && { id: job.id, printedAt: job.printedAt },
    mail: m && { address: m.address, trackingNumber: m.trackingNumber, shippedAt: m.shippedAt },
    pdf: p && pdfDeliveryView(p),
  };
}

export function orderListResponse(list: { current: OrderDetails[]; history: OrderDetails[] }): OrderListResponse {
  return { current: list.current.map(orderView), history: list.history.map(orderView) };
}
