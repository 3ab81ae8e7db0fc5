import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { createHttpTsa } from './adapters/tsa/http-tsa.js';
import { createLocalTsa, loadOrCreateTsaKeys, type LocalTsa } from './adapters/tsa/local-tsa.js';
import type { Config } from './config.js';
import type { TimestampAuthority } from './domain/certificates/timestamps.js';
import type { Clock } from './domain/ports.js';
import type { SharedKeyStore } from './domain/stores.js';

export interface Timestamping {
  /** What stamps delivered documents' signatures; null: nothing configured, such documents fail with a clear error. */
  authority: TimestampAuthority | null;
  /** The built-in authority, served at /tsa (demo mode without TSA_URL only). */
  local: LocalTsa | null;
}

/**
 * The time-stamping authority, built at the composition root: the one at TSA_URL (its tokens
 * checked against TSA_CA_FILE when set); else, in demo mode, the built-in one with a key of its
 * own (generated like the demo signing key); else none.
 */
export async function openTimestamping(deps: {
  config: Config;
  clock: Clock;
  logger: Logger;
  sharedKeys: SharedKeyStore | null;
  /** The demo authority's certificate names it (ASCII). */
  demoName: () => Promise<string>;
}): Promise<Timestamping> {
  const { timestampUrl, timestampCaFile } = deps.config.certificates;
  if (timestampUrl) {
    return { authority: createHttpTsa({ url: timestampUrl, trusted: timestampCaFile ? await readCaFile(timestampCaFile) : [] }), local: null };
  }
  if (deps.config.demo) {
    // Its key is made on first use: most demo services never deliver a PDF, and a start stays as quick as it was.
    let opening: Promise<LocalTsa> | null = null;
    const open = (): Promise<LocalTsa> => {
      opening ??= (async () => {
        const keys = await loadOrCreateTsaKeys(deps.config.dataDir, deps.sharedKeys, { commonName: await deps.demoName(), now: deps.clock.now() });
        return createLocalTsa(keys, () => deps.clock.now());
      })();
      opening.catch(() => (opening = null)); // a failed start is tried again by the next use
      return opening;
    };
    const local: LocalTsa = {
      timestamp: async (digest) => (await open()).timestamp(digest),
      respond: async (request) => (await open()).respond(request),
      certificatePem: async () => (await open()).certificatePem(),
    };
    return { authority: local, local };
  }
  deps.logger.warn('TSA_URL is not set: certificates delivered as PDF cannot be issued until a time-stamping authority is configured.');
  return { authority: null, local: null };
}

async function readCaFile(file: string): Promise<X509Certificate[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read TSA_CA_FILE (${file}): ${(e as Error).message}`, { cause: e });
  }
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) throw new Error(`TSA_CA_FILE (${file}) holds no PEM certificate.`);
  try {
    return pems.map((pem) => new X509Certificate(pem));
  } catch (e) {
    throw new Error(`TSA_CA_FILE (${file}) holds a certificate that cannot be read: ${(e as Error).message}`, { cause: e });
  }
}
