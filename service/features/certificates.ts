import { openCertificatePdfArchive } from '../adapters/files/certificate-pdfs.js';
import { openCertificateStore, type LowdbCertificateStore } from '../adapters/lowdb/certificate-store.js';
import { renderCertificatePdf } from '../adapters/pdf/render-certificate.js';
import { createPdfSigner, type PdfSigner } from '../adapters/pdf/signing.js';
import { loadSigningKeys, signingIdentityOf } from '../adapters/pdf/signing-keys.js';
import { createOrderService, type OrderService, type StudentDirectory } from '../domain/certificates/orders.js';
import { createCampusPrinting, type CampusPrintingService } from '../domain/certificates/campus-printing.js';
import { createReservationPrinting, type ReservationPrinting } from '../domain/certificates/reservation-printing.js';
import { loadCertificateTypes } from '../domain/certificates/types.js';
import type { VerifyKeysResponse, VerifyResponse } from '../contract/verify.js';
import { publishedKeySet, type OfflineSigningKey } from '../domain/certificates/offline-payload.js';
import { loadOrCreateOfflineKey } from '../adapters/files/offline-key.js';
import { DEFAULT_VERIFY_RATE_LIMIT, SlidingWindowLimiter, verifyCertificate, type RateLimitOptions } from '../domain/verify/public-verification.js';
import type { FeatureContext } from './context.js';
import { createStaffDesk, type StaffDesk } from '../domain/certificates/staff-desk.js';
import { createReservationMaintenance, type ReservationMaintenance } from '../domain/certificates/reminders.js';
import type { CertificateIssuer } from '../domain/certificates/compose.js';
import { DomainError } from '../domain/errors.js';
import type { InstitutionService } from '../domain/institution/service.js';
import { setupStatus, type SetupStatus, type SigningIdentity } from '../domain/institution/setup.js';

/** Certificates: ordering, printing, verification, the staff desk, and whether setup allows issuing. */
export interface CertificateService {
  /** The certificate records (lowdb, in DATA_DIR). */
  readonly store: LowdbCertificateStore;
  /** The Ed25519 key that signs the QR payloads (DATA_DIR/offline-verification-key.pem). */
  readonly offlineKey: OfflineSigningKey;
  /** Signs every certificate PDF (CERT_SIGNING_KEY/CERT; in demo mode generated in DATA_DIR); null: nothing is issued. */
  readonly pdfSigner: PdfSigner | null;
  /** The signing certificate as the setup checklist shows it; null when there is no key. */
  readonly signingIdentity: SigningIdentity | null;
  /** The setup checklist: students may sign in and order only when `open`. */
  setup(): Promise<SetupStatus>;
  /** Ordering and issuing (needs `registry` in the context; without it `placeOrder` fails). */
  readonly orders: OrderService;
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
  verify(number: string, code: string, client?: string): Promise<VerifyResponse>;
  /** The JWK Set served at GET /api/verify/keys, with the name of every certificate type and of the institution. */
  publishedKeys(): Promise<VerifyKeysResponse>;
  /** Reservation reminders (24 h before expiry) and expiry; scheduled every minute when mailer + accounts are wired. */
  readonly maintenance: ReservationMaintenance;
  /** One maintenance run now (or at `now`): expire, then remind. Never throws (errors are logged). */
  runMaintenance(now?: Date): Promise<void>;
  close(): Promise<void>;
}

export async function createCertificatesFeature(
  ctx: Pick<FeatureContext, 'config' | 'clock' | 'logger'> &
    Partial<Pick<FeatureContext, 'random' | 'audit' | 'mailer' | 'accounts'>> & { registry?: StudentDirectory; institution?: InstitutionService },
  options: { verifyRateLimit?: RateLimitOptions; maintenanceIntervalMs?: number } = {},
): Promise<CertificateService> {
  const store = await openCertificateStore(ctx.config.dataDir, {
    now: () => ctx.clock.now(),
    onExpireError: (err) => ctx.logger.error({ err }, 'expiring reservations failed'),
    // The maintenance scheduler below expires (and audits) every minute when it runs.
    ...(ctx.mailer && ctx.accounts && ctx.audit ? { expireIntervalMs: 0 } : {}),
  });
  const offlineKey = await loadOrCreateOfflineKey(ctx.config.dataDir);
  // Demo mode starts with the usual set (the template administrators load in the console).
  if (ctx.config.demo && (await store.types.list()).length === 0) {
    for (const type of await loadCertificateTypes()) await store.types.put(type);
  }
  const missing = (what: string) => {
    throw new Error(`certificates feature: ${what} is not wired`);
  };
  const pdfs = openCertificatePdfArchive(ctx.config.dataDir);
  const institution = ctx.institution ?? null;
  // Demo mode generates a key naming the (demo) institution; production uses only the configured one.
  const demoName = ctx.config.demo ? (await institution?.profile())?.name.en : undefined;
  const signingKeys = await loadSigningKeys(ctx.config, demoName ? { commonName: asciiName(demoName), now: ctx.clock.now() } : null);
  const pdfSigner = signingKeys ? createPdfSigner(signingKeys.keys) : null;
  const signingIdentity = signingKeys ? signingIdentityOf(signingKeys) : null;
  if (!signingKeys) {
    ctx.logger.warn('CERT_SIGNING_KEY and CERT_SIGNING_CERT are not set: no certificate will be issued until the university key and certificate are configured (see the setup checklist in the console).');
  }
  const setup = async (): Promise<SetupStatus> => {
    const [profile, seal, types] = await Promise.all([institution?.profile() ?? null, institution?.imageMeta('seal') ?? null, store.types.list()]);
    return setupStatus({ profile, seal, activeTypes: types.filter((t) => t.active).length, signing: signingIdentity, now: ctx.clock.now() });
  };
  const issuer = async (): Promise<CertificateIssuer | null> => {
    if (!institution || !(await setup()).open) return null;
    const [profile, seal] = await Promise.all([institution.profile(), institution.image('seal')]);
    if (!profile) return null;
    return { name: profile.name, officer: profile.officer, seal: seal && { png: seal.png, width: seal.width, height: seal.height } };
  };
  const orders = createOrderService({
    store,
    registry: ctx.registry ?? { getStudent: async () => missing('registry'), gradesOf: async () => missing('registry') },
    random: ctx.random ?? { token: () => missing('random'), id: () => missing('random') },
    audit: ctx.audit ?? { append: async () => missing('audit') },
    offlineKey,
    publicUrl: ctx.config.publicUrl,
    pdfs,
    reservationValidDays: ctx.config.reservationValidDays,
    onRollbackError: (err) => ctx.logger.error({ err }, 'undoing a failed certificate order left something behind'),
    issuer,
    producePdf: async (doc, signingTime) => {
      if (!pdfSigner) throw new DomainError('service.notOpen', {}, 'no signing key');
      return pdfSigner.sign(await renderCertificatePdf(doc), {
        reason: `Certificate ${doc.certificateNumber}`,
        location: 'Japan',
        signingTime,
      });
    },
  });
  const limiter = new SlidingWindowLimiter(ctx.clock, options.verifyRateLimit ?? DEFAULT_VERIFY_RATE_LIMIT);
  const reservationPrinting = createReservationPrinting({
    store,
    random: ctx.random ?? { id: () => missing('random') },
    audit: ctx.audit ?? { append: async () => missing('audit') },
    pdfs,
  });
  const campus = createCampusPrinting({
    store,
    random: ctx.random ?? { id: () => missing('random') },
    audit: ctx.audit ?? { append: async () => missing('audit') },
    pdfs,
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
    pdfs,
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
    signingIdentity,
    setup,
    orders,
    reservationPrinting,
    campus,
    staffDesk,
    async verify(number, code, client = 'unknown') {
      limiter.hit(client);
      return verifyCertificate(store, number, code);
    },
    async publishedKeys() {
      // Every type, active or not: certificates of a type switched off later stay valid.
      const typeNames = Object.fromEntries((await store.types.list()).map((type) => [type.code, { ja: type.name.ja, en: type.name.en }]));
      const profile = (await ctx.institution?.profile()) ?? null;
      return { ...publishedKeySet([offlineKey]), typeNames, institutionName: profile && { ja: profile.name.ja, en: profile.name.en } };
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

/** The signing certificate's subject must be ASCII: letters outside it are dropped. */
function asciiName(name: string): string {
  return name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim() || 'University';
}
