/**
 * OrderService: places a certificate order — ownership and eligibility checks, one
 * IssuedCertificate per line with its signed offline payload and signed PDF, then the fulfilment
 * record by destination (Reservation / CampusJob / MailOrder) — and prints reservations once.
 * Storage, PDF production and the PDF archive are injected (no adapter imports here).
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
import { claimReservation, completeReservationPrint, failReservationPrint, reservationPrintability, type PrintRefusal } from './state-machines.js';
import { type CertificateStore } from './store.js';
import { generateCertificateNumber, generateReservationNumber, generateVerificationCode, normalizeReservationNumber } from './numbers.js';
import { holderNameHash, offlineVerifyUrl, signOfflinePayload, type OfflineSigningKey } from './offline-payload.js';
import type { PrintableDocument } from './print-provider.js';

/** Days a convenience-store reservation stays printable. */
export const RESERVATION_VALID_DAYS = 7;
/** How long a printer holds a claim before another may take over. */
export const PRINT_LEASE_SECONDS = 300;
/** Insert attempts when another order took the drawn number at the same moment. */
const RESERVATION_INSERT_ATTEMPTS = 5;

/** Where the signed PDFs live (DATA_DIR/certificates/<number>.pdf in production). */
export interface CertificatePdfArchive {
  /** Stores durably (temporary file + rename). */
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
  printLeaseSeconds?: number;
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

export interface PrintClaimResult {
  reservation: Reservation;
  claimId: string;
  documents: PrintableDocument[];
}

export interface OrderService {
  /** Checks and issues; throws DomainError (`order.*`, `reservation.numberExhausted`). */
  placeOrder(input: PlaceOrderInput, now: Date): Promise<PlacedOrder>;
  /** The printable documents of a reservation number at `now`, or DomainError (`reservation.*`); changes nothing. */
  reservationDocuments(number: string, now: Date): Promise<PrintableDocument[]>;
  /** reserved → printing for printer `by`; DomainError when refused (printed, expired, cancelled, busy, unknown). */
  claimPrint(number: string, by: string, now: Date): Promise<PrintClaimResult>;
  /** printing → printed for that claim; DomainError `reservation.claimLost` when the claim is no longer current. */
  completePrint(reservationId: string, claimId: string, now: Date): Promise<Reservation>;
  /** printing → reserved (printable again); `detail` goes to the attempt log only. */
  failPrint(reservationId: string, claimId: string, now: Date, detail: string): Promise<Reservation>;
  /**
   * Claim, run `output(documents)` (the printer), then complete; when `output` throws, the print
   * is recorded as failed, the reservation stays printable and `reservation.printFailed` is thrown.
   */
  printReservation(number: string, by: string, now: Date, output?: (documents: PrintableDocument[]) => Promise<void>): Promise<Reservation>;
  /** The signed PDF of a certificate number, or null. */
  pdfOf(certificateNumber: string): Promise<Uint8Array | null>;
}

const REFUSAL_CODES = {
  printed: 'reservation.alreadyPrinted',
  expired: 'reservation.expired',
  cancelled: 'reservation.cancelled',
  busy: 'reservation.busy',
} as const satisfies Record<PrintRefusal, string>;

const lastValidDay = (issueDate: string, months: number): string => {
  const end = new Date(`${addMonthsToDate(issueDate, months)}T00:00:00Z`);
  return new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10);
};

export function createOrderService(deps: OrderServiceDeps): OrderService {
  const { store, registry, random, audit } = deps;
  const validDays = deps.reservationValidDays ?? RESERVATION_VALID_DAYS;
  const leaseSeconds = deps.printLeaseSeconds ?? PRINT_LEASE_SECONDS;
  const verifyUrl = `${deps.publicUrl.replace(/\/+$/, '')}/verify`;

  const actorOf = (account: Account): AuditEntry['actor'] => ({
    type: account.kind === 'graduate' ? 'graduate' : 'student',
    id: account.id,
    name: account.displayName ?? account.nameKanji ?? account.id,
  });
  const printerActor = (by: string): AuditEntry['actor'] => ({ type: 'system', id: by, name: by });

  async function findReservation(number: string, now: Date): Promise<Reservation> {
    const normalized = normalizeReservationNumber(number);
    const found = normalized ? await store.reservations.findByNumber(normalized, now.toISOString()) : null;
    if (!found) throw new DomainError('reservation.notFound', {}, `no reservation ${number}`);
    return found;
  }

  function refuse(reason: PrintRefusal, reservation: Reservation): never {
    throw new DomainError(REFUSAL_CODES[reason], {}, `reservation ${reservation.id}: ${reason}`);
  }

  async function documentsOf(reservation: Reservation): Promise<PrintableDocument[]> {
    const order = await store.orders.get(reservation.orderId);
    if (!order) throw new Error(`order ${reservation.orderId} of reservation ${reservation.id} is missing`);
    const documents: PrintableDocument[] = [];
    for (const id of order.certificateIds) {
      const certificate = await store.certificates.get(id);
      if (!certificate) throw new Error(`certificate ${id} is missing`);
      const pdf = await deps.pdfs.read(certificate.number);
      if (!pdf) throw new Error(`PDF of ${certificate.number} is missing`);
      documents.push({ certificateNumber: certificate.number, typeCode: certificate.typeCode, language: certificate.language, copies: certificate.copies, pdf });
    }
    return documents;
  }

  async function insertReservation(reservation: Omit<Reservation, 'number'>, nowIso: string): Promise<Reservation> {
    for (let i = 0; i < RESERVATION_INSERT_ATTEMPTS; i++) {
      const number = await generateReservationNumber(random, (n) => store.reservations.isNumberActive(n, nowIso));
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

  const service: OrderService = {
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

    async reservationDocuments(number, now) {
      const reservation = await findReservation(number, now);
      const check = reservationPrintability(reservation, now.toISOString());
      if (!check.ok) refuse(check.reason, reservation);
      return documentsOf(reservation);
    },

    async claimPrint(number, by, now) {
      const found = await findReservation(number, now);
      const at = now.toISOString();
      const claim = { claimId: random.id(), by, at, leaseUntil: new Date(now.getTime() + leaseSeconds * 1000).toISOString() };
      let refusal: PrintRefusal | null = null;
      const updated = await store.reservations.transition(found.id, (current) => {
        const next = claimReservation(current, claim);
        if ('refused' in next) {
          refusal = next.refused;
          return null;
        }
        return next;
      });
      if (!updated) refuse(refusal ?? 'busy', found);
      await audit.append({ at, actor: printerActor(by), action: 'certificate.reservation.printStarted', target: { type: 'reservation', id: found.id }, before: { status: found.status }, after: { status: updated.status, claimId: claim.claimId }, note: null });
      return { reservation: updated, claimId: claim.claimId, documents: await documentsOf(updated) };
    },

    async completePrint(reservationId, claimId, now) {
      const at = now.toISOString();
      const updated = await store.reservations.transition(reservationId, (current) => completeReservationPrint(current, claimId, at));
      if (!updated) throw new DomainError('reservation.claimLost', {}, `claim ${claimId} of ${reservationId} not current`);
      await audit.append({ at, actor: printerActor(updated.attempts.find((a) => a.claimId === claimId)?.by ?? 'printer'), action: 'certificate.reservation.printed', target: { type: 'reservation', id: reservationId }, before: { status: 'printing' }, after: { status: updated.status, claimId }, note: null });
      return updated;
    },

    async failPrint(reservationId, claimId, now, detail) {
      const at = now.toISOString();
      const updated = await store.reservations.transition(reservationId, (current) => failReservationPrint(current, claimId, at, detail));
      if (!updated) throw new DomainError('reservation.claimLost', {}, `claim ${claimId} of ${reservationId} not current`);
      await audit.append({ at, actor: printerActor(updated.attempts.find((a) => a.claimId === claimId)?.by ?? 'printer'), action: 'certificate.reservation.printFailed', target: { type: 'reservation', id: reservationId }, before: { status: 'printing' }, after: { status: updated.status, claimId }, note: detail });
      return updated;
    },

    async printReservation(number, by, now, output = async () => {}) {
      const { reservation, claimId, documents } = await service.claimPrint(number, by, now);
      try {
        await output(documents);
      } catch (err) {
        await service.failPrint(reservation.id, claimId, now, err instanceof Error ? err.message : String(err));
        throw new DomainError('reservation.printFailed', {}, err instanceof Error ? err.message : String(err));
      }
      return service.completePrint(reservation.id, claimId, now);
    },

    pdfOf: (certificateNumber) => deps.pdfs.read(certificateNumber),
  };
  return service;
}
