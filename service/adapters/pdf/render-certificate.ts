/**
 * Renders a certificate (CertificateDocument, plain data) to an A4 PDF with Noto Sans JP embedded
 * as subsets, from a prepared template (certificate-template.ts). The output is deterministic for
 * the same input. Given a signature slot, the PDF carries the signature placeholder the signer
 * fills in place (signing.ts), so a certificate is saved once.
 *
 * Layout: double-ruled border; university name header; large centred title; the holder block
 * (name, date of birth, student ID, faculty, department, dates); the body; the issue date, the
 * university, the officer's title and name with the uploaded seal over its end; and on every page
 * a footer with the certificate number, verification code, page number ("1 / 3") and a vector QR
 * code with its caption.
 * Transcripts list the courses in a table whose header repeats on each page, totals on the last.
 */
import { createHash } from 'node:crypto';
import type { CertificateDocument } from '../../domain/certificates/document.js';
import { CertificateWriter, type SignatureSlot } from './certificate-template.js';
import { creationDateOf, wrapText } from './layout-text.js';
import {
  closingBlock,
  drawFrame,
  drawSubmittedTo,
  drawTitle,
  FOOTER_TOP,
  H,
  holderFields,
  MARGIN,
  measurer,
  MUTED,
  text,
  W,
  type Ctx,
} from './page-drawing.js';
import { holderValueX, renderTranscript, TRANSCRIPT_GRID_TOP } from './render-transcript.js';

/** Renders the certificate; resolves to the PDF bytes (with an empty signature placeholder when `slot` is given). */
export async function renderCertificatePdf(doc: CertificateDocument, slot?: SignatureSlot): Promise<Buffer> {
  const writer = await CertificateWriter.open(doc, documentSeed(doc));
  drawDocument(writer.context());
  return writer.save(
    {
      title: `${doc.title} — ${doc.certificateNumber}`,
      author: doc.issuer.name,
      subject: doc.title,
      created: creationDateOf(doc.issueDate),
      language: doc.language === 'ja' ? 'ja-JP' : 'en-US',
    },
    slot,
  );
}

/** Draws the document's pages (any drawing context: the bench draws the same pages with pdf-lib too). */
export function drawDocument(ctx: Ctx): void {
  if (ctx.doc.kind === 'transcript') renderTranscript(ctx);
  else renderCertificate(ctx);
}

/**
 * Seeds the subset tag ('ABCDEF+NotoSansJP-Regular', ISO 32000 §9.6.4) of the document's own
 * fonts, so equal documents give equal bytes.
 */
function documentSeed(doc: CertificateDocument): string {
  // The seal's bytes are left out: serialising a typed array key by key would cost more than the page.
  return createHash('sha256')
    .update(JSON.stringify({ ...doc, issuer: { ...doc.issuer, seal: null } }))
    .digest('hex');
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
  const { doc, fonts } = ctx;
  const page = ctx.addPage();
  drawFrame(ctx, page, 1, 1);
  drawTitle(ctx, page, doc.title, H - 170, 28);
  // Between the title's descenders and the name's ascenders.
  drawSubmittedTo(ctx, page, H - 182, H - 226);

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
