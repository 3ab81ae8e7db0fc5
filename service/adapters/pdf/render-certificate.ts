/**
 * Renders a certificate (CertificateDocument, plain data) to an unsigned A4 PDF with pdf-lib and
 * Noto Sans JP embedded as a subset through upstream fontkit 2 (fontkit-adapter.ts). The output is
 * deterministic for the same input apart from the IDs pdf-lib adds. Signing is a separate step
 * (signing.ts).
 *
 * Layout: double-ruled border; university name header; large centred title; the holder block
 * (name, date of birth, student ID, faculty, department, dates); the body; the issue date, the
 * university, the officer's title and name with the uploaded seal over its end; and on every page
 * a footer with the certificate number, verification code, page number ("1 / 3") and a vector QR
 * code with its caption.
 * Transcripts list the courses in a table whose header repeats on each page, totals on the last.
 */
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import type { CertificateDocument } from '../../domain/certificates/document.js';
import { certificateFonts } from './fonts.js';
import { fontkitAdapter } from './fontkit-adapter.js';
import { LABELS } from './layout-labels.js';
import { creationDateOf, wrapText } from './layout-text.js';
import { closingBlock, drawFrame, drawTitle, FOOTER_TOP, H, holderFields, MARGIN, measurer, MUTED, text, W, type Ctx, type Fonts } from './page-drawing.js';
import { embedSeal } from './seal-image.js';
import { holderValueX, renderTranscript, TRANSCRIPT_GRID_TOP } from './render-transcript.js';

/** Renders the certificate; resolves to the PDF bytes (not yet signed). */
export async function renderCertificatePdf(doc: CertificateDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkitAdapter);
  const bytes = certificateFonts();
  const fonts: Fonts = {
    regular: await pdf.embedFont(bytes.regular, { subset: true, customName: subsetFontName(doc, 'NotoSansJP-Regular') }),
    bold: await pdf.embedFont(bytes.bold, { subset: true, customName: subsetFontName(doc, 'NotoSansJP-Bold') }),
  };
  const seal = doc.issuer.seal ? await embedSeal(pdf, doc.issuer.seal.png) : null;
  const ctx: Ctx = { doc, pdf, fonts, labels: LABELS[doc.language], seal };

  const created = creationDateOf(doc.issueDate);
  pdf.setTitle(`${doc.title} — ${doc.certificateNumber}`, { showInWindowTitleBar: true });
  pdf.setAuthor(doc.issuer.name);
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
  // The seal's bytes are left out: serialising a typed array key by key would cost more than the page.
  const digest = createHash('sha256').update(JSON.stringify({ ...doc, issuer: { ...doc.issuer, seal: null } })).update(postscriptName).digest();
  const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  return `${tag}+${postscriptName}`;
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
    return { x: holderValueX(doc.language), baselineFromTop: TRANSCRIPT_GRID_TOP, size: 11 };
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

  const closing = closingBlock(ctx, { compact: false });
  const closingTop = Math.min(y - 24, FOOTER_TOP + closing.height + 60);
  closing.draw(page, Math.max(closingTop, FOOTER_TOP + closing.height));
}
