import { openCertificatePdfArchive } from '../adapters/files/certificate-pdfs.js';
import { openCertificateStore, type LowdbCertificateStore } from '../adapters/lowdb/certificate-store.js';
import { renderCertificatePdf } from '../adapters/pdf/render-certificate.js';
import { createPdfSigner, type PdfSigner } from '../adapters/pdf/signing.js';
import { loadSigningKeys } from '../adapters/pdf/signing-keys.js';
import { createOrderService, type OrderService, type StudentDirectory } from '../domain/certificates/orders.js';
import { createCampusPrinting, type CampusPrintingService } from '../domain/certificates/campus-printing.js';
import { loadCertificateTypes } from '../domain/certificates/types.js';
import type { VerifyKeysResponse, VerifyResponse } from '../contract/verify.js';
import { loadOrCreateOfflineKey, publishedKeySet, type OfflineSigningKey } from '../domain/certificates/offline-payload.js';
import { DEFAULT_VERIFY_RATE_LIMIT, SlidingWindowLimiter, verifyCertificate, type RateLimitOptions } from '../domain/verify/public-verification.js';
import type { FeatureContext } from './context.js';
import { createStaffDesk, type StaffDesk } from '../domain/certificates/staff-desk.js';
import { createReservationMaintenance, type ReservationMaintenance } from '../domain/certificates/reminders.js';

/** Certificates (issue #4). This round: the store, the offline signing key and public verification. */
export interface CertificateService {
  /** The certificate records (lowdb, in DATA_DIR). */
  readonly store: LowdbCertificateStore;
  /** The Ed25519 key that signs the QR payloads (DATA_DIR/offline-verification-key.pem). */
  readonly offlineKey: OfflineSigningKey;
  /** Signs every certificate PDF (key pair from CERT_SIGNING_KEY/CERT or DATA_DIR). */
  readonly pdfSigner: PdfSigner;
  /** Ordering, issuing and printing (needs `registry` in the context; without it `placeOrder` fails). */
  readonly orders: OrderService;
  /** 学内印刷 at a campus kiosk: claim, documents, complete, fail (kiosk sessions, own jobs only). */
  readonly campus: CampusPrintingService;
  /** Staff console: search/revoke certificates, ship mail orders, edit types (domain/certificates/staff-desk.ts). */
  readonly staffDesk: StaffDesk;
  /**
   * /verify: number + code as typed → valid / revoked / unknown. `client` (the IP) is rate
   * limited (default 20 per 10 minutes → `verify.rateLimited` {seconds}); malformed input →
   * `validation.failed` with field codes.
   */
  verify(number: string, code: string, client?: string): Promise<VerifyResponse>;
  /** The JWK Set served at GET /api/verify/keys, with the name of every certificate type. */
  publishedKeys(): Promise<VerifyKeysResponse>;
  /** Reservation reminders (24 h before expiry) and expiry; scheduled every minute when mailer + accounts are wired. */
  readonly maintenance: ReservationMaintenance;
  /** One maintenance run now (or at `now`): expire, then remind. Never throws (errors are logged). */
  runMaintenance(now?: Date): Promise<void>;
  close(): Promise<void>;
}

export async function createCertificatesFeature(
  ctx: Pick<FeatureContext, 'config' | 'clock' | 'logger'> & Partial<Pick<FeatureContext, 'random' | 'audit' | 'mailer' | 'accounts'>> & { registry?: StudentDirectory },
  options: { verifyRateLimit?: RateLimitOptions; maintenanceIntervalMs?: number } = {},
): Promise<CertificateService> {
  const store = await openCertificateStore(ctx.config.dataDir, {
    now: () => ctx.clock.now(),
    onExpireError: (err) => ctx.logger.error({ err }, 'expiring reservations failed'),
    // The maintenance scheduler below expires (and audits) every minute when it runs.
    ...(ctx.mailer && ctx.accounts && ctx.audit ? { expireIntervalMs: 0 } : {}),
  });
  const offlineKey = await loadOrCreateOfflineKey(ctx.config.dataDir);
  // Demo mode: the demo certificate types on first start (an empty type list).
  if (ctx.config.demo && (await store.types.list()).length === 0) {
    for (const type of await loadCertificateTypes()) await store.types.put(type);
  }
  const pdfSigner = createPdfSigner(await loadSigningKeys(ctx.config));
  const missing = (what: string) => {
    throw new Error(`certificates feature: ${what} is not wired`);
  };
  const orders = createOrderService({
    store,
    registry: ctx.registry ?? { getStudent: async () => missing('registry'), gradesOf: async () => missing('registry') },
    random: ctx.random ?? { token: () => missing('random'), id: () => missing('random') },
    audit: ctx.audit ?? { append: async () => missing('audit') },
    offlineKey,
    publicUrl: ctx.config.publicUrl,
    pdfs: openCertificatePdfArchive(ctx.config.dataDir),
    reservationValidDays: ctx.config.reservationValidDays,
    onRollbackError: (err) => ctx.logger.error({ err }, 'undoing a failed certificate order left something behind'),
    producePdf: async (doc, signingTime) =>
      pdfSigner.sign(await renderCertificatePdf(doc), {
        reason: `Certificate ${doc.certificateNumber}`,
        location: 'Japan',
        signingTime,
      }),
  });
  const limiter = new SlidingWindowLimiter(ctx.clock, options.verifyRateLimit ?? DEFAULT_VERIFY_RATE_LIMIT);
  const campus = createCampusPrinting({
    store,
    random: ctx.random ?? { id: () => missing('random') },
    audit: ctx.audit ?? { append: async () => missing('audit') },
    pdfs: openCertificatePdfArchive(ctx.config.dataDir),
  });
  const { mailer, accounts, audit } = ctx;
  const maintenance = createReservationMaintenance({
    store,
    accounts: accounts ?? { get: async () => missing('accounts') },
    mailer: mailer ?? { send: async () => missing('mailer') },
    audit: audit ?? { append: async () => missing('audit') },
    logger: ctx.logger,
    homeUrl: `${ctx.config.publicUrl.replace(/\/+$/, '')}/home`,
  });
  let maintaining: Promise<void> | null = null;
  const runMaintenance = (now?: Date): Promise<void> => {
    // One run at a time; a tick that finds one under way waits for it instead of overlapping.
    const run = (maintaining ?? Promise.resolve()).then(() => maintenance.run(now ?? ctx.clock.now()));
    const settled: Promise<void> = run.then(() => {
      if (maintaining === settled) maintaining = null;
    });
    maintaining = settled;
    return run;
  };
  const staffDesk = createStaffDesk({
    store,
    audit: ctx.audit ?? { append: async () => missing('audit') },
    clock: ctx.clock,
    mailer: ctx.mailer ?? { send: async () => missing('mailer') },
    accounts: ctx.accounts ?? { get: async () => missing('accounts') },
    logger: ctx.logger,
  });
  let timer: NodeJS.Timeout | null = null;
  if (mailer && accounts && audit) {
    void runMaintenance();
    timer = setInterval(() => void runMaintenance(), options.maintenanceIntervalMs ?? 60_000).unref();
  }
  return {
    store,
    offlineKey,
    pdfSigner,
    orders,
    campus,
    staffDesk,
    async verify(number, code, client = 'unknown') {
      limiter.hit(client);
      return verifyCertificate(store, number, code);
    },
    async publishedKeys() {
      // Every type, active or not: certificates of a type switched off later stay valid.
      const typeNames = Object.fromEntries((await store.types.list()).map((type) => [type.code, { ja: type.name.ja, en: type.name.en }]));
      return { ...publishedKeySet([offlineKey]), typeNames };
    },
    maintenance,
    runMaintenance,
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await maintaining?.catch(() => {});
      await store.close();
    },
  };
}
