/**
 * RFC 3161 messages: the request a client sends (TimeStampReq), the reply (TimeStampResp) and
 * the token inside it (a CMS SignedData whose content is a TSTInfo). Written and read here for both
 * sides: the HTTP client (http-tsa.ts) and the built-in authority (local-tsa.ts).
 */
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { OID } from '../pdf/cms.js';
import { algorithm, childrenOf, contentOf, int, octets, readTlv, seq, tlv, toDer, type Asn1 } from '../pdf/der.js';

const { asn1 } = forge;

export const TSA_OID = {
  /** extendedKeyUsage id-kp-timeStamping. */
  timeStamping: '1.3.6.1.5.5.7.3.8',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;

/** PKIStatus values. */
export const STATUS = { granted: 0, grantedWithMods: 1, rejection: 2, waiting: 3 } as const;
/** PKIFailureInfo bits. */
export const FAILURE = { badAlg: 0, badRequest: 2, badDataFormat: 5, unacceptedPolicy: 15, systemFailure: 25 } as const;

export interface TimestampRequest {
  /** The SHA-256 message imprint. */
  digest: Buffer;
  /** INTEGER content bytes as sent (two's complement), or null. */
  nonce: Buffer | null;
  certReq: boolean;
  /** Requested policy OID, or null. */
  policy: string | null;
}

const integerContent = (bytes: Buffer): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes.toString('binary'));
const bool = (value: boolean): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, value ? '\xff' : '\x00');
const parse = (der: Uint8Array): Asn1 => asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
const kids = (node: Asn1): Asn1[] => (Array.isArray(node.value) ? node.value : []);
const raw = (node: Asn1): Buffer => Buffer.from(typeof node.value === 'string' ? node.value : '', 'binary');
const oidOf = (node: Asn1 | undefined): string | null =>
  node && node.tagClass === asn1.Class.UNIVERSAL && node.type === asn1.Type.OID ? asn1.derToOid(forge.util.createBuffer(node.value as string)) : null;
const isUniversal = (node: Asn1 | undefined, type: number): node is Asn1 => node !== undefined && node.tagClass === asn1.Class.UNIVERSAL && node.type === type;

/** A TimeStampReq for a SHA-256 digest, with a nonce and certReq. */
export function encodeRequest(request: { digest: Uint8Array; nonce: Buffer; certReq: boolean }): Buffer {
  return toDer(seq([int(1), seq([algorithm(OID.sha256), octets(Buffer.from(request.digest))]), integerContent(request.nonce), bool(request.certReq)]));
}

/** Reads a TimeStampReq; throws RequestError with the PKIFailureInfo bit to answer. */
export function parseRequest(der: Uint8Array): TimestampRequest {
  let req: Asn1;
  try {
    req = parse(der);
  } catch {
    throw new RequestError(FAILURE.badDataFormat, 'not DER');
  }
  const [version, imprint, ...rest] = kids(req);
  if (!isUniversal(version, asn1.Type.INTEGER) || raw(version).toString('hex') !== '01' || !imprint)
    throw new RequestError(FAILURE.badDataFormat, 'not a v1 request');
  const [alg, hashed] = kids(imprint);
  if (oidOf(alg && kids(alg)[0]) !== OID.sha256) throw new RequestError(FAILURE.badAlg, 'only SHA-256 imprints');
  if (!isUniversal(hashed, asn1.Type.OCTETSTRING) || raw(hashed).length !== 32) throw new RequestError(FAILURE.badDataFormat, 'bad imprint');
  const request: TimestampRequest = { digest: raw(hashed), nonce: null, certReq: false, policy: null };
  for (const field of rest) {
    if (isUniversal(field, asn1.Type.OID)) request.policy = oidOf(field);
    else if (isUniversal(field, asn1.Type.INTEGER)) request.nonce = raw(field);
    else if (isUniversal(field, asn1.Type.BOOLEAN)) request.certReq = raw(field)[0] !== 0;
    else throw new RequestError(FAILURE.badRequest, 'extensions are not supported');
  }
  return request;
}

export class RequestError extends Error {
  constructor(
    readonly failure: number,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** A TimeStampResp: granted with the token, or a rejection with its failure bit. */
export function encodeResponse(reply: { token: Buffer } | { failure: number; text: string }): Buffer {
  if ('token' in reply) return tlv(0x30, [toDer(seq([int(STATUS.granted)])), reply.token]);
  const utf8 = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(reply.text));
  return toDer(seq([seq([int(STATUS.rejection), seq([utf8]), failureBits(reply.failure)])]));
}

/** PKIFailureInfo: a named-bit BIT STRING with one bit set, trailing zero bits dropped (DER). */
function failureBits(bit: number): Asn1 {
  const bytes = Buffer.alloc(Math.floor(bit / 8) + 1);
  bytes[bytes.length - 1] = 0x80 >> (bit % 8);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(7 - (bit % 8)) + bytes.toString('binary'));
}

/** A TimeStampResp read back: the status, its text, and the token's exact bytes when granted. */
export function parseResponse(der: Buffer): { status: number; text: string; token: Buffer | null } {
  const outer = readTlv(der);
  const [statusInfo, token] = childrenOf(der, outer);
  if (!statusInfo) throw new Error('empty TimeStampResp');
  const info = parse(der.subarray(statusInfo.start, statusInfo.end));
  const [status, ...more] = kids(info);
  if (!isUniversal(status, asn1.Type.INTEGER)) throw new Error('TimeStampResp without a status');
  const text = more
    .filter((m) => isUniversal(m, asn1.Type.SEQUENCE))
    .flatMap(kids)
    .map((s) => forge.util.decodeUtf8(s.value as string))
    .join(' ');
  return { status: raw(status).readIntBE(0, Math.min(raw(status).length, 6)), text, token: token ? der.subarray(token.start, token.end) : null };
}

export interface TstInfo {
  policy: string;
  hashAlgorithm: string;
  digest: Buffer;
  serialNumber: string;
  genTime: Date;
  nonce: Buffer | null;
}

/** The token's parts: its TSTInfo, the DER of its signed content, SignerInfo and certificates. */
function tokenParts(token: Buffer) {
  const outer = readTlv(token);
  const [type, explicit] = childrenOf(token, outer);
  if (!type || contentOfOid(token, type) !== OID.signedData || !explicit) throw new Error('the token is not a CMS SignedData');
  const signedData = childrenOf(token, explicit)[0];
  if (!signedData) throw new Error('the token is not a CMS SignedData');
  const fields = childrenOf(token, signedData);
  const encap = fields[2]!;
  const [contentType, wrapped] = childrenOf(token, encap);
  if (!contentType || contentOfOid(token, contentType) !== OID.tstInfo || !wrapped) throw new Error('the token does not carry a TSTInfo');
  const content = contentOf(token, childrenOf(token, wrapped)[0]!);
  const certificates = fields.find((f) => f.tag === 0xa0);
  const signerInfos = fields.at(-1)!;
  return {
    content,
    certificates: certificates ? childrenOf(token, certificates).map((c) => token.subarray(c.start, c.end)) : [],
    signerInfo: childrenOf(token, signerInfos)[0],
  };
}

const contentOfOid = (buf: Buffer, v: { tag: number; start: number; contentStart: number; end: number }): string | null =>
  v.tag === 0x06 ? asn1.derToOid(forge.util.createBuffer(contentOf(buf, v).toString('binary'))) : null;

/** Reads the TSTInfo of a DER TimeStampToken. */
export function readTstInfo(token: Uint8Array): TstInfo {
  const { content } = tokenParts(Buffer.from(token));
  const [version, policy, imprint, serial, genTime, ...rest] = kids(parse(content));
  if (!version || !imprint || !serial || !isUniversal(genTime, asn1.Type.GENERALIZEDTIME)) throw new Error('malformed TSTInfo');
  const [alg, hashed] = kids(imprint);
  const nonce = rest.find((f) => isUniversal(f, asn1.Type.INTEGER));
  return {
    policy: oidOf(policy) ?? '',
    hashAlgorithm: oidOf(alg && kids(alg)[0]) ?? '',
    digest: hashed ? raw(hashed) : Buffer.alloc(0),
    serialNumber: raw(serial).toString('hex'),
    genTime: asn1.generalizedTimeToDate(genTime.value as string),
    nonce: nonce ? raw(nonce) : null,
  };
}

const HASHES: Record<string, string> = { [OID.sha256]: 'sha256', [TSA_OID.sha384]: 'sha384', [TSA_OID.sha512]: 'sha512' };

/**
 * Checks a token's signature and that its signer is a time-stamping certificate issued (directly
 * or through certificates in the token) by one of `trusted`, valid at the token's time. Throws
 * with the reason.
 */
export function verifyToken(token: Uint8Array, trusted: X509Certificate[]): void {
  const buf = Buffer.from(token);
  const { content, certificates, signerInfo } = tokenParts(buf);
  if (!signerInfo) throw new Error('the token has no SignerInfo');
  const fields = childrenOf(buf, signerInfo);
  const signedAttrs = fields.find((f) => f.tag === 0xa0);
  const digestAlg = HASHES[contentOfOid(buf, childrenOf(buf, fields[2]!)[0]!) ?? ''];
  const signature = fields.find((f, i) => f.tag === 0x04 && i > 3);
  if (!signedAttrs || !digestAlg || !signature) throw new Error('the token is not signed with signed attributes');
  const attributes = new Map(
    childrenOf(buf, signedAttrs).map((a) => {
      const [type, values] = childrenOf(buf, a);
      return [contentOfOid(buf, type!), childrenOf(buf, values!)[0]!] as const;
    }),
  );
  const messageDigest = attributes.get(OID.messageDigest);
  if (!messageDigest || !contentOf(buf, messageDigest).equals(createHash(digestAlg).update(content).digest())) {
    throw new Error("the token's message digest does not match its TSTInfo");
  }
  // The signature covers the signed attributes encoded as a SET: same bytes, tag 0x31.
  const signed = Buffer.from(buf.subarray(signedAttrs.start, signedAttrs.end));
  signed[0] = 0x31;
  const certs = certificates.map((der) => new X509Certificate(der));
  const signer = certs.find((c) => cryptoVerify(digestAlg, signed, c.publicKey, contentOf(buf, signature)));
  if (!signer) throw new Error("the token's signature does not verify with any certificate in it");
  if (!(signer.keyUsage ?? []).includes(TSA_OID.timeStamping)) throw new Error("the token's signer is not a time-stamping certificate");
  const at = readTstInfo(buf).genTime.getTime();
  let current = signer;
  for (let depth = 0; depth < 6; depth += 1) {
    if (at < Date.parse(current.validFrom) || at > Date.parse(current.validTo))
      throw new Error(`certificate ${current.subject} is not valid at the token's time`);
    if (trusted.some((t) => t.raw.equals(current.raw) || (current.checkIssued(t) && current.verify(t.publicKey)))) return;
    const issuer = certs.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) break;
    current = issuer;
  }
  throw new Error("the token's signer does not chain to a certificate of TSA_CA_FILE");
}
