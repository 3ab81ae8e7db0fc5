/**
 * DER for the CMS structures we build and read (cms.ts, the time-stamp tokens of ../tsa): values are
 * made with node-forge's ASN.1 and joined as raw bytes, so that embedded certificates and tokens
 * stay byte for byte as they came; a small reader walks DER without re-encoding anything.
 */
import forge from 'node-forge';

const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;

export const seq = (value: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
export const set = (value: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, value);
export const oid = (id: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
export const int = (n: number): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
export const octets = (b: Buffer): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b.toString('binary'));
export const nul = (): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
export const algorithm = (id: string): Asn1 => seq([oid(id), nul()]);
export const toDer = (a: Asn1): Buffer => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
export const attribute = (type: string, value: Asn1): Asn1 => seq([oid(type), set([value])]);

/** A non-negative INTEGER from big-endian bytes (serial numbers, nonces). */
export function unsignedInt(bytes: Uint8Array): Asn1 {
  let b = Buffer.from(bytes);
  while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1);
  if (b[0]! >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, b.toString('binary'));
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function time(date: Date): Asn1 {
  if (date.getUTCFullYear() < 2050) {
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
  }
  return generalizedTime(date);
}

/** GeneralizedTime in whole seconds, 'YYYYMMDDhhmmssZ' (as RFC 3161's genTime wants it without fractions). */
export const generalizedTime = (date: Date): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));

/** A TLV from its tag and the already encoded parts of its content. */
export function tlv(tag: number, parts: Buffer[]): Buffer {
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

/** One DER value in a buffer: its tag byte, where its content starts and where it ends. */
export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the value at `offset` (single-byte tags, definite lengths: all that CMS and RFC 3161 use). */
export function readTlv(buf: Buffer, offset = 0): Tlv {
  if (offset + 2 > buf.length) throw new Error('DER: truncated value');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tags are not supported');
  let length = buf[offset + 1]!;
  let contentStart = offset + 2;
  if (length === 0x80) throw new Error('DER: indefinite length');
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4 || contentStart + count > buf.length) throw new Error('DER: bad length');
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + buf[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > buf.length) throw new Error('DER: value runs past the end');
  return { tag, start: offset, contentStart, end };
}

/** The values inside a constructed value. */
export function childrenOf(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const child = readTlv(buf, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The bytes of a value (header included), or of its content only. */
export const bytesOf = (buf: Buffer, v: Tlv): Buffer => buf.subarray(v.start, v.end);
export const contentOf = (buf: Buffer, v: Tlv): Buffer => buf.subarray(v.contentStart, v.end);
