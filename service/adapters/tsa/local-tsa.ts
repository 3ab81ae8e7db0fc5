/**
 * The built-in time-stamping authority of demo mode (and of tests: no outside TSA is reachable
 * there). Its key and self-signed certificate (extendedKeyUsage id-kp-timeStamping, critical) are
 * generated on first start and kept like the demo signing key: `tsa-key.pem` / `tsa-cert.pem` in
 * DATA_DIR, or the database's service_keys on PostgreSQL so every instance stamps with one key.
 * Tokens are CMS SignedData over a TSTInfo (RFC 3161) with ESS signing-certificate-v2, made by
 * the same builder as the PDF signatures (../pdf/cms.ts).
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { loadOrCreateKeyFiles, selfSignedKeyPair, type PemKeyPair } from '../files/key-pair.js';
import { buildEncapsulatedSignedData, OID, prepareCertificate } from '../pdf/cms.js';
import { algorithm, generalizedTime, int, octets, oid, seq, toDer, unsignedInt } from '../pdf/der.js';
import type { SharedKeyStore } from '../../domain/stores.js';
import type { TimestampAuthority, TimestampResponder } from '../../domain/certificates/timestamps.js';
import { encodeResponse, FAILURE, parseRequest, RequestError, type TimestampRequest } from './rfc3161.js';
import forge from 'node-forge';

/**
 * The demo authority's policy: under IANA's enterprise number for documentation (RFC 5612), as
 * it promises nothing beyond "this service's clock".
 */
export const LOCAL_TSA_POLICY = '1.3.6.1.4.1.32473.1.1';

export const TSA_KEY_FILE = 'tsa-key.pem';
export const TSA_CERT_FILE = 'tsa-cert.pem';

export type LocalTsa = TimestampAuthority & TimestampResponder;

/** The demo authority's key pair: read from DATA_DIR (or the shared key store), generated on first use. */
export async function loadOrCreateTsaKeys(dataDir: string, shared: SharedKeyStore | null, options: { commonName: string; now: Date }): Promise<PemKeyPair> {
  const create = () =>
    selfSignedKeyPair({
      commonName: `${options.commonName} Time-Stamping Authority (demo)`.slice(0, 64),
      organization: options.commonName.slice(0, 64),
      country: 'JP',
      keySize: 2048,
      validityYears: 10,
      timeStamping: true,
      now: options.now,
    });
  if (shared) return JSON.parse(await shared.getOrCreate('demo-tsa-keys', async () => JSON.stringify(await create()))) as PemKeyPair;
  return loadOrCreateKeyFiles(
    {
      dir: dataDir,
      keyFile: TSA_KEY_FILE,
      certFile: TSA_CERT_FILE,
      what: 'the demo time-stamping key pair',
      replacing: 'time-stamps made before then name the old certificate',
    },
    create,
  );
}

/** An authority stamping with `keys`; `now` is its clock. */
export function createLocalTsa(keys: PemKeyPair, now: () => Date): LocalTsa {
  const key = createPrivateKey(keys.keyPem);
  const certificatePem = keys.certPems[0]!;
  const certificate = prepareCertificate(certificatePem);

  const token = (request: TimestampRequest): Buffer => {
    const genTime = now();
    // Serial numbers must be unique per authority: 128 random bits, positive.
    const serial = randomBytes(16);
    serial[0] = (serial[0]! & 0x7f) | 0x01;
    const tstInfo = toDer(
      seq([
        int(1),
        oid(LOCAL_TSA_POLICY),
        seq([algorithm(OID.sha256), octets(request.digest)]),
        unsignedInt(serial),
        generalizedTime(genTime),
        // Accuracy: one second (genTime has no fractions).
        seq([int(1)]),
        ...(request.nonce ? [forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, request.nonce.toString('binary'))] : []),
      ]),
    );
    return buildEncapsulatedSignedData({
      contentType: OID.tstInfo,
      content: tstInfo,
      signingTime: genTime,
      key,
      certificate,
      // certReq false: the token names its certificate (ESS) without carrying it.
      ...(request.certReq ? {} : { omitCertificates: true }),
    });
  };

  return {
    certificatePem: async () => certificatePem,
    async timestamp(digest) {
      if (digest.length !== 32) throw new Error('A SHA-256 digest has 32 bytes.');
      return token({ digest: Buffer.from(digest), nonce: null, certReq: true, policy: null });
    },
    async respond(der) {
      try {
        const request = parseRequest(der);
        if (request.policy !== null && request.policy !== LOCAL_TSA_POLICY) throw new RequestError(FAILURE.unacceptedPolicy, `only policy ${LOCAL_TSA_POLICY}`);
        return encodeResponse({ token: token(request) });
      } catch (e) {
        if (!(e instanceof RequestError)) throw e;
        return encodeResponse({ failure: e.failure, text: e.message });
      }
    },
  };
}
