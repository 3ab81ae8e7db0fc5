/**
 * OrderService: places a certificate order — ownership and eligibility checks, one
 * IssuedCertificate per line with its signed offline payload and signed PDF, then the fulfilment
 * record by destination (Reservation / CampusJob / MailOrder), written in one transaction with
 * the PDFs and audit entries. Printing a reservation is reservation-printing.ts; printing a campus
 * job, campus-printing.ts. Storage and PDF production are injected (no adapter imports here).
 */
import type { AuditEntry } from '../audit.js';
import { DomainError } from '../errors.js';
import type { Account, Language } from '../model.js';
import type { Random } from '../ports.js';
import type { TransactionStores, UnitOfWork } from '../stores.js';
import type { GradeRecord, StudentRecord } from '../registry/model.js';
import { composeCertificate, type CertificateIssuer } from './compose.js';
import type { CertificateDocument } from './document.js';
import { addMonthsToDate, assertOrder, japanDate } from './eligibility.js';
import {
  type CampusJob,
  type CertificateType,
  type Destination,
  type IssuedCertificate,
  type MailOrder,
  type Order,
  type OrderItem,
  type PdfDelivery,
  type PdfRecipient,
  type PostalAddress,
  type Reservation,
} from './model.js';
import { newPdfDelivery, PDF_DELIVERY_MAX_DOWNLOADS, PDF_DELIVERY_VALID_DAYS, type PdfDeliveryPolicy } from './pdf-delivery-rules.js';
import { type CertificateStore } from './store.js';
import { generateCertificateNumber, generateReservationNumber, generateVerificationCode } from './numbers.js';
import { isReservationNumberActive } from './reservation-records.js';
import { holderNameHash, offlineVerifyUrl, signOfflinePayload, type OfflineSigningKey } from './offline-payload.js';

/** Days a convenience-store reservation stays printable. */
export const RESERVATION_VALID_DAYS = 7;
/** How long a printer holds a claim before another may take over. */
export const PRINT_LEASE_SECONDS = 300;

/** What both printing flows (campus kiosk, store terminal) are built from. */
export interface PrintingDeps {
  /** Reads (jobs, orders, certificates). */
  store: CertificateStore;
  /** Each change of a job or reservation is written with its audit entry, or neither is. */
  transaction: UnitOfWork['transaction'];
  random: Pick<Random, 'id'>;
  pdfs: Pick<CertificatePdfArchive, 'read'>;
  /** How long a terminal holds a claim before another may take the job over (default PRINT_LEASE_SECONDS). */
  printLeaseSeconds?: number;
}
/** Insert attempts when another order took the drawn number at the same moment. */
const RESERVATION_INSERT_ATTEMPTS = 5;

/** Where the signed PDFs live (DATA_DIR/certificates/<number>.pdf in production). */
export interface CertificatePdfArchive {
  /** Stores durably: complete and on disk (fsynced) before it resolves, even across a power loss. */
  write(certificateNumber: string, pdf: Uint8Array): Promise<void>;
  /** The PDF, or null when there is none. */
  read(certificateNumber: string): Promise<Uint8Array | null>;
}

/** The registry lookups an order needs (RegistryService satisfies it). */
export interface StudentDirectory {
  getStudent(studentId: string): Promise<StudentRecord | null>;
  gradesOf(studentId: string): Promise<GradeRecord[]>;
}

export interface OrderServiceDeps {
  /** Reads before the order is written (types, certificate and reservation numbers in use). */
  store: CertificateStore;
  /** Writes the order whole or not at all: certificates, PDFs, order, fulfilment and audit entries. */
  transaction: UnitOfWork['transaction'];
  registry: StudentDirectory;
  random: Random;
  offlineKey: Pick<OfflineSigningKey, 'keyId' | 'privateKey'>;
  /** e.g. `https://shomei.example.ac.jp` (the QR code and the printed verify URL). */
  publicUrl: string;
  /**
   * The institution that issues, with its seal; null while setup is incomplete (no profile, seal,
   * active type or signing key): then nothing is issued (`service.notOpen`).
   */
  issuer(): Promise<CertificateIssuer | null>;
  /** Renders and signs one certificate (renderCertificatePdf + PdfSigner.sign). */
  producePdf(doc: CertificateDocument, signingTime: Date): Promise<Uint8Array>;
  reservationValidDays?: number;
  /** PDF送付: how long the recipient's link works and how many downloads it allows. */
  pdfDelivery?: PdfDeliveryPolicy;
}

export interface PlaceOrderInput {
  account: Account;
  studentId: string;
  destination: Destination;
  items: OrderItem[];
  /** Required for `mail`. */
  postalAddress?: PostalAddress;
  /** Required for `pdf`: who receives the link (提出先, printed on the PDF). */
  pdfRecipient?: PdfRecipient;
}

/** What the confirmation screen needs. */
export interface PlacedOrder {
  order: Order;
  certificates: Array<Pick<IssuedCertificate, 'id' | 'number' | 'typeCode' | 'language' | 'copies' | 'validUntil'>>;
  reservation: { id: string; number: string; expiresAt: string } | null;
  campusJob: { id: string } | null;
  mailOrder: { id: string } | null;
  pdfDelivery: { id: string } | null;
}

/** What the order's transaction knows besides the order: the PDF送付 link's token (mailed, never stored). */
export interface RecordedLink {
  pdfLinkToken: string | null;
}

export interface OrderService {
  /**
   * Checks and issues; throws DomainError (`order.*`, `reservation.numberExhausted`). `alongside`
   * runs inside the order's transaction after it is recorded (e.g. to enqueue its mail): what it
   * writes through `tx` commits with the order or not at all.
   */
  placeOrder(input: PlaceOrderInput, now: Date, alongside?: (tx: TransactionStores, order: Order, link: RecordedLink) => Promise<void>): Promise<PlacedOrder>;
}

const lastValidDay = (issueDate: string, months: number): string => {
  const end = new Date(`${addMonthsToDate(issueDate, months)}T00:00:00Z`);
  return new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10);
};

export function createOrderService(deps: OrderServiceDeps): OrderService {
  const { store, registry, random } = deps;
  const validDays = deps.reservationValidDays ?? RESERVATION_VALID_DAYS;
  const pdfPolicy = deps.pdfDelivery ?? { validDays: PDF_DELIVERY_VALID_DAYS, maxDownloads: PDF_DELIVERY_MAX_DOWNLOADS };
  const verifyUrl = `${deps.publicUrl.replace(/\/+$/, '')}/verify`;

  const actorOf = (account: Account): AuditEntry['actor'] => ({
    type: account.kind === 'graduate' ? 'graduate' : 'student',
    id: account.id,
    name: account.displayName ?? account.nameKanji ?? account.id,
  });

  async function insertReservation(
    reservations: CertificateStore['reservations'],
    reservation: Omit<Reservation, 'number'>,
    nowIso: string,
  ): Promise<Reservation> {
    for (let i = 0; i < RESERVATION_INSERT_ATTEMPTS; i++) {
      const number = await generateReservationNumber(random, (n) => isReservationNumberActive(reservations, n, nowIso));
      const candidate = { ...reservation, number };
      if (await reservations.insert(candidate, nowIso)) return candidate;
    }
    throw new DomainError('reservation.numberExhausted', {}, 'insert refused repeatedly');
  }

  /** Renders and signs every certificate of the order (slow, so before the transaction). */
  async function produceCertificates(input: PlaceOrderInput, context: IssueContext): Promise<Array<{ certificate: IssuedCertificate; pdf: Uint8Array }>> {
    const { student, byCode, grades, issuer, now, orderId } = context;
    const nowIso = now.toISOString();
    const issueDate = japanDate(now);
    const year = Number(issueDate.slice(0, 4));
    const produced: Array<{ certificate: IssuedCertificate; pdf: Uint8Array }> = [];
    const taken = new Set<string>();
    for (const item of input.items) {
      const type = byCode.get(item.typeCode)!;
      const number = await generateCertificateNumber(random, year, async (n) => taken.has(n) || (await store.certificates.findByNumber(n)) !== null);
      taken.add(number);
      const verificationCode = generateVerificationCode(random);
      const offlinePayload = signOfflinePayload(
        { v: 1, number, typeCode: type.code, holderNameHash: holderNameHash(student.nameKanji, student.birthDate), issueDate, keyId: deps.offlineKey.keyId },
        deps.offlineKey.privateKey,
      );
      const validUntil = type.validityMonths === null ? null : lastValidDay(issueDate, type.validityMonths);
      const doc = composeCertificate({
        student,
        grades,
        type,
        language: item.language as Language,
        issueDate,
        validUntil,
        certificateNumber: number,
        verificationCode,
        issuer,
        verifyUrl,
        qrPayload: offlineVerifyUrl(deps.publicUrl, offlinePayload),
      });
      if (input.destination === 'pdf' && input.pdfRecipient) doc.digitalDelivery = { submittedTo: input.pdfRecipient.organisation };
      const pdf = await deps.producePdf(doc, now);
      produced.push({
        pdf,
        certificate: {
          id: random.id(),
          number,
          verificationCode,
          orderId,
          accountId: input.account.id,
          studentId: student.studentId,
          typeCode: type.code,
          language: item.language,
          copies: item.copies,
          issueDate,
          validUntil,
          issuedAt: nowIso,
          holderNameKanji: student.nameKanji,
          holderNameRoman: student.nameRoman,
          holderNameKana: student.nameKana,
          offlinePayload,
          offlineKeyId: deps.offlineKey.keyId,
          status: 'valid',
          revokedAt: null,
          revokedBy: null,
          revocationReason: null,
        },
      });
    }
    return produced;
  }

  /** Writes the order and everything that belongs to it through one transaction's ports. */
  async function record(
    tx: TransactionStores,
    input: PlaceOrderInput,
    produced: Array<{ certificate: IssuedCertificate; pdf: Uint8Array }>,
    order: Order,
    now: Date,
    recipientName: string,
  ): Promise<Pick<PlacedOrder, 'reservation' | 'campusJob' | 'mailOrder' | 'pdfDelivery'> & RecordedLink> {
    const { account } = input;
    const nowIso = now.toISOString();
    const { id: orderId, fulfilmentId, destination } = order;
    const certificates = produced.map((p) => p.certificate);
    for (const { certificate, pdf } of produced) await tx.certificatePdfs.write(certificate.number, pdf);
    await tx.certificates.certificates.insertMany(certificates);
    await tx.certificates.orders.insert(order);

    let reservation: Reservation | null = null;
    let campusJob: CampusJob | null = null;
    let mailOrder: MailOrder | null = null;
    let pdfDelivery: PdfDelivery | null = null;
    let pdfLinkToken: string | null = null;
    if (destination === 'convenience') {
      reservation = await insertReservation(
        tx.certificates.reservations,
        {
          id: fulfilmentId,
          orderId,
          accountId: account.id,
          status: 'reserved',
          createdAt: nowIso,
          expiresAt: new Date(now.getTime() + validDays * 86_400_000).toISOString(),
          reminderSentAt: null,
          claim: null,
          printedAt: null,
          attempts: [],
          updatedAt: nowIso,
        },
        nowIso,
      );
    } else if (destination === 'campus') {
      campusJob = {
        id: fulfilmentId,
        orderId,
        accountId: account.id,
        status: 'waiting',
        createdAt: nowIso,
        claim: null,
        printedAt: null,
        attempts: [],
        updatedAt: nowIso,
      };
      await tx.certificates.campusJobs.insert(campusJob);
    } else if (destination === 'pdf') {
      const created = newPdfDelivery(random, { id: fulfilmentId, orderId, accountId: account.id, recipient: input.pdfRecipient!, now }, pdfPolicy);
      ({ delivery: pdfDelivery, token: pdfLinkToken } = created);
      await tx.certificates.pdfDeliveries.insert(pdfDelivery);
    } else {
      mailOrder = {
        id: fulfilmentId,
        orderId,
        accountId: account.id,
        recipientName,
        address: input.postalAddress!,
        status: 'awaitingShipment',
        trackingNumber: null,
        shippedAt: null,
        shippedBy: null,
        createdAt: nowIso,
        updatedAt: nowIso,
      };
      await tx.certificates.mailOrders.insert(mailOrder);
    }

    const actor = actorOf(account);
    await tx.audit.append({
      at: nowIso,
      actor,
      action: 'certificate.order.placed',
      target: { type: 'order', id: orderId },
      before: null,
      after: { ...order, certificateNumbers: certificates.map((c) => c.number) },
      note: null,
    });
    const fulfilment = reservation ?? campusJob ?? pdfDelivery ?? mailOrder!;
    const kind = reservation ? 'reservation' : campusJob ? 'campusJob' : pdfDelivery ? 'pdfDelivery' : 'mailOrder';
    // Neither the postal address nor the link's token hash belongs in the log.
    const logged = mailOrder ? { ...mailOrder, address: '(recorded)' } : pdfDelivery ? { ...pdfDelivery, tokenHash: '(recorded)' } : fulfilment;
    await tx.audit.append({
      at: nowIso,
      actor,
      action: `certificate.${kind}.created`,
      target: { type: kind, id: fulfilment.id },
      before: null,
      after: logged,
      note: null,
    });
    return {
      reservation: reservation ? { id: reservation.id, number: reservation.number, expiresAt: reservation.expiresAt } : null,
      campusJob: campusJob ? { id: campusJob.id } : null,
      mailOrder: mailOrder ? { id: mailOrder.id } : null,
      pdfDelivery: pdfDelivery ? { id: pdfDelivery.id } : null,
      pdfLinkToken,
    };
  }

  return {
    async placeOrder(input, now, alongside) {
      const { account, destination, items } = input;
      if (!account.studentIds.includes(input.studentId)) {
        throw new DomainError('order.studentNotOwned', {}, `account ${account.id} does not hold ${input.studentId}`);
      }
      const issuer = await deps.issuer();
      if (!issuer) throw new DomainError('service.notOpen', {}, 'setup incomplete: nothing is issued');
      const student = await registry.getStudent(input.studentId);
      if (!student) throw new DomainError('order.studentUnknown', {}, `student ${input.studentId} not in the registry`);
      const types = await store.types.list();
      const { totalFee } = assertOrder({ types, student, items, destination, now });
      if (destination === 'mail' && !input.postalAddress) {
        throw new DomainError('validation.failed', {}, 'mail order without address', { postalAddress: 'required' });
      }
      if (destination === 'pdf' && !input.pdfRecipient) {
        throw new DomainError('validation.failed', {}, 'pdf order without recipient', { pdfRecipient: 'required' });
      }

      const byCode = new Map(types.map((t) => [t.code, t]));
      const needsGrades = items.some((item) => byCode.get(item.typeCode)?.template === 'transcript');
      const grades = needsGrades ? await registry.gradesOf(student.studentId) : [];
      const orderId = random.id();
      const fulfilmentId = random.id();
      try {
        const produced = await produceCertificates(input, { student, byCode, grades, issuer, now, orderId });
        const order: Order = {
          id: orderId,
          accountId: account.id,
          studentId: student.studentId,
          destination,
          items: items.map((i) => ({ ...i })),
          totalFee,
          language: account.language,
          certificateIds: produced.map((p) => p.certificate.id),
          fulfilmentId,
          createdAt: now.toISOString(),
        };
        // All of it or, should anything fail, none of it: the transaction is the rollback.
        const fulfilment = await deps.transaction(async (tx) => {
          const { pdfLinkToken, ...recorded } = await record(tx, input, produced, order, now, student.nameKanji);
          await alongside?.(tx, order, { pdfLinkToken });
          return recorded;
        });
        return {
          order,
          certificates: produced.map(({ certificate: { id, number, typeCode, language, copies, validUntil } }) => ({
            id,
            number,
            typeCode,
            language,
            copies,
            validUntil,
          })),
          ...fulfilment,
        };
      } catch (err) {
        if (err instanceof DomainError) throw err;
        throw new DomainError('order.issueFailed', {}, err instanceof Error ? err.message : String(err));
      }
    },
  };
}

/** What producing an order's certificates needs, checked and looked up before. */
interface IssueContext {
  student: StudentRecord;
  byCode: ReadonlyMap<string, CertificateType>;
  grades: GradeRecord[];
  issuer: CertificateIssuer;
  now: Date;
  orderId: string;
}
