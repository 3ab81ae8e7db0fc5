import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import selfsigned from 'selfsigned';
import type { Config } from '../../config.js';
import { writeFilesDurably } from '../files/durable-write.js';

export interface KeyPair {
  /** PEM private key. */
  key: string;
  /** PEM X.509 certificate. */
  cert: string;
}

/**
 * The SP's signing key pair: the configured PEM files (SAML_SP_KEY / SAML_SP_CERT), or a pair
 * generated into DATA_DIR on first start and reused afterwards (the IdP registers our
 * certificate, so it must survive restarts).
 */
export async function loadSpKeys(config: Pick<Config, 'dataDir' | 'saml' | 'publicUrl'>): Promise<KeyPair> {
  const { spKeyFile, spCertFile } = config.saml;
  if (spKeyFile && spCertFile) return readKeyPair(spKeyFile, spCertFile, 'SAML_SP_KEY / SAML_SP_CERT');
  return loadOrCreateKeyPair(config.dataDir, 'sp', `Shomei SP ${new URL(config.publicUrl).host}`);
}

/**
 * `<prefix>-key.pem` (mode 0600) and `<prefix>-cert.pem` in `dir`: read when both exist,
 * else a fresh 2048-bit RSA key with a self-signed certificate valid 10 years.
 */
export async function loadOrCreateKeyPair(dir: string, prefix: string, commonName: string): Promise<KeyPair> {
  const keyFile = path.join(dir, `${prefix}-key.pem`);
  const certFile = path.join(dir, `${prefix}-cert.pem`);
  const [key, cert] = await Promise.all([readIfExists(keyFile), readIfExists(certFile)]);
  if (key !== null && cert !== null) return readKeyPair(keyFile, certFile, `${keyFile} / ${certFile}`);
  if (key !== null || cert !== null) {
    throw new Error(`${key ? certFile : keyFile} is missing while ${key ? keyFile : certFile} exists: restore it or delete both to generate a new pair (the IdP must then be given the new certificate).`);
  }
  const now = new Date();
  const pems = await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000),
    // A signing certificate: no TLS usages, no subjectAltName.
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
    ],
  });
  await mkdir(dir, { recursive: true });
  // Certificate first: a crash never leaves a key whose certificate is missing or half written.
  await writeFilesDurably([
    { file: certFile, data: pems.cert, mode: 0o644 },
    { file: keyFile, data: pems.private, mode: 0o600 },
  ]);
  return { key: pems.private, cert: pems.cert };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function readKeyPair(keyFile: string, certFile: string, source: string): Promise<KeyPair> {
  let key: string;
  let cert: string;
  try {
    [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
  } catch (e) {
    throw new Error(`Cannot read the SAML key pair (${source}): ${(e as Error).message}`);
  }
  let matches: boolean;
  try {
    const privateKey = createPrivateKey(key);
    const x509 = new X509Certificate(cert);
    const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const fromCert = x509.publicKey.export({ type: 'spki', format: 'der' });
    matches = fromKey.equals(fromCert);
  } catch (e) {
    throw new Error(`The SAML key pair (${source}) is not a PEM private key and certificate: ${(e as Error).message}`);
  }
  if (!matches) throw new Error(`The SAML certificate does not belong to the private key (${source}).`);
  return { key, cert };
}
