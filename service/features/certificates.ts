import { createOrderService, type OrderService, type PlaceOrderInput, type StudentDirectory } from '../domain/certificates/orders.js';
import { certificateOptions, type OrderOptions } from '../domain/certificates/options.js';
import { detailsOfOrder, type OrderDetails } from '../domain/certificates/order-details.js';
import { orderPlacedMailOf } from '../domain/certificates/order-mails.js';
import { createPdfDeliveryDesk, type DeliveryStatus } from '../domain/certificates/pdf-deliveries.js';
import { pdfDeliveryMail } from '../domain/certificates/pdf-delivery-mail.js';
import { DomainError } from '../domain/errors.js';
import type { Account } from '../domain/model.js';
import { createCampusPrinting, type CampusPrintingService } from '../domain/certificates/campus-printing.js';
import { createReservationPrinting, type ReservationPrinting } from '../domain/certificates/reservation-printing.js';
import type { VerifyKeysResponse } from '../contract/verify.js';
import { publishedKeySet, type OfflineSigningKey } from '../domain/certificates/offline-payload.js';
import { DEFAULT_VERIFY_RATE_LIMIT, verifyCertificate, type Verification } from '../domain/verify/public-verification.js';
import { RateLimit, type RateLimitRule } from '../domain/rate-limits.js';
import type { FeatureContext } from './context.js';
import { createStaffDesk, type StaffDesk } from '../domain/certificates/staff-desk.js';
import { createReservationMaintenance, type ReservationMaintenance } from '../domain/certificates/reminders.js';
import type { CertificateIssuer } from '../domain/certificates/compose.js';
import type { CertificateDocument } from '../domain/certificates/document.js';
import type { CertificateStore } from '../domain/certificates/store.js';
import type { CertificateType } from '../domain/certificates/model.js';
import type { UnitOfWork } from '../domain/stores.js';
import type { InstitutionService } from '../domain/institution/service.js';
import { setupStatus, type SetupStatus, type SigningIdentity } from '../domain/institution/setup.js';
import { createCredentialService, type CredentialService } from '../domain/credentials/service.js';

/** The keys and PDF pipeline issuing needs (built by the composition root: service/certificate-signing.ts). */
export interface CertificateSigning {
  /** The Ed25519 key that signs the QR payloads. */
  readonly offlineKey: OfflineSigningKey;
  /** The PDF signing certificate as the setup checklist shows it; null: no key, nothing is issued. */
  readonly identity: SigningIdentity | null;
  /** Whether documents delivered as files can be time-stamped (TSA_URL, or demo mode's own authority). */
  readonly timestamped: boolean;
  /** Renders and signs one certificate PDF (`service.notOpen` without a key). */
  producePdf(doc: CertificateDocument, signingTime: Date): Promise<Uint8Array>;
  /** Stops the PDF workers. */
  close(): Promise<void>;
}

/** Certificates: ordering, printing, verification, the staff desk, and whether setup allows issuing. */
export interface CertificateService {
  /** The certificate records. */
  readonly store: CertificateStore;
  /** The Ed25519 key that signs the QR payloads. */
  readonly offlineKey: OfflineSigningKey;
  /** The signing certificate as the setup checklist shows it; null when there is no key. */
  readonly signingIdentity: SigningIdentity | null;
  /** The setup checklist: students may sign in and order only when `open`. */
  setup(): Promise<SetupStatus>;
  /** Ordering and issuing. */
  readonly orders: OrderService;
  /** What `account` may order now (証明書を発行's choices). */
  options(account: Account): Promise<OrderOptions>;
  /**
   * Places the order and its confirmation mail to the account's address: the mail goes to the
   * outbox in the order's own transaction (it exists if and only if the order does; nothing waits
   * for the mail server). Answers the order's details.
   */
  placeOrder(input: PlaceOrderInput): Promise<OrderDetails>;
  /** One of the account's own orders; another account's is `notFound`, never forbidden (its existence is not theirs to know). */
  orderOf(account: Account, orderId: string): Promise<OrderDetails>;
  /** Convenience-store printing of a reservation number: claim, documents, confirm, fail (the /store simulator's provider). */
  readonly reservationPrinting: ReservationPrinting;
  /** 学内印刷 at a campus kiosk: claim, documents, complete, fail (kiosk sessions, own jobs only). */
  readonly campus: CampusPrintingService;
  /** Staff console: search/revoke certificates, ship mail orders, edit types (domain/certificates/staff-desk.ts). */
  readonly staffDesk: StaffDesk;
  /**
   * /verify: number + code as typed → valid / revoked / unknown. `client` (the IP) is rate
   * limited (default 20 per 10 minutes → `verify.rateLimited` {seconds}); malformed input →
   * `validation.failed` with field codes.
   */
  verify(number: string, code: string, client?: string): Promise<Verification>;
  /** Each certificate as a verifiable credential: downloads, status lists, checks (domain/credentials/service.ts). */
  readonly credentials: CredentialService;
  /**
   * PDF送付's public download page (no account): the status (records the first visit) and a counted
   * download. `client` (the IP) is rate limited (default 60 per 10 minutes → `delivery.rateLimited`).
   */
  readonly deliveries: {
    status(token: string, client: string): Promise<DeliveryStatus>;
    download(token: string, certificateNumber: string, client: string): Promise<{ number: string; pdf: Uint8Array }>;
  };
  /** The JWK Set served at GET /api/verify/keys, with the name of every certificate type and of the institution. */
  publishedKeys(): Promise<VerifyKeysResponse>;
  /** Reservation reminders (24 h before expiry) and expiry; scheduled every minute. */
  readonly maintenance: ReservationMaintenance;
  /** One maintenance run now (or at `now`): expire, then remind. Never throws (errors are logged). */
  runMaintenance(now?: Date): Promise<void>;
  /** Stops the maintenance timer, waits for a run under way and stops the PDF workers (the stores stay open: the root closes them). */
  close(): Promise<void>;
}

/** The public download page per client IP: 60 requests in any 10 minutes (a recipient needs a handful). */
export const DEFAULT_DELIVERY_RATE_LIMIT: RateLimitRule = { limit: 60, windowSeconds: 600 };

export async function createCertificatesFeature(
  ctx: FeatureContext & {
    registry: StudentDirectory;
    institution: InstitutionService;
    signing: CertificateSigning;
    /** The usual set of certificate types (resources/certificate-types-template.json), read by the root. */
    typeTemplate: () => Promise<CertificateType[]>;
  },
  options: { verifyRateLimit?: RateLimitRule; deliveryRateLimit?: RateLimitRule; maintenanceIntervalMs?: number } = {},
): Promise<CertificateService> {
  const store = ctx.stores.certificates;
  const pdfs = ctx.stores.certificatePdfs;
  const { offlineKey, identity: signingIdentity } = ctx.signing;
  // Demo mode starts with the usual set (the template administrators load in the console).
  if (ctx.config.demo && (await store.types.list()).length === 0) {
    for (const type of await ctx.typeTemplate()) await store.types.put(type);
  }
  const { institution, mailer, audit, random } = ctx;
  const setup = async (): Promise<SetupStatus> => {
    const [profile, seal, types] = await Promise.all([institution.profile(), institution.imageMeta('seal'), store.types.list()]);
    return setupStatus({ profile, seal, activeTypes: types.filter((t) => t.active).length, signing: signingIdentity, now: ctx.clock.now() });
  };
  const issuer = async (): Promise<CertificateIssuer | null> => {
    if (!(await setup()).open) return null;
    const [profile, seal] = await Promise.all([institution.profile(), institution.image('seal')]);
    if (!profile) return null;
    return { name: profile.name, officer: profile.officer, seal: seal && { png: seal.png, width: seal.width, height: seal.height } };
  };
  const transaction: UnitOfWork['transaction'] = (work) => ctx.stores.transaction(work);
  const orders = createOrderService({
    store,
    transaction,
    registry: ctx.registry,
    random,
    offlineKey,
    publicUrl: ctx.config.publicUrl,
    reservationValidDays: ctx.config.reservationValidDays,
    pdfDelivery: ctx.config.pdfDelivery,
    issuer,
    producePdf: (doc, signingTime) => ctx.signing.producePdf(doc, signingTime),
  });
  const limiter = new RateLimit(ctx.stores.rateLimits, ctx.clock, 'verify', options.verifyRateLimit ?? DEFAULT_VERIFY_RATE_LIMIT, 'verify.rateLimited');
  // A pasted credential counts against the same limit as a typed number + code.
  const credentials = createCredentialService({
    store,
    audit,
    clock: ctx.clock,
    key: offlineKey,
    publicUrl: ctx.config.publicUrl,
    issuerName: async () => {
      const profile = await institution.profile();
      return profile && { ja: profile.name.ja, en: profile.name.en };
    },
    limiter,
  });
  const deliveryLimiter = new RateLimit(
    ctx.stores.rateLimits,
    ctx.clock,
    'delivery',
    options.deliveryRateLimit ?? DEFAULT_DELIVERY_RATE_LIMIT,
    'delivery.rateLimited',
  );
  const deliveryDesk = createPdfDeliveryDesk({ store, transaction, pdfs, clock: ctx.clock });
  const deliveryUrl = (token: string) => `${ctx.config.publicUrl.replace(/\/+$/, '')}/delivery#token=${token}`;
  const reservationPrinting = createReservationPrinting({ store, transaction, random, pdfs });
  const campus = createCampusPrinting({ store, transaction, random, pdfs });
  const homeUrl = `${ctx.config.publicUrl.replace(/\/+$/, '')}/home`;
  const maintenance = createReservationMaintenance({ store, transaction, mailer, audit, logger: ctx.logger, homeUrl });
  let maintaining: Promise<void> | null = null;
  const runMaintenance = (now?: Date): Promise<void> => {
    // One run at a time: a tick that finds one under way here waits for it; one that finds another
    // instance running it skips (that instance does the work; a reminder is claimed before it is sent).
    const run = ctx.locks
      .whenFree('reservation-maintenance', () => maintenance.run(now ?? ctx.clock.now()))
      .then(
        () => undefined,
        (err: unknown) => ctx.logger.error({ err }, 'reservation maintenance could not run'),
      );
    const settled: Promise<void> = run.then(() => {
      if (maintaining === settled) maintaining = null;
    });
    maintaining = settled;
    return run;
  };
  const staffDesk = createStaffDesk({
    store,
    audit,
    clock: ctx.clock,
    transaction,
    mailer,
    pdfs,
    logger: ctx.logger,
    template: ctx.typeTemplate,
  });
  void runMaintenance();
  let timer: NodeJS.Timeout | null = setInterval(() => void runMaintenance(), options.maintenanceIntervalMs ?? 60_000).unref();
  return {
    store,
    offlineKey,
    signingIdentity,
    setup,
    orders,
    async options(account) {
      return certificateOptions({
        account,
        types: await store.types.list(),
        getStudent: (id) => ctx.registry.getStudent(id),
        now: ctx.clock.now(),
        reservationValidDays: ctx.config.reservationValidDays,
        pdfDelivery: ctx.config.pdfDelivery,
        pdfDeliveryAvailable: ctx.signing.timestamped,
      });
    },
    async placeOrder(input) {
      // Not offered then (options): an order sent anyway is refused before anything is done.
      if (input.destination === 'pdf' && !ctx.signing.timestamped) throw new DomainError('certificate.timestampUnavailable', {}, 'no time-stamping authority');
      const now = ctx.clock.now();
      const { mail: to, language } = await ctx.accounts.get(input.account.id);
      const profile = input.destination === 'pdf' ? await institution.profile() : null;
      const placed = await orders.placeOrder(input, now, async (tx, order, { pdfLinkToken }) => {
        const details = await detailsOfOrder(tx.certificates, order, now);
        if (to) await mailer.within(tx).send(orderPlacedMailOf(details, to, language, homeUrl));
        if (pdfLinkToken && details.pdfDelivery && profile) {
          const holder = details.lines[0]?.certificate;
          const student = { ja: holder?.holderNameKanji ?? '', en: holder?.holderNameRoman ?? holder?.holderNameKanji ?? '' };
          const certificates = details.lines.map(({ certificate: c, type }) => ({
            number: c.number,
            typeName: type?.name ?? { ja: c.typeCode, en: c.typeCode },
          }));
          await mailer
            .within(tx)
            .send(pdfDeliveryMail({ delivery: details.pdfDelivery, institution: profile.name, student, certificates, url: deliveryUrl(pdfLinkToken) }));
        }
      });
      mailer.wake();
      return detailsOfOrder(store, placed.order, now);
    },
    async orderOf(account, orderId) {
      const order = await store.orders.get(orderId);
      if (!order || order.accountId !== account.id) throw new DomainError('notFound', {}, `order ${orderId}`);
      return detailsOfOrder(store, order, ctx.clock.now());
    },
    reservationPrinting,
    campus,
    staffDesk,
    deliveries: {
      async status(token, client) {
        await deliveryLimiter.hit(client);
        return deliveryDesk.status(token);
      },
      async download(token, certificateNumber, client) {
        await deliveryLimiter.hit(client);
        return deliveryDesk.download(token, certificateNumber);
      },
    },
    async verify(number, code, client = 'unknown') {
      await limiter.hit(client);
      return verifyCertificate(store, number, code);
    },
    credentials,
    async publishedKeys() {
      // Every type, active or not: certificates of a type switched off later stay valid.
      const typeNames = Object.fromEntries((await store.types.list()).map((type) => [type.code, { ja: type.name.ja, en: type.name.en }]));
      const profile = await institution.profile();
      return { ...publishedKeySet([offlineKey]), typeNames, institutionName: profile && { ja: profile.name.ja, en: profile.name.en } };
    },
    maintenance,
    runMaintenance,
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await maintaining?.catch(() => {});
      await ctx.signing.close();
    },
  };
}
