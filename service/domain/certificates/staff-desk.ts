/**
 * The staff desk for certificates: search issued certificates and revoke
 * them, ship 郵送 orders (with the student's 発送のお知らせ mail), and edit certificate types.
 * Every change is one atomic store transition followed by an audit entry (before/after).
 *
 * Roles: any staff user (reviewer or administrator) may search, revoke and ship — revoking is a
 * routine correction of the office and always needs a reason, which /verify shows. The catalogue
 * of certificate types is for administrators only (checked here and at the HTTP edge): create,
 * edit, retire (inactive), delete only while no certificate of the type was ever issued, and load
 * the usual set from the template without overwriting a type that exists.
 */
import type { AuditLog } from '../audit.js';
import { DomainError } from '../errors.js';
import type { Language } from '../model.js';
import type { Clock, Logger, TransactionalMailer } from '../ports.js';
import type { UnitOfWork } from '../stores.js';
import type { LocalizedName } from '../registry/model.js';
import type { StaffRole } from '../staff/model.js';
import { type CertificateType, type Destination, type IssuedCertificate, type MailOrder, type PdfDelivery } from './model.js';
import { revokeCertificate, shipMailOrder } from './state-machines.js';
import { type CertificateSearch, type CertificateStore, type MailOrderFilter } from './store.js';
import { shippedMail, type ShippedLine } from './shipping-mail.js';
import { transitionCertificate, transitionMailOrder } from './transitions.js';
import type { CertificatePdfArchive } from './orders.js';

/** Revocation reasons are shown by /verify; keep them short. */
export const REVOCATION_REASON_MAX = 500;
/** Tracking numbers as the carriers print them: 4–30 of A–Z, a–z, 0–9 and hyphens. */
export const TRACKING_NUMBER = /^[A-Za-z0-9-]{4,30}$/;

export interface StaffActor {
  id: string;
  name: string;
  role: StaffRole;
}

/** An issued certificate as staff look it up: with its type's name and the destination of its order. */
export interface CertificateEntry {
  certificate: IssuedCertificate;
  typeName: LocalizedName;
  destination: Destination;
  /** PDF送付: the recipient and the link's use; null for the other destinations. */
  pdfDelivery: PdfDelivery | null;
}

/** A mail order as staff pack it: the student ID of its order and its certificates. */
export interface MailOrderEntry {
  mailOrder: MailOrder;
  studentId: string;
  lines: Array<ShippedLine & { language: Language }>;
}

export interface StaffDeskDeps {
  store: CertificateStore;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
  /** A shipment is written with its audit entry and the student's notice, or not at all. */
  transaction: UnitOfWork['transaction'];
  mailer: TransactionalMailer;
  /** The signed PDFs as issued (read only: staff look at them, never change them). */
  pdfs: Pick<CertificatePdfArchive, 'read'>;
  logger: Logger;
  /** The usual set administrators start from (resources/certificate-types-template.json). */
  template: () => Promise<CertificateType[]>;
}

export interface StaffDesk {
  /** Newest first; `number` exact (any case), `studentId` exact. */
  searchCertificates(filter: CertificateSearch): Promise<{ total: number; items: CertificateEntry[] }>;
  /** `certificate.notFound` when there is no such number. */
  certificate(number: string): Promise<CertificateEntry>;
  /**
   * The signed PDF exactly as it was issued, for staff to look at; every look is audited
   * (`certificate.pdf.viewed`), since the PDF shows the student's personal data.
   * `certificate.notFound` for an unknown number, `notFound` when the PDF is not stored.
   */
  pdf(number: string, by: StaffActor): Promise<{ number: string; pdf: Uint8Array }>;
  /** valid → revoked with the reason; `certificate.alreadyRevoked` (409) when it is revoked already. */
  revoke(number: string, reason: string, by: StaffActor): Promise<CertificateEntry>;
  /** Oldest first (first come, first served). */
  mailOrders(filter: MailOrderFilter): Promise<{ total: number; items: MailOrderEntry[] }>;
  /**
   * awaitingShipment → shipped with the tracking number, then the mail to the student (in the
   * account's language). A failed mail does not undo the shipment: `studentNotified` says false.
   */
  ship(id: string, trackingNumber: string, by: StaffActor): Promise<{ mailOrder: MailOrderEntry; studentNotified: boolean }>;
  /** All types, inactive ones too, in display order. */
  types(): Promise<CertificateType[]>;
  /** How many certificates were ever issued of each type code (absent: none). */
  issuedCounts(): Promise<Record<string, number>>;
  /** Creates or replaces a type (administrator). Deactivating keeps issued certificates valid. */
  putType(type: CertificateType, by: StaffActor): Promise<CertificateType>;
  /** Creates a new type (administrator); an existing code is a `certificateType.codeDuplicate` field error. */
  createType(type: CertificateType, by: StaffActor): Promise<CertificateType>;
  /** Adds the template's types whose code does not exist yet (administrator); returns their codes. */
  loadTemplate(by: StaffActor): Promise<string[]>;
  /** Deletes a type never issued (administrator); `certificateType.inUse` otherwise, `certificateType.notFound`. */
  deleteType(code: string, by: StaffActor): Promise<void>;
}

const actorOf = (by: StaffActor) => ({ type: 'staff' as const, id: by.id, name: by.name });

export function createStaffDesk(deps: StaffDeskDeps): StaffDesk {
  const { store, audit, clock } = deps;

  async function typeNames(): Promise<Map<string, CertificateType>> {
    return new Map((await store.types.list()).map((t) => [t.code, t]));
  }
  const nameOf = (types: Map<string, CertificateType>, code: string) => types.get(code)?.name ?? { ja: code, en: code };

  async function entryOf(certificate: IssuedCertificate, types: Map<string, CertificateType>): Promise<CertificateEntry> {
    const order = await store.orders.get(certificate.orderId);
    const pdfDelivery = order?.destination === 'pdf' ? await store.pdfDeliveries.get(order.fulfilmentId) : null;
    return { certificate, typeName: nameOf(types, certificate.typeCode), destination: order?.destination ?? 'convenience', pdfDelivery };
  }

  /** Mail orders with their orders and certificates, read once for all of them. */
  async function mailEntriesOf(mailOrders: MailOrder[], types: Map<string, CertificateType>): Promise<MailOrderEntry[]> {
    const orders = new Map((await store.orders.getMany(mailOrders.map((m) => m.orderId))).map((o) => [o.id, o]));
    const certificates = new Map((await store.certificates.getMany([...orders.values()].flatMap((o) => o.certificateIds))).map((c) => [c.id, c]));
    return mailOrders.map((mailOrder) => {
      const order = orders.get(mailOrder.orderId);
      return {
        mailOrder,
        studentId: order?.studentId ?? '',
        lines: (order?.certificateIds ?? [])
          .map((id) => certificates.get(id))
          .filter((c): c is IssuedCertificate => c !== undefined)
          .map((c) => ({ certificateNumber: c.number, typeName: nameOf(types, c.typeCode), language: c.language, copies: c.copies })),
      };
    });
  }

  async function found(number: string): Promise<IssuedCertificate> {
    const c = await store.certificates.findByNumber(number.trim());
    if (!c) throw new DomainError('certificate.notFound', {}, `certificate ${number}`);
    return c;
  }

  return {
    async searchCertificates(filter) {
      const [result, types] = await Promise.all([store.certificates.search(filter), typeNames()]);
      return { total: result.total, items: await Promise.all(result.items.map((c) => entryOf(c, types))) };
    },

    async certificate(number) {
      return entryOf(await found(number), await typeNames());
    },

    async pdf(number, by) {
      const certificate = await found(number);
      const pdf = await deps.pdfs.read(certificate.number);
      if (!pdf) throw new DomainError('notFound', {}, `no stored PDF of ${certificate.number}`);
      await audit.append({
        at: clock.now().toISOString(),
        actor: actorOf(by),
        action: 'certificate.pdf.viewed',
        target: { type: 'certificate', id: certificate.id },
        before: null,
        after: { number: certificate.number, status: certificate.status },
        note: null,
      });
      return { number: certificate.number, pdf };
    },

    async revoke(number, reason, by) {
      const text = reason.trim();
      if (!text) throw new DomainError('validation.failed', {}, 'reason required', { reason: 'required' });
      if (text.length > REVOCATION_REASON_MAX) throw new DomainError('validation.failed', {}, 'reason too long', { reason: 'tooLong' });
      const current = await found(number);
      const at = clock.now().toISOString();
      const revoked = await transitionCertificate(store, current.id, (c) => revokeCertificate(c, { reason: text, by: by.id, at }));
      if (!revoked) throw new DomainError('certificate.alreadyRevoked', {}, `certificate ${current.number}`);
      await audit.append({
        at,
        actor: actorOf(by),
        action: 'certificate.revoked',
        target: { type: 'certificate', id: revoked.id },
        before: { number: current.number, status: current.status },
        after: { number: revoked.number, status: revoked.status, revokedAt: revoked.revokedAt, revocationReason: revoked.revocationReason },
        note: text,
      });
      return entryOf(revoked, await typeNames());
    },

    async mailOrders(filter) {
      const [result, types] = await Promise.all([store.mailOrders.list(filter), typeNames()]);
      return { total: result.total, items: await mailEntriesOf(result.items, types) };
    },

    async ship(id, trackingNumber, by) {
      const tracking = trackingNumber.trim();
      if (!TRACKING_NUMBER.test(tracking)) {
        throw new DomainError('validation.failed', {}, 'tracking number', { trackingNumber: 'mailOrder.trackingInvalid' });
      }
      const current = await store.mailOrders.get(id);
      if (!current) throw new DomainError('mailOrder.notFound', {}, `mail order ${id}`);
      const now = clock.now();
      const at = now.toISOString();
      const types = await typeNames();
      // What was sent does not change with the shipment: the notice lists it as read before.
      const { lines } = (await mailEntriesOf([current], types))[0]!;
      // The shipment, its audit entry and the student's notice commit together.
      const { shipped, studentNotified } = await deps.transaction(async (tx) => {
        const shipped = await transitionMailOrder(tx.certificates, id, (m) => shipMailOrder(m, { trackingNumber: tracking, by: by.id, at }));
        if (!shipped) {
          const latest = await tx.certificates.mailOrders.get(id);
          throw new DomainError(latest?.status === 'cancelled' ? 'mailOrder.cancelled' : 'mailOrder.alreadyShipped', {}, `mail order ${id}`);
        }
        await tx.audit.append({
          at,
          actor: actorOf(by),
          action: 'certificate.mailOrder.shipped',
          target: { type: 'mailOrder', id },
          before: { status: current.status, trackingNumber: current.trackingNumber },
          after: { status: shipped.status, trackingNumber: shipped.trackingNumber, shippedAt: shipped.shippedAt },
          note: null,
        });
        const account = await tx.store.accounts.get(shipped.accountId);
        if (!account?.mail) {
          deps.logger.warn({ mailOrderId: id }, 'shipped, but the account has no mail address');
          return { shipped, studentNotified: false };
        }
        await deps.mailer
          .within(tx)
          .send(shippedMail({ to: account.mail, language: account.language, trackingNumber: shipped.trackingNumber ?? '', shippedAt: now, lines }));
        return { shipped, studentNotified: true };
      });
      if (studentNotified) deps.mailer.wake();
      return { mailOrder: (await mailEntriesOf([shipped], types))[0]!, studentNotified };
    },

    types: () => store.types.list(),

    issuedCounts: () => store.types.issuedCounts(),

    async putType(type, by) {
      requireAdministrator(by);
      const before = await store.types.get(type.code);
      await store.types.put(type);
      const after = (await store.types.get(type.code)) ?? type;
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await auditType(by, before ? 'certificate.type.updated' : 'certificate.type.created', type.code, before, after);
      }
      return after;
    },

    async createType(type, by) {
      requireAdministrator(by);
      if (!(await store.types.insert(type))) {
        throw new DomainError('validation.failed', {}, `certificate type ${type.code} exists`, { code: 'certificateType.codeDuplicate' });
      }
      const after = (await store.types.get(type.code)) ?? type;
      await auditType(by, 'certificate.type.created', type.code, null, after);
      return after;
    },

    async loadTemplate(by) {
      requireAdministrator(by);
      const added: string[] = [];
      for (const type of await deps.template()) {
        // A type the administrator has (perhaps edited, perhaps retired) stays as it is.
        if (!(await store.types.insert(type))) continue;
        added.push(type.code);
        await auditType(by, 'certificate.type.created', type.code, null, type, 'template');
      }
      return added;
    },

    async deleteType(code, by) {
      requireAdministrator(by);
      const before = await store.types.get(code);
      const outcome = await store.types.remove(code);
      if (outcome === 'absent') throw new DomainError('certificateType.notFound', {}, `certificate type ${code}`);
      if (outcome === 'inUse') throw new DomainError('certificateType.inUse', {}, `certificate type ${code} was issued`);
      await auditType(by, 'certificate.type.deleted', code, before, null);
    },
  };

  function requireAdministrator(by: StaffActor): void {
    if (by.role !== 'administrator') throw new DomainError('auth.forbidden', {}, 'certificate types are for administrators');
  }

  async function auditType(
    by: StaffActor,
    action: string,
    code: string,
    before: CertificateType | null,
    after: CertificateType | null,
    note: string | null = null,
  ) {
    await audit.append({ at: clock.now().toISOString(), actor: actorOf(by), action, target: { type: 'certificateType', id: code }, before, after, note });
  }
}
