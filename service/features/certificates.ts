import { openCertificatePdfArchive } from '../adapters/files/certificate-pdfs.js';
import { openCertificateStore, type LowdbCertificateStore } from '../adapters/lowdb/certificate-store.js';
import { renderCertificatePdf } from '../adapters/pdf/render-certificate.js';
import { createPdfSigner, type PdfSigner } from '../adapters/pdf/signing.js';
import { loadSigningKeys } from '../adapters/pdf/signing-keys.js';
import { createOrderService, type OrderService, type StudentDirectory } from '../domain/certificates/orders.js';
import { loadCertificateTypes } from '../domain/certificates/types.js';
import type { VerifyKeysResponse, VerifyResponse } from '../contract/verify.js';
import { loadOrCreateOfflineKey, publishedKeySet, type OfflineSigningKey } from '../domain/certificates/offline-payload.js';
import { DEFAULT_VERIFY_RATE_LIMIT, SlidingWindowLimiter, verifyCertificate, type RateLimitOptions } from '../domain/verify/public-verification.js';
import type { FeatureContext } from './context.js';

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
  /**
   * /verify: number + code as typed → valid / revoked / unknown. `client` (the IP) is rate
   * limited (default 20 per 10 minutes → `verify.rateLimited` {seconds}); malformed input →
   * `validation.failed` with field codes.
   */
  verify(number: string, code: string, client?: string): Promise<VerifyResponse>;
  /** The JWK Set served at GET /api/verify/keys. */
  publishedKeys(): VerifyKeysResponse;
  close(): Promise<void>;
}

export async function createCertificatesFeature(
  ctx: Pick<FeatureContext, 'config' | 'clock' | 'logger'> & Partial<Pick<FeatureContext, 'random' | 'audit'>> & { registry?: StudentDirectory },
  options: { verifyRateLimit?: RateLimitOptions } = {},
): Promise<CertificateService> {
  const store = await openCertificateStore(ctx.config.dataDir, {
    now: () => ctx.clock.now(),
    onExpireError: (err) => ctx.logger.error({ err }, 'expiring reservations failed'),
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
    producePdf: async (doc, signingTime) =>
      pdfSigner.sign(await renderCertificatePdf(doc), {
        reason: `Certificate ${doc.certificateNumber}`,
        location: 'Japan',
        signingTime,
      }),
  });
  const limiter = new SlidingWindowLimiter(ctx.clock, options.verifyRateLimit ?? DEFAULT_VERIFY_RATE_LIMIT);
  return {
    store,
    offlineKey,
    pdfSigner,
    orders,
    async verify(number, code, client = 'unknown') {
      limiter.hit(client);
      return verifyCertificate(store, number, code);
    },
    publishedKeys: () => publishedKeySet([offlineKey]),
    close: () => store.close(),
  };
}
