/**
 * PAdES (baseline B-B) signatures on PDFs made with pdf-lib.
 *
 * Why not @signpdf/signer-p12: it re-decodes the P12 on every call, does RSA in JavaScript
 * and one instance signs only once (DESIGN.md "Known pitfalls"). Here the key is a node:crypto
 * KeyObject created once and the CMS is built by ./cms.ts; one signer signs any number of
 * documents, concurrently too (no shared mutable state).
 *
 * The signature dictionary's Reason / Location / ContactInfo / Name must be printable ASCII:
 * Japanese there corrupts the PDF while pdfsig still says "valid", so `sign` refuses it.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { BYTE_RANGE_PLACEHOLDER, type SignatureSlot } from './certificate-template.js';
import { buildSignedData, prepareCertificate, type CmsCertificate } from './cms.js';

export interface PdfSignatureInfo {
  /** Why the document is signed, e.g. "Certificate SHM-2026-7K3M-Q9PJ". ASCII only. */
  reason: string;
  /** Where, e.g. "Tokyo, Japan". ASCII only. */
  location: string;
  /** e.g. the registrar's mail address. ASCII only. */
  contactInfo?: string;
  /** The signer's name as shown by PDF readers. ASCII only. */
  name?: string;
  /** Goes into the CMS signingTime attribute and the signature dictionary's /M. */
  signingTime: Date;
}

export interface PdfSigner {
  /** Returns a copy of `pdf` with one invisible signature (SubFilter ETSI.CAdES.detached). */
  sign(pdf: Uint8Array, info: PdfSignatureInfo): Promise<Uint8Array>;
  /**
   * The signature placeholder for a PDF being written (renderCertificatePdf), so that rendering
   * and signing save the document once; throws PdfSignatureFieldError as `sign` does.
   */
  slot(info: PdfSignatureInfo): SignatureSlot;
  /** Signs, in place, a PDF written with the placeholder of `slot`. */
  fill(pdf: Buffer, slot: SignatureSlot): Buffer;
  /** The signing certificate's subject common name. */
  readonly commonName: string;
}

export interface PdfSignerOptions {
  /** PEM private key (RSA). */
  keyPem: string;
  /** PEM X.509 certificate of that key. */
  certPem: string;
  /** PEM certificates to embed after the signer's (intermediates), optional. */
  chainPems?: string[];
}

/** Thrown for a field that may not go into the signature dictionary (not printable ASCII). */
export class PdfSignatureFieldError extends Error {
  constructor(readonly field: string) {
    super(`The signature's ${field} must be printable ASCII (other characters corrupt the PDF).`);
    this.name = 'PdfSignatureFieldError';
  }
}

const PLACEHOLDER = BYTE_RANGE_PLACEHOLDER;

/** Creates a signer; the key and certificates are decoded and checked here, once. */
export function createPdfSigner(options: PdfSignerOptions): PdfSigner {
  const key: KeyObject = createPrivateKey(options.keyPem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`The PDF signing key must be RSA (got ${key.asymmetricKeyType}).`);
  const x509 = new X509Certificate(options.certPem);
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!fromKey.equals(x509.publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new Error('The PDF signing certificate does not belong to the private key.');
  }
  const certificate: CmsCertificate = prepareCertificate(options.certPem);
  const chain = (options.chainPems ?? []).map((pem) => new X509Certificate(pem).raw);
  const commonName = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1] ?? '';
  // Room for the CMS in /Contents: a trial signature's size plus slack (times vary in length).
  const contentsBytes = buildSignedData({ content: new Uint8Array(0), signingTime: new Date(), key, certificate, chain }).length + 256;

  const fieldsOf = (info: PdfSignatureInfo) => ({
    reason: asciiField('reason', info.reason),
    location: asciiField('location', info.location),
    contactInfo: asciiField('contactInfo', info.contactInfo ?? ''),
    name: asciiField('name', info.name ?? ''),
  });

  return {
    commonName,
    slot: (info) => ({ ...fieldsOf(info), signingTime: info.signingTime, contentsBytes }),
    fill: (pdf, slot) => embedSignature(pdf, (content) => buildSignedData({ content, signingTime: slot.signingTime, key, certificate, chain })),
    async sign(pdf, info) {
      const fields = fieldsOf(info);
      const doc = await PDFDocument.load(pdf, { updateMetadata: false });
      pdflibAddPlaceholder({
        pdfDoc: doc,
        ...fields,
        signingTime: info.signingTime,
        signatureLength: contentsBytes * 2,
        byteRangePlaceholder: PLACEHOLDER,
        subFilter: 'ETSI.CAdES.detached',
      });
      // No object streams: the signature dictionary must stay plain text in the file.
      const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
      return embedSignature(prepared, (content) => buildSignedData({ content, signingTime: info.signingTime, key, certificate, chain }));
    },
  };
}

/** Fills /ByteRange and /Contents of the (single) placeholder in `pdf`. Exported for tests. */
export function embedSignature(pdf: Buffer, signContent: (content: Buffer) => Buffer): Buffer {
  const text = pdf.toString('latin1');
  const rangeMatch = /\/ByteRange\s*\[\s*0\s+\/\*{10}\s+\/\*{10}\s+\/\*{10}\s*\]/.exec(text);
  if (!rangeMatch) throw new Error('No signature placeholder (/ByteRange) in the PDF.');
  if (text.indexOf(`/${PLACEHOLDER}`, rangeMatch.index + rangeMatch[0].length) !== -1) {
    throw new Error('More than one signature placeholder in the PDF.');
  }
  const contentsTag = text.indexOf('/Contents', rangeMatch.index + rangeMatch[0].length);
  const open = text.indexOf('<', contentsTag);
  const close = text.indexOf('>', open);
  if (contentsTag === -1 || open === -1 || close === -1) throw new Error('No /Contents placeholder after /ByteRange.');
  const byteRange = [0, open, close + 1, pdf.length - (close + 1)];
  let range = `/ByteRange [${byteRange.join(' ')}]`;
  if (range.length > rangeMatch[0].length) throw new Error('The /ByteRange placeholder is too short.');
  range = range.padEnd(rangeMatch[0].length, ' ');
  pdf.write(range, rangeMatch.index, 'latin1');

  const content = Buffer.concat([pdf.subarray(0, open), pdf.subarray(close + 1)]);
  const cms = signContent(content);
  const room = close - open - 1;
  if (cms.length * 2 > room) throw new Error(`The signature (${cms.length} bytes) does not fit its placeholder (${room / 2} bytes).`);
  pdf.write(cms.toString('hex').padEnd(room, '0'), open + 1, 'latin1');
  return pdf;
}

function asciiField(field: string, value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new PdfSignatureFieldError(field);
  // pdf-lib writes PDFString contents verbatim between ( and ): escape what would end them.
  return value.replace(/[\\()]/g, (c) => `\\${c}`);
}
