/**
 * Renders a certificate (CertificateDocument, plain data) to an unsigned A4 PDF with pdf-lib and
 * Noto Sans JP embedded as a subset through upstream fontkit 2 (fontkit-adapter.ts). The output is
 * deterministic for the same input apart from the IDs pdf-lib adds. Signing is a separate step
 * (signing.ts).
 *
 * Layout: double-ruled border; university name header; large centred title; the holder block
 * (name, date of birth, student ID, faculty, department, dates); the body; the issue date, the
 * president's title and name with a seal box; and on every page a footer with the certificate
 * number, verification code, page number ("1 / 3") and a vector QR code with its caption.
 * Transcripts list the courses in a table whose header repeats on each page, totals on the last.
 */
import { createHash } from 'node:crypto';
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import type { CertificateDocument, TranscriptRow } from '../../domain/certificates/document.js';
import { certificateFonts } from './fonts.js';
import { fontkitAdapter } from './fontkit-adapter.js';
import { LABELS, type CertificateLabels } from './layout-labels.js';
import { paginateRows } from './layout-pages.js';
import { creationDateOf, formatCertificateDate, wrapText, type Measure } from './layout-text.js';
import { drawQrCode } from './qr.js';

/** A4 portrait in points. */
export const A4: readonly [number, number] = [595.28, 841.89];
const [W, H] = A4;
const MARGIN = 56;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.35, 0.35, 0.4);
const RULE = rgb(0.2, 0.22, 0.3);
const SEAL_RED = rgb(0.78, 0.12, 0.12);
const FOOTER_TOP = 140;
const QR_SIDE = 96;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

interface Ctx {
  doc: CertificateDocument;
  pdf: PDFDocument;
  fonts: Fonts;
  labels: CertificateLabels;
}

/** Renders the certificate; resolves to the PDF bytes (not yet signed). */
export async function renderCertificatePdf(doc: CertificateDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkitAdapter);
  const bytes = certificateFonts();
  const fonts: Fonts = {
    regular: await pdf.embedFont(bytes.regular, { subset: true, customName: subsetFontName(doc, 'NotoSansJP-Regular') }),
    bold: await pdf.embedFont(bytes.bold, { subset: true, customName: subsetFontName(doc, 'NotoSansJP-Bold') }),
  };
  const ctx: Ctx = { doc, pdf, fonts, labels: LABELS[doc.language] };

  const created = creationDateOf(doc.issueDate);
  pdf.setTitle(`${doc.title} — ${doc.certificateNumber}`, { showInWindowTitleBar: true });
  pdf.setAuthor(doc.university.name);
  pdf.setSubject(doc.title);
  pdf.setCreator('Shomei');
  pdf.setProducer('Shomei');
  pdf.setLanguage(doc.language === 'ja' ? 'ja-JP' : 'en-US');
  pdf.setCreationDate(created);
  pdf.setModificationDate(created);

  if (doc.kind === 'transcript') renderTranscript(ctx);
  else renderCertificate(ctx);
  return pdf.save({ useObjectStreams: false });
}

/**
 * The embedded font's name with a subset tag ('ABCDEF+NotoSansJP-Regular', ISO 32000 §9.6.4) so
 * PDF tools see a subset; derived from the input so equal documents give equal bytes (pdf-lib's
 * default appends a random suffix instead).
 */
export function subsetFontName(doc: CertificateDocument, postscriptName: string): string {
  const digest = createHash('sha256').update(JSON.stringify(doc)).update(postscriptName).digest();
  const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  return `${tag}+${postscriptName}`;
}

// ---------------------------------------------------------------------------------------------
// Shared drawing

const advanceCache = new Map<string, Map<string, number>>();

/**
 * A fast width function for wrapping: the sum of per-character advances (kerning ignored), cached
 * per font face across documents. Calling pdf-lib's widthOfTextAtSize (a full fontkit layout) for
 * every candidate line made wrapping quadratic in layout calls.
 */
function measurer(font: PDFFont, size: number): Measure {
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

function text(page: PDFPage, s: string, x: number, y: number, font: PDFFont, size: number, color: RGB = INK): void {
  if (s) page.drawText(s, { x, y, font, size, color });
}

function centred(page: PDFPage, s: string, y: number, font: PDFFont, size: number, color: RGB = INK): void {
  text(page, s, (W - font.widthOfTextAtSize(s, size)) / 2, y, font, size, color);
}

function rightAligned(page: PDFPage, s: string, xRight: number, y: number, font: PDFFont, size: number, color: RGB = INK): void {
  text(page, s, xRight - font.widthOfTextAtSize(s, size), y, font, size, color);
}

/** Title, letter-spaced for short Japanese titles (在　学　証　明　書) as on printed certificates. */
function drawTitle(ctx: Ctx, page: PDFPage, title: string, y: number, size: number): void {
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
function drawFrame(ctx: Ctx, page: PDFPage, pageNo: number, pageCount: number): void {
  const { doc, fonts, labels } = ctx;
  page.drawRectangle({ x: 24, y: 24, width: W - 48, height: H - 48, borderColor: RULE, borderWidth: 1.6 });
  page.drawRectangle({ x: 29, y: 29, width: W - 58, height: H - 58, borderColor: RULE, borderWidth: 0.5 });

  centred(page, doc.university.name, H - 82, fonts.bold, 17);
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
const CLOSING_HEIGHT = 118;
function drawClosing(ctx: Ctx, page: PDFPage, top: number): void {
  const { doc, fonts, labels } = ctx;
  text(page, formatCertificateDate(doc.issueDate, doc.language), MARGIN + 40, top - 16, fonts.regular, 12);
  const sealSide = 58;
  const sealX = W - MARGIN - sealSide - 4;
  const nameRight = sealX - 16;
  rightAligned(page, doc.university.name, nameRight, top - 52, fonts.regular, 12);
  const president = `${doc.university.presidentTitle}　${doc.university.presidentName}`;
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
function holderFields(ctx: Ctx): [string, string][] {
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

// ---------------------------------------------------------------------------------------------
// One-page certificates (enrollment, expected graduation, graduation, student discount)

const CERT_FIELDS_TOP = 240;
const certificateValueX = (doc: CertificateDocument) => (doc.language === 'ja' ? 240 : 270);

/**
 * Where the holder's name (kanji in ja, roman in en) is drawn on page 1: left edge and baseline,
 * in points from the page's top-left corner, and the font size. For render checks in tests.
 */
export function holderNamePosition(doc: CertificateDocument): { x: number; baselineFromTop: number; size: number } {
  if (doc.kind === 'transcript') {
    return { x: TABLE_X + (doc.language === 'ja' ? 78 : 100), baselineFromTop: TRANSCRIPT_GRID_TOP, size: 11 };
  }
  return { x: certificateValueX(doc), baselineFromTop: CERT_FIELDS_TOP, size: 15 };
}

function renderCertificate(ctx: Ctx): void {
  const { doc, pdf, fonts } = ctx;
  const page = pdf.addPage([W, H]);
  drawFrame(ctx, page, 1, 1);
  drawTitle(ctx, page, doc.title, H - 170, 28);

  const labelX = 120;
  const valueX = certificateValueX(doc);
  const valueWidth = W - MARGIN - 40 - valueX;
  let y = H - CERT_FIELDS_TOP;
  for (const [label, value] of holderFields(ctx)) {
    const isName = label === ctx.labels.name;
    const size = isName ? 15 : 12;
    const font = isName ? fonts.bold : fonts.regular;
    text(page, label, labelX, y, fonts.regular, 11, MUTED);
    const lines = wrapText(value, valueWidth, measurer(font, size));
    lines.forEach((line, i) => text(page, line, valueX, y - i * (size + 5), font, size));
    y -= (lines.length - 1) * (size + 5);
    if (isName && doc.language === 'ja' && doc.holder.nameRoman) {
      y -= 16;
      text(page, doc.holder.nameRoman, valueX, y, fonts.regular, 9.5, MUTED);
    }
    y -= 28;
  }

  y -= 24;
  const bodyX = 100;
  const bodyWidth = W - 2 * bodyX;
  const size = 13;
  for (const paragraph of doc.body) {
    const lines = wrapText(paragraph, bodyWidth, measurer(fonts.regular, size));
    lines.forEach((line, i) => text(page, line, bodyX + (doc.language === 'ja' && i === 0 ? size : 0), y - i * 22, fonts.regular, size));
    y -= lines.length * 22 + 8;
  }

  const closingTop = Math.min(y - 24, FOOTER_TOP + CLOSING_HEIGHT + 60);
  drawClosing(ctx, page, Math.max(closingTop, FOOTER_TOP + CLOSING_HEIGHT));
}

// ---------------------------------------------------------------------------------------------
// Transcript

const TABLE_X = MARGIN;
const TRANSCRIPT_GRID_TOP = 182;
const TABLE_W = W - 2 * MARGIN;
const ROW_SIZE = 9.5;
const ROW_LINE = 12.5;
const ROW_PAD = 5;
const HEADER_ROW = 20;

interface Column {
  key: 'code' | 'title' | 'term' | 'credits' | 'grade';
  width: number;
  align: 'left' | 'center';
}
const COLUMNS: Column[] = [
  { key: 'code', width: 72, align: 'left' },
  { key: 'title', width: TABLE_W - 72 - 86 - 50 - 50, align: 'left' },
  { key: 'term', width: 86, align: 'left' },
  { key: 'credits', width: 50, align: 'center' },
  { key: 'grade', width: 50, align: 'center' },
];
const cellText = (row: TranscriptRow, key: Column['key']): string =>
  key === 'code' ? row.courseCode : key === 'title' ? row.title : key === 'term' ? row.term : key === 'credits' ? String(row.credits) : row.grade;

/** The transcript's holder block: fields in two columns, labels and values wrapped in their cells. */
function holderGrid(ctx: Ctx): { height: number; draw: (page: PDFPage, top: number) => void } {
  const { doc, fonts } = ctx;
  const fields = holderFields(ctx);
  const colW = TABLE_W / 2;
  const labelW = doc.language === 'ja' ? 78 : 100; // keep in step with holderNamePosition
  const LINE = 12.5;
  const cells = fields.map(([label, value], i) => {
    const font = i === 0 ? fonts.bold : fonts.regular;
    const size = i === 0 ? 11 : 9.5;
    return {
      label: wrapText(label, labelW - 8, measurer(fonts.regular, 8.5)),
      value: wrapText(value, colW - labelW - 10, measurer(font, size)),
      font,
      size,
    };
  });
  const rowHeights: number[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    const lines = Math.max(...cells.slice(i, i + 2).map((c) => Math.max(c.label.length, c.value.length)));
    rowHeights.push(lines * LINE + 5);
  }
  return {
    height: rowHeights.reduce((a, b) => a + b, 0),
    draw(page, top) {
      let y = top;
      rowHeights.forEach((h, r) => {
        for (let c = 0; c < 2; c += 1) {
          const cell = cells[r * 2 + c];
          if (!cell) continue;
          const x = TABLE_X + c * colW;
          cell.label.forEach((l, i) => text(page, l, x, y - i * LINE, fonts.regular, 8.5, MUTED));
          cell.value.forEach((l, i) => text(page, l, x + labelW, y - i * LINE, cell.font, cell.size));
        }
        y -= h;
      });
    },
  };
}

function renderTranscript(ctx: Ctx): void {
  const { doc, pdf, fonts, labels } = ctx;
  const rows = doc.transcript?.rows ?? [];
  const measure = measurer(fonts.regular, ROW_SIZE);
  const cells = rows.map((row) => COLUMNS.map((c) => wrapText(cellText(row, c.key), c.width - 8, measure)));
  const heights = cells.map((c) => Math.max(...c.map((l) => l.length)) * ROW_LINE + ROW_PAD);

  // Closing block: totals, body paragraphs, issue date and president.
  const bodyWidth = TABLE_W - 40;
  const bodyLines = doc.body.map((p) => wrapText(p, bodyWidth, measurer(fonts.regular, 11)));
  const closingHeight = 40 + bodyLines.reduce((s, l) => s + l.length * 18 + 6, 0) + CLOSING_HEIGHT;

  const grid = holderGrid(ctx);
  const firstTableTop = H - TRANSCRIPT_GRID_TOP - grid.height - 14;
  const laterTableTop = H - 165;
  const bottom = FOOTER_TOP + 6;
  const pages = paginateRows(heights, {
    firstPage: firstTableTop - HEADER_ROW - bottom,
    otherPages: laterTableTop - HEADER_ROW - bottom,
    closing: closingHeight,
  });

  pages.forEach((indices, p) => {
    const page = pdf.addPage([W, H]);
    drawFrame(ctx, page, p + 1, pages.length);
    let tableTop: number;
    if (p === 0) {
      drawTitle(ctx, page, doc.title, H - 150, 24);
      grid.draw(page, H - TRANSCRIPT_GRID_TOP);
      tableTop = firstTableTop;
    } else {
      centred(page, doc.title + labels.continued, H - 130, fonts.bold, 14);
      const who = `${labels.name}: ${doc.language === 'ja' ? doc.holder.nameKanji : doc.holder.nameRoman}    ${labels.studentId}: ${doc.studentId}`;
      centred(page, who, H - 150, fonts.regular, 9.5, MUTED);
      tableTop = laterTableTop;
    }

    // Header row (repeated on every page).
    page.drawRectangle({ x: TABLE_X, y: tableTop - HEADER_ROW, width: TABLE_W, height: HEADER_ROW, color: rgb(0.9, 0.91, 0.94), borderColor: RULE, borderWidth: 0.6 });
    let x = TABLE_X;
    for (const col of COLUMNS) {
      const label = labels.columns[col.key];
      const lx = col.align === 'center' ? x + (col.width - fonts.bold.widthOfTextAtSize(label, 9)) / 2 : x + 4;
      text(page, label, lx, tableTop - HEADER_ROW + 6.5, fonts.bold, 9);
      x += col.width;
    }

    let y = tableTop - HEADER_ROW;
    for (const r of indices) {
      const h = heights[r]!;
      x = TABLE_X;
      COLUMNS.forEach((col, c) => {
        cells[r]![c]!.forEach((line, i) => {
          const lx = col.align === 'center' ? x + (col.width - measure(line)) / 2 : x + 4;
          text(page, line, lx, y - ROW_LINE * (i + 1) + 2, fonts.regular, ROW_SIZE);
        });
        x += col.width;
      });
      y -= h;
      page.drawLine({ start: { x: TABLE_X, y }, end: { x: TABLE_X + TABLE_W, y }, thickness: 0.3, color: MUTED });
    }
    // Column rules.
    x = TABLE_X;
    for (const col of [...COLUMNS, null]) {
      page.drawLine({ start: { x, y: tableTop }, end: { x, y }, thickness: 0.4, color: RULE });
      if (col) x += col.width;
    }
    page.drawLine({ start: { x: TABLE_X, y }, end: { x: TABLE_X + TABLE_W, y }, thickness: 0.8, color: RULE });

    if (p === pages.length - 1) {
      const totals = doc.transcript?.totals;
      let cy = y - 22;
      if (totals) {
        const line = totals.gpa === null ? labels.totalCredits(totals.credits) : `${labels.totalCredits(totals.credits)}　　${labels.gpa(totals.gpa)}`;
        rightAligned(page, line, TABLE_X + TABLE_W, cy, fonts.bold, 11);
      }
      cy -= 28;
      for (const lines of bodyLines) {
        lines.forEach((l, i) => text(page, l, TABLE_X + 20, cy - i * 18, fonts.regular, 11));
        cy -= lines.length * 18 + 6;
      }
      drawClosing(ctx, page, cy + 6);
    }
  });
}
