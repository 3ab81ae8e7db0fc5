/**
 * What every certificate page shares (render-certificate.ts, render-transcript.ts): A4 geometry and
 * colours, the fonts and labels of one document, text helpers with a cached width measure, the
 * title, the frame (border, header, footer with number, code, page number and QR), the closing
 * block (issue date, university, officer with the seal over the name) and the holder's fields.
 */
import type { CertificateDocument } from '../../domain/certificates/document.js';
import type { FontWeight } from './fonts.js';
import type { CertificateLabels } from './layout-labels.js';
import { formatCertificateDate, wrapText, type Measure } from './layout-text.js';

/** Red, green, blue, each 0–1. */
export type RGB = readonly [number, number, number];

/** A4 portrait in points. */
export const A4: readonly [number, number] = [595.28, 841.89];
export const [W, H] = A4;
export const MARGIN = 56;
export const INK: RGB = [0.1, 0.1, 0.12];
export const MUTED: RGB = [0.35, 0.35, 0.4];
export const RULE: RGB = [0.2, 0.22, 0.3];
export const FOOTER_TOP = 140;
export const QR_SIDE = 96;

/** A typeface as the layout sees it: which weight, and how wide a text is. */
export interface Face {
  weight: FontWeight;
  widthOfTextAtSize(text: string, size: number): number;
}

export interface Fonts {
  regular: Face;
  bold: Face;
}

export interface Point {
  x: number;
  y: number;
}

/** One page to draw on (coordinates in points from the bottom-left corner). */
export interface Surface {
  text(s: string, x: number, y: number, font: Face, size: number, color: RGB): void;
  rectangle(box: SealBox, style: { fill?: RGB; border?: RGB; borderWidth?: number }): void;
  line(start: Point, end: Point, thickness: number, color: RGB): void;
  /** The QR code of `payload`, `side` points wide with its quiet zone, lower-left corner at (x, y). */
  qrCode(payload: string, x: number, y: number, side: number): void;
  /** The issuer's seal, fitted into `box`. */
  seal(box: SealBox): void;
}

export interface Ctx {
  doc: CertificateDocument;
  fonts: Fonts;
  labels: CertificateLabels;
  /** The issuer's seal's pixel size; null: none uploaded (nothing is drawn). */
  seal: { width: number; height: number } | null;
  /** Adds an A4 page. */
  addPage(): Surface;
}

const advanceCache = new Map<FontWeight, Map<string, number>>();

/**
 * A fast width function for wrapping: the sum of per-character advances (kerning ignored), cached
 * per font face across documents. Calling pdf-lib's widthOfTextAtSize (a full fontkit layout) for
 * every candidate line made wrapping quadratic in layout calls.
 */
export function measurer(font: Face, size: number): Measure {
  let cache = advanceCache.get(font.weight);
  if (!cache) advanceCache.set(font.weight, (cache = new Map()));
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

export function text(page: Surface, s: string, x: number, y: number, font: Face, size: number, color: RGB = INK): void {
  if (s) page.text(s, x, y, font, size, color);
}

export function centred(page: Surface, s: string, y: number, font: Face, size: number, color: RGB = INK): void {
  text(page, s, (W - font.widthOfTextAtSize(s, size)) / 2, y, font, size, color);
}

export function rightAligned(page: Surface, s: string, xRight: number, y: number, font: Face, size: number, color: RGB = INK): void {
  text(page, s, xRight - font.widthOfTextAtSize(s, size), y, font, size, color);
}

/** Title, letter-spaced for short Japanese titles (在　学　証　明　書) as on printed certificates. */
export function drawTitle(ctx: Ctx, page: Surface, title: string, y: number, size: number): void {
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

/**
 * The 提出先 line of a delivered document, centred in the band between `top` and `bottom` (points
 * from the page's bottom): one line at 11 pt when it fits, else wrapped and shrunk (two lines down
 * to 8 pt, three at 7 pt); a name longer still is cut with an ellipsis rather than leave the band.
 */
export function drawSubmittedTo(ctx: Ctx, page: Surface, top: number, bottom: number): void {
  const organisation = ctx.doc.digitalDelivery?.submittedTo;
  if (!organisation) return;
  const { regular } = ctx.fonts;
  const line = ctx.labels.delivery.line(organisation.replace(/\s+/g, ' ').trim());
  const width = W - 2 * MARGIN - 40;
  const band = top - bottom;
  let size = 11;
  let lines = wrapText(line, width, measurer(regular, size));
  while (size > 7 && (lines.length > 2 || lines.length * size * 1.3 > band)) {
    size -= 0.5;
    lines = wrapText(line, width, measurer(regular, size));
  }
  const most = Math.max(1, Math.floor(band / (size * 1.3)));
  if (lines.length > most) {
    const measure = measurer(regular, size);
    let last = lines[most - 1]!;
    while (last && measure(`${last}…`) > width) last = Array.from(last).slice(0, -1).join('');
    lines = [...lines.slice(0, most - 1), `${last}…`];
  }
  const lead = size * 1.3;
  const first = top - (band - lines.length * lead) / 2 - size;
  lines.forEach((l, i) => centred(page, l, first - i * lead, regular, size));
}

/** Border, university header and footer (certificate number, code, page number, QR). */
export function drawFrame(ctx: Ctx, page: Surface, pageNo: number, pageCount: number): void {
  const { doc, fonts, labels } = ctx;
  page.rectangle({ x: 24, y: 24, width: W - 48, height: H - 48 }, { border: RULE, borderWidth: 1.6 });
  page.rectangle({ x: 29, y: 29, width: W - 58, height: H - 58 }, { border: RULE, borderWidth: 0.5 });

  centred(page, doc.issuer.name, H - 82, fonts.bold, 17);
  page.line({ x: MARGIN, y: H - 96 }, { x: W - MARGIN, y: H - 96 }, 1.2, RULE);
  page.line({ x: MARGIN, y: H - 99 }, { x: W - MARGIN, y: H - 99 }, 0.4, RULE);
  rightAligned(page, `${labels.certificateNumber}  ${doc.certificateNumber}`, W - MARGIN, H - 60, fonts.regular, 8, MUTED);

  // Footer
  page.line({ x: MARGIN, y: FOOTER_TOP - 8 }, { x: W - MARGIN, y: FOOTER_TOP - 8 }, 0.4, MUTED);
  const qrX = W - MARGIN - QR_SIDE + 6;
  const qrY = 34;
  page.qrCode(doc.qrPayload, qrX, qrY, QR_SIDE);
  const footerWidth = qrX - MARGIN - 12;
  text(page, `${labels.certificateNumber}: ${doc.certificateNumber}`, MARGIN, 104, fonts.regular, 9);
  text(page, `${labels.verificationCode}: ${doc.verificationCode}`, MARGIN, 90, fonts.bold, 9);
  const caption = wrapText(labels.verifyCaption(doc.verifyUrl), footerWidth, measurer(fonts.regular, 7.5));
  caption.forEach((line, i) => text(page, line, MARGIN, 74 - i * 10, fonts.regular, 7.5, MUTED));
  if (pageCount > 1 || doc.kind === 'transcript') {
    centred(page, `${pageNo} / ${pageCount}`, 38, fonts.regular, 9, MUTED);
  }
}

/** The seal's box: about 21 mm square, as official seals (角印) on certificates are. */
export const SEAL_SIDE = 60;
const ISSUER_SIZE = 12;
const OFFICER_SIZE = 14;
/** Right end of the officer's name: the seal's left part covers its last character, as when pressed by hand. */
const OFFICER_RIGHT = W - MARGIN - 4 - SEAL_SIDE + OFFICER_SIZE;
/** Officer line below the university line: the seal, centred on the name, stays clear of the line above. */
const OFFICER_GAP = 40;
/** Space between the issue date and the university name when they share a line. */
const DATE_GAP = 24;

export interface Block {
  height: number;
  /** Draws the block with its top edge at `top` (points from the page's bottom). */
  draw: (page: Surface, top: number) => void;
}

/** Where the seal is drawn: its box in points from the page's bottom-left corner. */
export interface SealBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The seal fitted into the SEAL_SIDE square (aspect kept), over the officer's last character. */
export function sealBox(officerBaseline: number, seal: { width: number; height: number }): SealBox {
  const scale = SEAL_SIDE / Math.max(seal.width, seal.height);
  const width = seal.width * scale;
  const height = seal.height * scale;
  const cx = OFFICER_RIGHT - OFFICER_SIZE + SEAL_SIDE / 2;
  const cy = officerBaseline + OFFICER_SIZE * 0.36;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/**
 * The closing block: issue date, university, the officer's title and name, and the seal pressed
 * over the end of the name. The date has a line of its own above the university, as on printed
 * certificates; `compact` (transcripts, where every line counts) puts it on the university's line
 * when both fit side by side. The height is what the drawing uses, so page breaking can trust it.
 */
export function closingBlock(ctx: Ctx, { compact }: { compact: boolean }): Block {
  const { doc, fonts } = ctx;
  const date = formatCertificateDate(doc.issueDate, doc.language);
  const officer = `${doc.issuer.officerTitle}${doc.language === 'ja' ? '　' : '  '}${doc.issuer.officerName}`;
  const officerWidth = fonts.bold.widthOfTextAtSize(officer, OFFICER_SIZE);
  const issuerWidth = fonts.regular.widthOfTextAtSize(doc.issuer.name, ISSUER_SIZE);
  // University and officer lines start at one x, as far right as both allow.
  const x = Math.max(MARGIN, Math.min(OFFICER_RIGHT - officerWidth, W - MARGIN - issuerWidth));
  const dateX = MARGIN + 40;
  const dateOwnLine = !compact || dateX + fonts.regular.widthOfTextAtSize(date, ISSUER_SIZE) + DATE_GAP > x;
  const issuerBaseline = dateOwnLine ? 44 : 16;
  const officerBaseline = issuerBaseline + OFFICER_GAP;
  const sealDepth = OFFICER_SIZE * 0.36 - SEAL_SIDE / 2;
  return {
    height: officerBaseline - sealDepth + 2,
    draw(page, top) {
      if (ctx.seal) page.seal(sealBox(top - officerBaseline, ctx.seal));
      text(page, date, dateX, top - 16, fonts.regular, ISSUER_SIZE);
      text(page, doc.issuer.name, x, top - issuerBaseline, fonts.regular, ISSUER_SIZE);
      text(page, officer, x, top - officerBaseline, fonts.bold, OFFICER_SIZE);
    },
  };
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
  const graduation = doc.dates.graduation;
  if (graduation) fields.push([graduation.expected ? labels.expectedGraduationDate : labels.graduationDate, date(graduation.date)]);
  if (doc.dates.validUntil) fields.push([labels.validUntil, date(doc.dates.validUntil)]);
  return fields;
}
