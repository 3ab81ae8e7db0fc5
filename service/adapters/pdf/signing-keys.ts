/**
 * The university's PDF signing key and certificate.
 *
 * Production: the PEM files named by CERT_SIGNING_KEY / CERT_SIGNING_CERT (the certificate file
 * may continue with its chain: leaf first), or nothing — then no certificate is issued. Demo
 * mode only: `signing-key.pem` and `signing-cert.pem` in DATA_DIR, generated on first start — an
 * RSA key with a self-signed certificate naming the demo institution (digitalSignature +
 * nonRepudiation, valid 5 years).
 */
import { createPrivateKey, createPublicKey, generateKeyPair, X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { Config } from '../../config.js';
import { writeFilesDurably } from '../files/durable-write.js';
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
  const keyFile = path.join(config.dataDir, SIGNING_KEY_FILE);
  const certFile = path.join(config.dataDir, SIGNING_CERT_FILE);
  const [key, cert] = await Promise.all([readIfExists(keyFile), readIfExists(certFile)]);
  if (key !== null && cert !== null) return { keys: await readSigningKeys(keyFile, certFile, `${keyFile} / ${certFile}`), source: 'generated' };
  if (key !== null || cert !== null) {
    throw new Error(`${key ? certFile : keyFile} is missing while ${key ? keyFile : certFile} exists: restore it, or delete both to generate a new signing key (PDFs signed before then will name the old certificate).`);
  }
  const keys = await generateSigningKeys(generate);
  await mkdir(config.dataDir, { recursive: true });
  // Certificate first: a crash never leaves a key whose certificate is missing or half written.
  await writeFilesDurably([
    { file: certFile, data: keys.certPem, mode: 0o644 },
    { file: keyFile, data: keys.keyPem, mode: 0o600 },
  ]);
  return { keys, source: 'generated' };
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

/** A fresh RSA key (node:crypto) and a self-signed X.509 v3 certificate (node-forge, SHA-256). */
export async function generateSigningKeys(options: GenerateSigningKeysOptions): Promise<SigningKeys> {
  for (const [field, value] of [['commonName', options.commonName], ['organization', options.organization ?? '']] as const) {
    if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`The signing certificate's ${field} must be ASCII.`);
  }
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: options.keySize ?? 3072 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive 128-bit random serial (leading 0x01 keeps it positive and full length).
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  const now = options.now ?? new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + GENERATED_VALIDITY_YEARS);
  cert.validity.notAfter = notAfter;
  const subject = [
    { name: 'commonName', value: options.commonName },
    { name: 'organizationName', value: options.organization ?? options.commonName },
    { name: 'countryName', value: 'JP' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), chainPems: [] };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Reads and checks a key + certificate(s) pair: the first certificate must belong to the key. */
async function readSigningKeys(keyFile: string, certFile: string, source: string): Promise<SigningKeys> {
  let keyPem: string;
  let certText: string;
  try {
    [keyPem, certText] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
  } catch (e) {
    throw new Error(`Cannot read the PDF signing key pair (${source}): ${(e as Error).message}`);
  }
  const pems = certText.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  let matches: boolean;
  try {
    if (pems.length === 0) throw new Error('no PEM certificate found');
    const privateKey = createPrivateKey(keyPem);
    if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`the key must be RSA (got ${privateKey.asymmetricKeyType})`);
    const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    matches = fromKey.equals(new X509Certificate(pems[0]!).publicKey.export({ type: 'spki', format: 'der' }));
    for (const pem of pems.slice(1)) new X509Certificate(pem);
  } catch (e) {
    throw new Error(`The PDF signing key pair (${source}) is not a PEM RSA private key and certificate: ${(e as Error).message}`);
  }
  if (!matches) throw new Error(`The PDF signing certificate does not belong to the private key (${source}).`);
  return { keyPem, certPem: `${pems[0]!}\n`, chainPems: pems.slice(1).map((p) => `${p}\n`) };
}
