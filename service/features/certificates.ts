import { openCertificateStore, type LowdbCertificateStore } from '../adapters/lowdb/certificate-store.js';
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
  ctx: Pick<FeatureContext, 'config' | 'clock' | 'logger'>,
  options: { verifyRateLimit?: RateLimitOptions } = {},
): Promise<CertificateService> {
  const store = await openCertificateStore(ctx.config.dataDir, {
    now: () => ctx.clock.now(),
    onExpireError: (err) => ctx.logger.error({ err }, 'expiring reservations failed'),
  });
  const offlineKey = await loadOrCreateOfflineKey(ctx.config.dataDir);
  const limiter = new SlidingWindowLimiter(ctx.clock, options.verifyRateLimit ?? DEFAULT_VERIFY_RATE_LIMIT);
  return {
    store,
    offlineKey,
    async verify(number, code, client = 'unknown') {
      limiter.hit(client);
      return verifyCertificate(store, number, code);
    },
    publishedKeys: () => publishedKeySet([offlineKey]),
    close: () => store.close(),
  };
}
