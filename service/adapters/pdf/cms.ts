/**
 * CMS (PKCS#7) SignedData for PDF signatures: the ASN.1 is built with node-forge, the RSA
 * signature comes from node:crypto (a KeyObject decoded once). The result is a detached
 * signature as PAdES baseline B-B wants it (SubFilter ETSI.CAdES.detached): signed attributes
 * contentType, signingTime, messageDigest and ESS signing-certificate-v2; for delivered documents the
 * signature time-stamp (B-T) is added afterwards as an unsigned attribute (withSignatureTimestamp).
 * Time-stamp tokens (../tsa) are SignedData of the same build, carrying their TSTInfo.
 */
import { createHash, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import { algorithm, attribute, bytesOf, childrenOf, contentOf, int, octets, oid, readTlv, seq, set, time, tlv, toDer, type Asn1 } from './der.js';
import forge from 'node-forge';

const { asn1 } = forge;

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
  /** RFC 3161's TSTInfo, the content of a time-stamp token. */
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  /** The unsigned attribute carrying a time-stamp token over the signature value (PAdES B-T). */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
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
  const signerInfo = signerInfoOf(input, OID.data, createHash('sha256').update(input.content).digest());
  // Assembled from raw DER so the certificates are embedded byte for byte (no re-encoding).
  const signedData = tlv(0x30, [
    toDer(int(1)),
    toDer(set([algorithm(OID.sha256)])),
    toDer(seq([oid(OID.data)])),
    tlv(0xa0, [input.certificate.der, ...(input.chain ?? [])]),
    tlv(0x31, [signerInfo]),
  ]);
  return contentInfo(signedData);
}

/**
 * A CMS SignedData that carries its content (a time-stamp token's TSTInfo): eContentType
 * `contentType`, version 3 as RFC 5652 wants for content other than id-data.
 */
export function buildEncapsulatedSignedData(input: SignedDataInput & { contentType: string; omitCertificates?: boolean }): Buffer {
  const content = Buffer.from(input.content);
  const signerInfo = signerInfoOf(input, input.contentType, createHash('sha256').update(content).digest());
  const signedData = tlv(0x30, [
    toDer(int(3)),
    toDer(set([algorithm(OID.sha256)])),
    tlv(0x30, [toDer(oid(input.contentType)), tlv(0xa0, [toDer(octets(content))])]),
    ...(input.omitCertificates ? [] : [tlv(0xa0, [input.certificate.der, ...(input.chain ?? [])])]),
    tlv(0x31, [signerInfo]),
  ]);
  return contentInfo(signedData);
}

const contentInfo = (signedData: Buffer): Buffer => tlv(0x30, [toDer(oid(OID.signedData)), tlv(0xa0, [signedData])]);

/** SignerInfo (issuerAndSerialNumber, SHA-256 with RSA) with the signed attributes PAdES and RFC 3161 ask for. */
function signerInfoOf(input: Omit<SignedDataInput, 'content'>, contentType: string, messageDigest: Buffer): Buffer {
  const { certificate, key } = input;
  const certHash = createHash('sha256').update(certificate.der).digest();
  // ESSCertIDv2 with the default hash algorithm (SHA-256, so omitted) and issuerSerial.
  const issuerSerial = seq([seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [certificate.issuer])]), certificate.serialNumber]);
  const signingCertificateV2 = seq([seq([seq([octets(certHash), issuerSerial])])]);

  // DER wants a SET OF sorted by the encodings of its elements.
  const attributes = [
    attribute(OID.contentType, oid(contentType)),
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
  return tlv(0x30, [
    toDer(int(1)),
    toDer(seq([certificate.issuer, certificate.serialNumber])),
    toDer(algorithm(OID.sha256)),
    tlv(0xa0, attributes),
    toDer(algorithm(OID.rsaEncryption)),
    toDer(octets(signature)),
  ]);
}

/** The first SignerInfo of a CMS ContentInfo, and the path of values enclosing it (outermost first). */
function firstSignerInfo(cms: Buffer) {
  const outer = readTlv(cms);
  const explicit = childrenOf(cms, outer)[1];
  const signedData = explicit && childrenOf(cms, explicit)[0];
  if (!signedData) throw new Error('not a CMS SignedData');
  const signerInfos = childrenOf(cms, signedData).at(-1)!;
  const signerInfo = childrenOf(cms, signerInfos)[0];
  if (!signerInfo || signerInfos.tag !== 0x31) throw new Error('CMS SignedData without a SignerInfo');
  return { path: [outer, explicit!, signedData, signerInfos], signerInfo };
}

/** The signature value (the content of SignerInfo's signature OCTET STRING): what a signature time-stamp covers. */
export function signatureValueOf(cms: Buffer): Buffer {
  const { signerInfo } = firstSignerInfo(cms);
  const signature = childrenOf(cms, signerInfo).find((v, i, all) => v.tag === 0x04 && (i === all.length - 1 || all[i + 1]!.tag === 0xa1));
  if (!signature) throw new Error('SignerInfo without a signature value');
  return contentOf(cms, signature);
}

/**
 * The CMS with `token` (a DER TimeStampToken) added to its SignerInfo as the unsigned attribute
 * signatureTimeStampToken (PAdES baseline B-T). Unsigned attributes are outside what the signature
 * covers, so every other byte stays as it was.
 */
export function withSignatureTimestamp(cms: Buffer, token: Buffer): Buffer {
  const { path, signerInfo } = firstSignerInfo(cms);
  const fields = childrenOf(cms, signerInfo);
  if (fields.at(-1)!.tag === 0xa1) throw new Error('The SignerInfo already has unsigned attributes.');
  const unsigned = tlv(0xa1, [tlv(0x30, [toDer(oid(OID.signatureTimeStampToken)), tlv(0x31, [token])])]);
  // Rebuild the SignerInfo and every value around it, each with its other children as they were.
  let replaced = tlv(0x30, [...fields.map((f) => bytesOf(cms, f)), unsigned]);
  let inner = signerInfo;
  for (const parent of [...path].reverse()) {
    const parts = childrenOf(cms, parent).map((c) => (c.start === inner.start ? replaced : bytesOf(cms, c)));
    replaced = tlv(cms[parent.start]!, parts);
    inner = parent;
  }
  return replaced;
}
