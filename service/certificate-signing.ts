import type { Logger } from 'pino';
import { loadOrCreateOfflineKey } from './adapters/files/offline-key.js';
import { renderCertificatePdf } from './adapters/pdf/render-certificate.js';
import { createRenderPool } from './adapters/pdf/render-pool.js';
import { createPdfSigner } from './adapters/pdf/signing.js';
import { addSignatureTimestamp, timestampedSlot } from './adapters/pdf/signature-timestamp.js';
import { loadSigningKeys, signingIdentityOf } from './adapters/pdf/signing-keys.js';
import type { SignatureSlot } from './adapters/pdf/certificate-template.js';
import type { Config } from './config.js';
import type { CertificateDocument } from './domain/certificates/document.js';
import type { TimestampAuthority } from './domain/certificates/timestamps.js';
import { DomainError } from './domain/errors.js';
import type { InstitutionService } from './domain/institution/service.js';
import type { Clock } from './domain/ports.js';
import type { SharedKeyStore } from './domain/stores.js';
import type { CertificateSigning } from './features/certificates.js';

/**
 * The keys and the PDF pipeline that issuing needs, built at the composition root: the QR
 * payloads' Ed25519 key (DATA_DIR/offline-verification-key.pem, or the database's service_keys
 * on PostgreSQL) and the university's PDF signing key (CERT_SIGNING_KEY/CERT; in demo mode
 * generated, like the Ed25519 key). Documents delivered as files get a signature time-stamp from
 * `timestamps` (PAdES B-T); printed ones are signed as they always were.
 */
export async function openCertificateSigning(deps: {
  config: Config;
  clock: Clock;
  logger: Logger;
  institution: InstitutionService;
  /** Where generated keys are shared by every instance (PostgreSQL); null: files in DATA_DIR. */
  sharedKeys: SharedKeyStore | null;
  /** Stamps the signatures of documents delivered as files; null: none configured (such documents fail). */
  timestamps: TimestampAuthority | null;
}): Promise<CertificateSigning> {
  const { config } = deps;
  const offlineKey = await loadOrCreateOfflineKey(config.dataDir, deps.sharedKeys);
  // Demo mode generates a key naming the (demo) institution; production uses only the configured one.
  const demoName = config.demo ? (await deps.institution.profile())?.name.en : undefined;
  const signingKeys = await loadSigningKeys(config, demoName ? { commonName: asciiName(demoName), now: deps.clock.now() } : null, deps.sharedKeys);
  if (!signingKeys) {
    deps.logger.warn(
      'CERT_SIGNING_KEY and CERT_SIGNING_CERT are not set: no certificate will be issued until the university key and certificate are configured (see the setup checklist in the console).',
    );
  }
  const pdfSigner = signingKeys ? createPdfSigner(signingKeys.keys) : null;
  // Every core renders: the main thread only checks the signature fields and hands the document over.
  const renderHere = async (doc: CertificateDocument, slot: SignatureSlot) => pdfSigner!.fill(await renderCertificatePdf(doc, slot), slot);
  const pool = signingKeys && config.pdfWorkers > 0 ? createRenderPool({ size: config.pdfWorkers, keys: signingKeys.keys, local: renderHere }) : null;
  return {
    offlineKey,
    identity: signingKeys ? signingIdentityOf(signingKeys) : null,
    timestamped: deps.timestamps !== null,
    async producePdf(doc, signingTime) {
      if (!pdfSigner) throw new DomainError('service.notOpen', {}, 'no signing key');
      // One save: the renderer writes the signature placeholder, the signer fills it in place.
      const slot = pdfSigner.slot({ reason: `Certificate ${doc.certificateNumber}`, location: 'Japan', signingTime });
      if (!doc.digitalDelivery) return pool ? pool.produce(doc, slot) : renderHere(doc, slot);
      const { timestamps } = deps;
      if (!timestamps) throw new DomainError('certificate.timestampUnavailable', {}, 'no time-stamping authority (TSA_URL) is configured');
      const roomy = timestampedSlot(slot);
      const signed = await (pool ? pool.produce(doc, roomy) : renderHere(doc, roomy));
      return addSignatureTimestamp(Buffer.from(signed.buffer, signed.byteOffset, signed.byteLength), timestamps).catch((e: unknown) => {
        // Whatever went wrong with the token (the authority's own errors are already this code), the order fails cleanly.
        throw e instanceof DomainError ? e : new DomainError('certificate.timestampUnavailable', {}, e instanceof Error ? e.message : String(e));
      });
    },
    async close() {
      await pool?.close();
    },
  };
}

/** The signing certificate's subject must be ASCII: letters outside it are dropped. */
export function asciiName(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/\s+/g, ' ')
      .trim() || 'University'
  );
}
