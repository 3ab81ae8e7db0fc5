/**
 * CMS (PKCS#7) SignedData for PDF signatures: the ASN.1 is built with node-forge, the RSA
 * signature comes from node:crypto (a KeyObject decoded once). The result is a detached
 * signature as PAdES baseline B-B wants it (SubFilter ETSI.CAdES.detached): signed attributes
 * contentType, signingTime, messageDigest and ESS signing-certificate-v2.
 */
import { createHash, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

/** The object identifiers used here (exported for tests). */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** A signing certificate prepared once: its DER, issuer Name and serial number as ASN.1. */
export interface CmsCertificate {
  der: Buffer;
  issuer: Asn1;
  serialNumber: Asn1;
}

/** Parses a PEM certificate into what SignerInfo and the certificates set need. */
export function prepareCertificate(pem: string): CmsCertificate {
  const der = new X509Certificate(pem).raw;
  const cert = asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const tbs = (cert.value as Asn1[])[0]!;
  const fields = tbs.value as Asn1[];
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, …
  const start = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return { der, serialNumber: fields[start]!, issuer: fields[start + 2]! };
}

const seq = (value: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
const set = (value: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, value);
const oid = (id: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const int = (n: number): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const octets = (b: Buffer): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b.toString('binary'));
const nul = (): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
const algorithm = (id: string): Asn1 => seq([oid(id), nul()]);
const toDer = (a: Asn1): Buffer => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
const attribute = (type: string, value: Asn1): Asn1 => seq([oid(type), set([value])]);

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(date: Date): Asn1 {
  if (date.getUTCFullYear() < 2050) {
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
  }
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

export interface SignedDataInput {
  /** The signed bytes (the PDF without the /Contents hex string). */
  content: Uint8Array;
  signingTime: Date;
  key: KeyObject;
  certificate: CmsCertificate;
  /** Further certificates to embed after the signer's (DER), e.g. intermediates. */
  chain?: Buffer[];
}

/** Builds a DER-encoded, detached CMS SignedData (SHA-256 with RSA PKCS#1 v1.5) over `content`. */
export function buildSignedData(input: SignedDataInput): Buffer {
  const { certificate, key } = input;
  const messageDigest = createHash('sha256').update(input.content).digest();
  const certHash = createHash('sha256').update(certificate.der).digest();
  // ESSCertIDv2 with the default hash algorithm (SHA-256, so omitted) and issuerSerial.
  const issuerSerial = seq([seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [certificate.issuer])]), certificate.serialNumber]);
  const signingCertificateV2 = seq([seq([seq([octets(certHash), issuerSerial])])]);

  // DER wants a SET OF sorted by the encodings of its elements.
  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, time(input.signingTime)),
    attribute(OID.messageDigest, octets(messageDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2),
  ]
    .map(toDer)
    .sort(Buffer.compare);
  // The signature covers the attributes encoded as a SET (tag 0x31) …
  const attributesSet = tlv(0x31, attributes);
  const signature = cryptoSign('sha256', attributesSet, key);
  // … and SignerInfo carries them as [0] IMPLICIT (tag 0xA0), same content.
  const signerInfo = tlv(0x30, [
    toDer(int(1)),
    toDer(seq([certificate.issuer, certificate.serialNumber])),
    toDer(algorithm(OID.sha256)),
    tlv(0xa0, attributes),
    toDer(algorithm(OID.rsaEncryption)),
    toDer(octets(signature)),
  ]);
  // Assembled from raw DER so the certificates are embedded byte for byte (no re-encoding).
  const signedData = tlv(0x30, [
    toDer(int(1)),
    toDer(set([algorithm(OID.sha256)])),
    toDer(seq([oid(OID.data)])),
    tlv(0xa0, [certificate.der, ...(input.chain ?? [])]),
    tlv(0x31, [signerInfo]),
  ]);
  return tlv(0x30, [toDer(oid(OID.signedData)), tlv(0xa0, [signedData])]);
}

function tlv(tag: number, parts: Buffer[]): Buffer {
  return Buffer.concat([
    derHeader(
      tag,
      parts.reduce((n, p) => n + p.length, 0),
    ),
    ...parts,
  ]);
}

function derHeader(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}
