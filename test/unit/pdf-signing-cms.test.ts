import { createHash, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../../service/adapters/pdf/cms.js';
import { createPdfSigner, PdfSignatureFieldError, type PdfSigner } from '../../service/adapters/pdf/signing.js';
import { generateSigningKeys, type SigningKeys } from '../../service/adapters/pdf/signing-keys.js';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

let keys: SigningKeys;
let signer: PdfSigner;
const signingTime = new Date('2026-04-01T09:30:00Z');

beforeAll(async () => {
  keys = await generateSigningKeys({ commonName: 'Demo University', keySize: 2048 });
  signer = createPdfSigner(keys);
});

async function simplePdf(text = 'Certificate of Enrollment'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  page.drawText(text, { x: 72, y: 760, size: 18, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save();
}

/** The /ByteRange numbers and the DER inside /Contents of a signed PDF. */
function signatureOf(pdf: Uint8Array) {
  const text = Buffer.from(pdf).toString('latin1');
  const range = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\s*\]/.exec(text);
  expect(range).not.toBeNull();
  const [a, b, c, d] = range!.slice(1).map(Number) as [number, number, number, number];
  const hex = text.slice(b + 1, c - 1);
  const signed = Buffer.concat([Buffer.from(pdf.subarray(a, a + b)), Buffer.from(pdf.subarray(c, c + d))]);
  return { byteRange: [a, b, c, d], signed, der: Buffer.from(hex, 'hex') };
}

const oidOf = (node: Asn1) => asn1.derToOid(forge.util.createBuffer(node.value as string));
const children = (node: Asn1) => node.value as Asn1[];
const bytes = (node: Asn1) => Buffer.from(node.value as string, 'binary');

function decode(der: Buffer) {
  // /Contents is zero-padded after the DER: parse only the first value (forge's typings lack the options form).
  const options = { parseAllBytes: false } as unknown as boolean;
  const contentInfo = asn1.fromDer(forge.util.createBuffer(der.toString('binary')), options);
  const [type, wrapped] = children(contentInfo) as [Asn1, Asn1];
  const signedData = children(wrapped)[0]!;
  const [version, digestAlgorithms, encap, certificates, signerInfos] = children(signedData) as Asn1[] as [Asn1, Asn1, Asn1, Asn1, Asn1];
  const signerInfo = children(signerInfos)[0]!;
  const [, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature] = children(signerInfo) as Asn1[] as [Asn1, Asn1, Asn1, Asn1, Asn1, Asn1];
  const attributes = new Map(children(signedAttrs).map((attr) => [oidOf(children(attr)[0]!), children(children(attr)[1]!)[0]!]));
  return { type, version, digestAlgorithms, encap, certificates, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature, attributes };
}

describe('the CMS signature of a signed PDF', () => {
  it('is a detached SignedData with SHA-256, RSA and the four PAdES signed attributes', async () => {
    const { der } = signatureOf(await signer.sign(await simplePdf(), { reason: 'Issued', location: 'Tokyo', signingTime }));
    const cms = decode(der);
    expect(oidOf(cms.type)).toBe(OID.signedData);
    expect(oidOf(children(children(cms.digestAlgorithms)[0]!)[0]!)).toBe(OID.sha256);
    // Detached: the encapsulated content info names id-data and carries no content.
    expect(children(cms.encap)).toHaveLength(1);
    expect(oidOf(children(cms.encap)[0]!)).toBe(OID.data);
    expect(oidOf(children(cms.digestAlgorithm)[0]!)).toBe(OID.sha256);
    expect(oidOf(children(cms.signatureAlgorithm)[0]!)).toBe(OID.rsaEncryption);
    expect([...cms.attributes.keys()].sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingTime, OID.signingCertificateV2].sort());
    expect(oidOf(cms.attributes.get(OID.contentType)!)).toBe(OID.data);
    expect(asn1.utcTimeToDate(cms.attributes.get(OID.signingTime)!.value as string).toISOString()).toBe(signingTime.toISOString());
  });

  it('embeds the signing certificate and names it in signing-certificate-v2 by its SHA-256 hash', async () => {
    const { der } = signatureOf(await signer.sign(await simplePdf(), { reason: 'Issued', location: 'Tokyo', signingTime }));
    const cms = decode(der);
    const embedded = Buffer.from(asn1.toDer(children(cms.certificates)[0]!).getBytes(), 'binary');
    const certDer = new X509Certificate(keys.certPem).raw;
    expect(embedded.equals(certDer)).toBe(true);
    const essCertId = children(children(children(cms.attributes.get(OID.signingCertificateV2)!)[0]!)[0]!);
    expect(bytes(essCertId[0]!).equals(createHash('sha256').update(certDer).digest())).toBe(true);
    // SignerInfo identifies the certificate by issuer and serial number.
    const serial = bytes(children(cms.sid)[1]!).toString('hex').replace(/^00/, '').toUpperCase();
    expect(serial).toBe(new X509Certificate(keys.certPem).serialNumber.replace(/^00/, '').toUpperCase());
  });

  it('has a messageDigest equal to the SHA-256 of the two byte ranges, which cover the whole file but /Contents', async () => {
    const pdf = await signer.sign(await simplePdf(), { reason: 'Issued', location: 'Tokyo', signingTime });
    const { byteRange, signed, der } = signatureOf(pdf);
    expect(byteRange[0]).toBe(0);
    expect(byteRange[2]! + byteRange[3]!).toBe(pdf.length);
    expect(Buffer.from(pdf.subarray(byteRange[1]!, byteRange[2]!)).toString('latin1')).toMatch(/^<[0-9a-f]+>$/);
    const digest = bytes(decode(der).attributes.get(OID.messageDigest)!);
    expect(digest.equals(createHash('sha256').update(signed).digest())).toBe(true);
  });

  it('carries an RSA signature over the DER SET of the signed attributes that the certificate key verifies', async () => {
    const { der } = signatureOf(await signer.sign(await simplePdf(), { reason: 'Issued', location: 'Tokyo', signingTime }));
    const cms = decode(der);
    const attrs = Buffer.from(asn1.toDer(cms.signedAttrs).getBytes(), 'binary');
    attrs[0] = 0x31; // [0] IMPLICIT in SignerInfo, SET OF when signed
    const publicKey = new X509Certificate(keys.certPem).publicKey;
    expect(verify('sha256', attrs, publicKey, bytes(cms.signature))).toBe(true);
    expect(verify('sha256', Buffer.concat([attrs, Buffer.from([0])]), publicKey, bytes(cms.signature))).toBe(false);
  });
});

describe('the signature dictionary', () => {
  it('says ETSI.CAdES.detached and keeps ASCII fields, escaping parentheses and backslashes', async () => {
    const pdf = await signer.sign(await simplePdf(), {
      reason: 'Certificate (enrollment) a\\b',
      location: 'Tokyo, Japan',
      contactInfo: 'registrar@example.ac.jp',
      name: 'Demo University',
      signingTime,
    });
    const text = Buffer.from(pdf).toString('latin1');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toContain('/Reason (Certificate \\(enrollment\\) a\\\\b)');
    expect(text).toContain('/Location (Tokyo, Japan)');
    expect(text).toContain('/ContactInfo (registrar@example.ac.jp)');
    expect(text).toContain('/Name (Demo University)');
  });

  it.each([
    ['reason', { reason: '在学証明書の発行', location: 'Tokyo' }],
    ['location', { reason: 'Issued', location: '東京' }],
    ['name', { reason: 'Issued', location: 'Tokyo', name: 'デモ大学' }],
    ['contactInfo', { reason: 'Issued', location: 'Tokyo', contactInfo: 'line\nbreak' }],
  ])('refuses a %s that is not printable ASCII instead of corrupting the PDF', async (field, info) => {
    const pdf = await simplePdf();
    const error = await signer.sign(pdf, { ...info, signingTime }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdfSignatureFieldError);
    expect((error as PdfSignatureFieldError).field).toBe(field);
  });

  it('leaves the input PDF bytes untouched', async () => {
    const pdf = await simplePdf();
    const copy = Buffer.from(pdf);
    await signer.sign(pdf, { reason: 'Issued', location: 'Tokyo', signingTime });
    expect(Buffer.from(pdf).equals(copy)).toBe(true);
  });
});

describe('createPdfSigner', () => {
  it('refuses a certificate that does not belong to the key', async () => {
    const other = await generateSigningKeys({ commonName: 'Other', keySize: 2048 });
    expect(() => createPdfSigner({ keyPem: keys.keyPem, certPem: other.certPem })).toThrow(/does not belong/);
  });

  it('exposes the certificate common name', () => {
    expect(signer.commonName).toBe('Demo University');
  });
});
