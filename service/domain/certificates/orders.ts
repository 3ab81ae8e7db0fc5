/**
 * OrderService: places a certificate order — ownership and eligibility checks, one
 * IssuedCertificate per line with its signed offline payload and signed PDF, then the fulfilment
 * record by destination (Reservation / CampusJob / MailOrder). Printing a reservation is
 * reservation-printing.ts; printing a campus job, campus-printing.ts. Storage, PDF production
 * and the PDF archive are injected (no adapter imports here).
 */
import type { AuditEntry, AuditLog } from '../audit.js';
import { DomainError } from '../errors.js';
import type { Account, Language } from '../model.js';
import type { Random } from '../ports.js';
import type { GradeRecord, StudentRecord } from '../registry/model.js';
import { composeCertificate, type CertificateIssuer } from './compose.js';
import type { CertificateDocument } from './document.js';
import { addMonthsToDate, assertOrder, japanDate } from './eligibility.js';
import { type CampusJob, type Destination, type IssuedCertificate, type MailOrder, type Order, type OrderItem, type PostalAddress, type Reservation } from './model.js';
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
  store: CertificateStore;
  audit: Pick<AuditLog, 'append'>;
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
  /** Deletes it (rollback of a half-placed order); no-op when there is none. */
  remove(certificateNumber: string): Promise<void>;
}

/** The registry lookups an order needs (RegistryService satisfies it). */
export interface StudentDirectory {
  getStudent(studentId: string): Promise<StudentRecord | null>;
  gradesOf(studentId: string): Promise<GradeRecord[]>;
}

export interface OrderServiceDeps {
  store: CertificateStore;
  registry: StudentDirectory;
  random: Random;
  audit: Pick<AuditLog, 'append'>;
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
  pdfs: CertificatePdfArchive;
  reservationValidDays?: number;
  /** Told when undoing a failed order could not remove something (log it). */
  onRollbackError?(err: unknown): void;
}

export interface PlaceOrderInput {
  account: Account;
  studentId: string;
  destination: Destination;
  items: OrderItem[];
  /** Required for `mail`. */
  postalAddress?: PostalAddress;
}

/** What the confirmation screen needs. */
export interface PlacedOrder {
  order: Order;
  certificates: Array<Pick<IssuedCertificate, 'id' | 'number' | 'typeCode' | 'language' | 'copies' | 'validUntil'>>;
  reservation: { id: string; number: string; expiresAt: string } | null;
  campusJob: { id: string } | null;
  mailOrder: { id: string } | null;
}

export interface OrderService {
  /** Checks and issues; throws DomainError (`order.*`, `reservation.numberExhausted`). */
  placeOrder(input: PlaceOrderInput, now: Date): Promise<PlacedOrder>;
}

const lastValidDay = (issueDate: string, months: number): string => {
  const end = new Date(`${addMonthsToDate(issueDate, months)}T00:00:00Z`);
  return new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10);
};

export function createOrderService(deps: OrderServiceDeps): OrderService {
  const { store, registry, random, audit } = deps;
  const validDays = deps.reservationValidDays ?? RESERVATION_VALID_DAYS;
  const verifyUrl = `${deps.publicUrl.replace(/\/+$/, '')}/verify`;

  const actorOf = (account: Account): AuditEntry['actor'] => ({
    type: account.kind === 'graduate' ? 'graduate' : 'student',
    id: account.id,
    name: account.displayName ?? account.nameKanji ?? account.id,
  });

  async function insertReservation(reservation: Omit<Reservation, 'number'>, nowIso: string): Promise<Reservation> {
    for (let i = 0; i < RESERVATION_INSERT_ATTEMPTS; i++) {
      const number = await generateReservationNumber(random, (n) => isReservationNumberActive(store.reservations, n, nowIso));
      const candidate = { ...reservation, number };
      if (await store.reservations.insert(candidate, nowIso)) return candidate;
    }
    throw new DomainError('reservation.numberExhausted', {}, 'insert refused repeatedly');
  }

  /** Removes what a failed placeOrder had written (best effort: every step is tried). */
  async function rollBack(
    undo: { pdfs: string[]; certificates: boolean; order: boolean; fulfilment: Destination | null },
    certificates: IssuedCertificate[],
    orderId: string,
    fulfilmentId: string,
  ): Promise<void> {
    const steps: Array<() => Promise<void>> = [
      ...(undo.fulfilment === 'convenience' ? [() => store.reservations.remove(fulfilmentId)] : []),
      ...(undo.fulfilment === 'campus' ? [() => store.campusJobs.remove(fulfilmentId)] : []),
      ...(undo.fulfilment === 'mail' ? [() => store.mailOrders.remove(fulfilmentId)] : []),
      ...(undo.order ? [() => store.orders.remove(orderId)] : []),
      ...(undo.certificates ? [() => store.certificates.removeMany(certificates.map((c) => c.id))] : []),
      ...undo.pdfs.map((number) => () => deps.pdfs.remove(number)),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (err) {
        deps.onRollbackError?.(err);
      }
    }
  }

  return {
    async placeOrder(input, now) {
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

      const nowIso = now.toISOString();
      const issueDate = japanDate(now);
      const year = Number(issueDate.slice(0, 4));
      const orderId = random.id();
      const fulfilmentId = random.id();
      const byCode = new Map(types.map((t) => [t.code, t]));
      const needsGrades = items.some((item) => byCode.get(item.typeCode)?.template === 'transcript');
      const grades = needsGrades ? await registry.gradesOf(student.studentId) : [];

      const certificates: IssuedCertificate[] = [];
      const taken = new Set<string>();
      // What exists so far, so that a failure part-way leaves nothing of the order behind.
      const undo = { pdfs: [] as string[], certificates: false, order: false, fulfilment: null as Destination | null };
      try {
        for (const item of items) {
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
          const pdf = await deps.producePdf(doc, now);
          undo.pdfs.push(number);
          await deps.pdfs.write(number, pdf);
          certificates.push({
            id: random.id(),
            number,
            verificationCode,
            orderId,
            accountId: account.id,
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
          });
        }

        const order: Order = {
          id: orderId,
          accountId: account.id,
          studentId: student.studentId,
          destination,
          items: items.map((i) => ({ ...i })),
          totalFee,
          language: account.language,
          certificateIds: certificates.map((c) => c.id),
          fulfilmentId,
          createdAt: nowIso,
        };
        undo.certificates = true;
        await store.certificates.insertMany(certificates);
        undo.order = true;
        await store.orders.insert(order);
        undo.fulfilment = destination;

        let reservation: Reservation | null = null;
        let campusJob: CampusJob | null = null;
        let mailOrder: MailOrder | null = null;
        if (destination === 'convenience') {
          reservation = await insertReservation(
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
          campusJob = { id: fulfilmentId, orderId, accountId: account.id, status: 'waiting', createdAt: nowIso, claim: null, printedAt: null, attempts: [], updatedAt: nowIso };
          await store.campusJobs.insert(campusJob);
        } else {
          mailOrder = {
            id: fulfilmentId,
            orderId,
            accountId: account.id,
            recipientName: student.nameKanji,
            address: input.postalAddress!,
            status: 'awaitingShipment',
            trackingNumber: null,
            shippedAt: null,
            shippedBy: null,
            createdAt: nowIso,
            updatedAt: nowIso,
          };
          await store.mailOrders.insert(mailOrder);
        }

        const actor = actorOf(account);
        await audit.append({
          at: nowIso,
          actor,
          action: 'certificate.order.placed',
          target: { type: 'order', id: orderId },
          before: null,
          after: { ...order, certificateNumbers: certificates.map((c) => c.number) },
          note: null,
        });
        const fulfilment = reservation ?? campusJob ?? mailOrder!;
        const kind = reservation ? 'reservation' : campusJob ? 'campusJob' : 'mailOrder';
        await audit.append({
          at: nowIso,
          actor,
          action: `certificate.${kind}.created`,
          target: { type: kind, id: fulfilment.id },
          before: null,
          after: kind === 'mailOrder' ? { ...fulfilment, address: '(recorded)' } : fulfilment,
          note: null,
        });

        return {
          order,
          certificates: certificates.map(({ id, number, typeCode, language, copies, validUntil }) => ({ id, number, typeCode, language, copies, validUntil })),
          reservation: reservation ? { id: reservation.id, number: reservation.number, expiresAt: reservation.expiresAt } : null,
          campusJob: campusJob ? { id: campusJob.id } : null,
          mailOrder: mailOrder ? { id: mailOrder.id } : null,
        };
      } catch (err) {
        await rollBack(undo, certificates, orderId, fulfilmentId);
        if (err instanceof DomainError) throw err;
        throw new DomainError('order.issueFailed', {}, err instanceof Error ? err.message : String(err));
      }
    },
  };
}
