/**
 * What every certificate page shares (render-certificate.ts, render-transcript.ts): A4 geometry and
 * colours, the fonts and labels of one document, text helpers with a cached width measure, the
 * title, the frame (border, header, footer with number, code, page number and QR), the closing
 * block (issue date, president, seal) and the holder's fields.
 */
import { rgb, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import type { CertificateDocument } from '../../domain/certificates/document.js';
import type { CertificateLabels } from './layout-labels.js';
import { formatCertificateDate, wrapText, type Measure } from './layout-text.js';
import { drawQrCode } from './qr.js';

/** A4 portrait in points. */
export const A4: readonly [number, number] = [595.28, 841.89];
export const [W, H] = A4;
export const MARGIN = 56;
export const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.35, 0.35, 0.4);
export const RULE = rgb(0.2, 0.22, 0.3);
export const SEAL_RED = rgb(0.78, 0.12, 0.12);
export const FOOTER_TOP = 140;
export const QR_SIDE = 96;

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface Ctx {
  doc: CertificateDocument;
  pdf: PDFDocument;
  fonts: Fonts;
  labels: CertificateLabels;
}

const advanceCache = new Map<string, Map<string, number>>();

/**
 * A fast width function for wrapping: the sum of per-character advances (kerning ignored), cached
 * per font face across documents. Calling pdf-lib's widthOfTextAtSize (a full fontkit layout) for
 * every candidate line made wrapping quadratic in layout calls.
 */
export function measurer(font: PDFFont, size: number): Measure {
  const face = font.name.slice(font.name.indexOf('+') + 1);
  let cache = advanceCache.get(face);
  if (!cache) advanceCache.set(face, (cache = new Map()));
  const widths = cache;
  return (s: string) => {
    let total = 0;
    for (const ch of s) {
      let w = widths.get(ch);
      if (w === undefined) widths.set(ch, (w = font.widthOfTextAtSize(ch, 1000)));
      total += w;
    }
    return (total * size) / 1000;
  };
}

export function text(page: PDFPage, s: string, x: number, y: number, font: PDFFont, size: number, color: RGB = INK): void {
  if (s) page.drawText(s, { x, y, font, size, color });
}

export function centred(page: PDFPage, s: string, y: number, font: PDFFont, size: number, color: RGB = INK): void {
  text(page, s, (W - font.widthOfTextAtSize(s, size)) / 2, y, font, size, color);
}

export function rightAligned(page: PDFPage, s: string, xRight: number, y: number, font: PDFFont, size: number, color: RGB = INK): void {
  text(page, s, xRight - font.widthOfTextAtSize(s, size), y, font, size, color);
}

/** Title, letter-spaced for short Japanese titles (在　学　証　明　書) as on printed certificates. */
export function drawTitle(ctx: Ctx, page: PDFPage, title: string, y: number, size: number): void {
  const { bold } = ctx.fonts;
  const chars = Array.from(title);
  if (ctx.doc.language === 'ja' && chars.length <= 8) {
    const gap = size * 0.6;
    const widths = chars.map((c) => bold.widthOfTextAtSize(c, size));
    let x = (W - (widths.reduce((a, b) => a + b, 0) + gap * (chars.length - 1))) / 2;
    chars.forEach((c, i) => {
      text(page, c, x, y, bold, size);
      x += widths[i]! + gap;
    });
    return;
  }
  let s = size;
  while (bold.widthOfTextAtSize(title, s) > W - 2 * MARGIN && s > 12) s -= 1;
  centred(page, title, y, bold, s);
}

/** Border, university header and footer (certificate number, code, page number, QR). */
export function drawFrame(ctx: Ctx, page: PDFPage, pageNo: number, pageCount: number): void {
  const { doc, fonts, labels } = ctx;
  page.drawRectangle({ x: 24, y: 24, width: W - 48, height: H - 48, borderColor: RULE, borderWidth: 1.6 });
  page.drawRectangle({ x: 29, y: 29, width: W - 58, height: H - 58, borderColor: RULE, borderWidth: 0.5 });

  centred(page, doc.issuer.name, H - 82, fonts.bold, 17);
  page.drawLine({ start: { x: MARGIN, y: H - 96 }, end: { x: W - MARGIN, y: H - 96 }, thickness: 1.2, color: RULE });
  page.drawLine({ start: { x: MARGIN, y: H - 99 }, end: { x: W - MARGIN, y: H - 99 }, thickness: 0.4, color: RULE });
  rightAligned(page, `${labels.certificateNumber}  ${doc.certificateNumber}`, W - MARGIN, H - 60, fonts.regular, 8, MUTED);

  // Footer
  page.drawLine({ start: { x: MARGIN, y: FOOTER_TOP - 8 }, end: { x: W - MARGIN, y: FOOTER_TOP - 8 }, thickness: 0.4, color: MUTED });
  const qrX = W - MARGIN - QR_SIDE + 6;
  const qrY = 34;
  drawQrCode(page, doc.qrPayload, qrX, qrY, QR_SIDE);
  const footerWidth = qrX - MARGIN - 12;
  text(page, `${labels.certificateNumber}: ${doc.certificateNumber}`, MARGIN, 104, fonts.regular, 9);
  text(page, `${labels.verificationCode}: ${doc.verificationCode}`, MARGIN, 90, fonts.bold, 9);
  const caption = wrapText(labels.verifyCaption(doc.verifyUrl), footerWidth, measurer(fonts.regular, 7.5));
  caption.forEach((line, i) => text(page, line, MARGIN, 74 - i * 10, fonts.regular, 7.5, MUTED));
  if (pageCount > 1 || doc.kind === 'transcript') {
    centred(page, `${pageNo} / ${pageCount}`, 38, fonts.regular, 9, MUTED);
  }
}

/**
 * Issue date, university, president's title and name with a seal box; `top` is the block's top
 * edge. Returns the height used (CLOSING_HEIGHT).
 */
export const CLOSING_HEIGHT = 118;
export function drawClosing(ctx: Ctx, page: PDFPage, top: number): void {
  const { doc, fonts, labels } = ctx;
  text(page, formatCertificateDate(doc.issueDate, doc.language), MARGIN + 40, top - 16, fonts.regular, 12);
  const sealSide = 58;
  const sealX = W - MARGIN - sealSide - 4;
  const nameRight = sealX - 16;
  rightAligned(page, doc.issuer.name, nameRight, top - 52, fonts.regular, 12);
  const president = `${doc.issuer.officerTitle}　${doc.issuer.officerName}`;
  rightAligned(page, president, nameRight, top - 76, fonts.bold, 14);
  // Seal-like box: red double square with the word for "seal".
  const sealY = top - 96;
  page.drawRectangle({ x: sealX, y: sealY, width: sealSide, height: sealSide, borderColor: SEAL_RED, borderWidth: 2, opacity: 0 });
  page.drawRectangle({ x: sealX + 4, y: sealY + 4, width: sealSide - 8, height: sealSide - 8, borderColor: SEAL_RED, borderWidth: 0.7, opacity: 0 });
  const sealSize = doc.language === 'ja' ? 16 : 11;
  const sw = fonts.bold.widthOfTextAtSize(labels.seal, sealSize);
  text(page, labels.seal, sealX + (sealSide - sw) / 2, sealY + sealSide / 2 - sealSize * 0.35, fonts.bold, sealSize, SEAL_RED);
}

/** The label/value lines of the holder block for the document's kind. */
export function holderFields(ctx: Ctx): [string, string][] {
  const { doc, labels } = ctx;
  const date = (iso: string) => formatCertificateDate(iso, doc.language);
  const fields: [string, string][] = [];
  fields.push([labels.name, doc.language === 'ja' ? doc.holder.nameKanji : doc.holder.nameRoman]);
  fields.push([labels.birthDate, date(doc.holder.birthDate)]);
  fields.push([labels.studentId, doc.studentId]);
  fields.push([labels.faculty, doc.faculty]);
  fields.push([labels.department, doc.department]);
  if (doc.degree) fields.push([labels.degree, doc.degree]);
  if (doc.dates.enrollmentDate) fields.push([labels.enrollmentDate, date(doc.dates.enrollmentDate)]);
  if (doc.dates.graduationDate && (doc.kind === 'graduation' || doc.kind === 'expectedGraduation' || doc.kind === 'transcript')) {
    fields.push([doc.kind === 'graduation' ? labels.graduationDate : labels.expectedGraduationDate, date(doc.dates.graduationDate)]);
  }
  if (doc.dates.validUntil) fields.push([labels.validUntil, date(doc.dates.validUntil)]);
  return fields;
}
