/**
 * The university's PDF signing key and certificate.
 *
 * Production: the PEM files named by CERT_SIGNING_KEY / CERT_SIGNING_CERT (the certificate file
 * may continue with its chain: leaf first), or nothing — then no certificate is issued. Demo
 * mode only: `signing-key.pem` and `signing-cert.pem` in DATA_DIR, generated on first start — an
 * RSA key with a self-signed certificate naming the demo institution (digitalSignature +
 * nonRepudiation, valid 5 years).
 */
import { X509Certificate } from 'node:crypto';
import type { Config } from '../../config.js';
import { loadOrCreateKeyFiles, readKeyPairFiles, selfSignedKeyPair, type PemKeyPair } from '../files/key-pair.js';
import type { SigningIdentity } from '../../domain/institution/setup.js';
import type { SharedKeyStore } from '../../domain/stores.js';
import type { PdfSignerOptions } from './signing.js';

/** What createPdfSigner needs: PEM key, PEM certificate, PEM chain (possibly empty). */
export type SigningKeys = Required<PdfSignerOptions>;

export interface GenerateSigningKeysOptions {
  /** Subject common name, ASCII (the institution's English name). */
  commonName: string;
  /** Subject organisation, ASCII; defaults to the common name. */
  organization?: string;
  /** RSA modulus length; 3072 by default. */
  keySize?: 2048 | 3072;
  /** Start of validity (minus one minute); now by default. */
  now?: Date;
}

export const SIGNING_KEY_FILE = 'signing-key.pem';
export const SIGNING_CERT_FILE = 'signing-cert.pem';
/** Validity of a generated certificate, in years. */
export const GENERATED_VALIDITY_YEARS = 5;

export interface LoadedSigningKeys {
  keys: SigningKeys;
  source: 'configured' | 'generated';
}

/**
 * The configured key pair; else, when `generate` is given (demo mode), the one in
 * `config.dataDir` (generated there when neither file exists; one without the other is an error
 * rather than a silent new identity); else null: nothing can be signed.
 */
export async function loadSigningKeys(
  config: Pick<Config, 'dataDir' | 'certificates'>,
  generate: GenerateSigningKeysOptions | null,
  shared: SharedKeyStore | null = null,
): Promise<LoadedSigningKeys | null> {
  const { signingKeyFile, signingCertFile } = config.certificates;
  if (signingKeyFile && signingCertFile) {
    return { keys: await readSigningKeys(signingKeyFile, signingCertFile, 'CERT_SIGNING_KEY / CERT_SIGNING_CERT'), source: 'configured' };
  }
  if (!generate) return null;
  if (shared) {
    // Every instance signs with the one the first generated (PostgreSQL's service_keys).
    const stored = await shared.getOrCreate('demo-signing-keys', async () => JSON.stringify(await generateSigningKeys(generate)));
    const { keyPem, certPem, chainPems } = JSON.parse(stored) as SigningKeys;
    return { keys: { keyPem, certPem, chainPems }, source: 'generated' };
  }
  const pair = await loadOrCreateKeyFiles(
    {
      dir: config.dataDir,
      keyFile: SIGNING_KEY_FILE,
      certFile: SIGNING_CERT_FILE,
      what: 'the PDF signing key pair',
      replacing: 'PDFs signed before then will name the old certificate',
    },
    async () => {
      const keys = await generateSigningKeys(generate);
      return { keyPem: keys.keyPem, certPems: [keys.certPem] };
    },
  );
  return { keys: signingKeysOf(pair), source: 'generated' };
}

/** The signing certificate as the setup checklist reads it: subject, its CN and O values, validity. */
export function signingIdentityOf(loaded: LoadedSigningKeys): SigningIdentity {
  const x509 = new X509Certificate(loaded.keys.certPem);
  const names = x509.subject
    .split('\n')
    .map((line) => /^(CN|O)=(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    // OpenSSL escapes separators in values (`Foo\\, Bar`).
    .map((m) => m[2]!.replace(/\\(.)/g, '$1'));
  return {
    source: loaded.source,
    subject: x509.subject.split('\n').join(', '),
    names,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
  };
}

/** A fresh RSA key with a self-signed certificate naming the institution (digitalSignature + nonRepudiation). */
export async function generateSigningKeys(options: GenerateSigningKeysOptions): Promise<SigningKeys> {
  const pair = await selfSignedKeyPair({
    commonName: options.commonName,
    organization: options.organization ?? options.commonName,
    country: 'JP',
    keySize: options.keySize ?? 3072,
    validityYears: GENERATED_VALIDITY_YEARS,
    nonRepudiation: true,
    now: options.now,
  });
  return signingKeysOf(pair);
}

/** Reads and checks a key + certificate(s) pair: the first certificate must belong to the key, an RSA key. */
async function readSigningKeys(keyFile: string, certFile: string, source: string): Promise<SigningKeys> {
  return signingKeysOf(await readKeyPairFiles(keyFile, certFile, 'the PDF signing key pair', source, 'rsa'));
}

const signingKeysOf = (pair: PemKeyPair): SigningKeys => ({ keyPem: pair.keyPem, certPem: pair.certPems[0]!, chainPems: pair.certPems.slice(1) });
