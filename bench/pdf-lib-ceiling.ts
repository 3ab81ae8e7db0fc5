/**
 * The bench's ceiling for certificates: the same pages drawn with the libraries Shomei used before
 * its own writer (pdf-lib with fontkit 2 subsets), tuned as far as they go: fonts parsed once, the
 * seal compressed once, the QR code as one path, the signature placeholder added before the one
 * save. Bench only (pdf-lib re-encodes the subsets and every content stream per document).
 */
import { PDFDocument, degrees, drawImage, rgb, type PDFFont } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import * as fontkit from 'fontkit';
import type { CertificateDocument } from '../service/domain/certificates/document.js';
import type { SignatureSlot } from '../service/adapters/pdf/certificate-template.js';
import { certificateFonts } from '../service/adapters/pdf/fonts.js';
import { LABELS } from '../service/adapters/pdf/layout-labels.js';
import { creationDateOf } from '../service/adapters/pdf/layout-text.js';
import { A4, type Face, type Surface } from '../service/adapters/pdf/page-drawing.js';
import { qrOperators } from '../service/adapters/pdf/qr.js';
import { drawDocument } from '../service/adapters/pdf/render-certificate.js';
import { prepareSeal } from '../service/adapters/pdf/seal-image.js';

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
const parsed = new WeakMap<Uint8Array, fontkit.Font>();

/** fontkit 2 behind pdf-lib's contract: pdf-lib wants `subset.encodeStream()`, fontkit 2 has `encode()`. */
const fontkitForPdfLib: Fontkit = {
  create(bytes: Uint8Array) {
    let font = parsed.get(bytes);
    if (!font) parsed.set(bytes, (font = fontkit.create(Buffer.from(bytes)) as fontkit.Font));
    const f = font;
    return new Proxy(f, {
      get(target, prop) {
        if (prop === 'createSubset') {
          return () => {
            const subset = target.createSubset() as ReturnType<fontkit.Font['createSubset']> & { encode(): Uint8Array };
            return new Proxy(subset, {
              get(t, p) {
                if (p === 'encodeStream') {
                  return () => {
                    const handlers: Record<string, ((a?: unknown) => void)[]> = { data: [], end: [], error: [] };
                    queueMicrotask(() => {
                      const bytes = t.encode();
                      handlers.data!.forEach((h) => h(bytes));
                      handlers.end!.forEach((h) => h());
                    });
                    const stream = { on: (e: string, h: (a?: unknown) => void) => (handlers[e]!.push(h), stream) };
                    return stream;
                  };
                }
                const v = Reflect.get(t, p, t) as unknown;
                return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
              },
            });
          };
        }
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as unknown as ReturnType<Fontkit['create']>;
  },
};

const face = (weight: Face['weight'], font: PDFFont): Face => ({ weight, widthOfTextAtSize: (s, size) => font.widthOfTextAtSize(s, size) });

/** Renders with pdf-lib (placeholder included) and returns the saved bytes, ready for `PdfSigner.fill`. */
export async function renderWithPdfLib(doc: CertificateDocument, slot: SignatureSlot): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkitForPdfLib);
  const bytes = certificateFonts();
  const fonts = { regular: await pdf.embedFont(bytes.regular, { subset: true }), bold: await pdf.embedFont(bytes.bold, { subset: true }) };
  const prepared = doc.issuer.seal ? await prepareSeal(doc.issuer.seal.png) : null;
  let sealRef = null;
  if (prepared) {
    const image = { Type: 'XObject', Subtype: 'Image', Width: prepared.width, Height: prepared.height, BitsPerComponent: 8, Filter: 'FlateDecode' };
    const mask = prepared.alpha ? pdf.context.register(pdf.context.stream(prepared.alpha, { ...image, ColorSpace: 'DeviceGray' })) : undefined;
    sealRef = pdf.context.register(pdf.context.stream(prepared.rgb, { ...image, ColorSpace: 'DeviceRGB', ...(mask ? { SMask: mask } : {}) }));
  }
  const col = (c: readonly [number, number, number]) => rgb(c[0], c[1], c[2]);
  drawDocument({
    doc,
    fonts: { regular: face('regular', fonts.regular), bold: face('bold', fonts.bold) },
    labels: LABELS[doc.language],
    seal: prepared && { width: prepared.width, height: prepared.height },
    addPage(): Surface {
      const page = pdf.addPage([A4[0], A4[1]]);
      return {
        text: (s, x, y, font, size, color) => page.drawText(s, { x, y, font: fonts[font.weight], size, color: col(color) }),
        rectangle: (box, style) =>
          page.drawRectangle({ ...box, color: style.fill && col(style.fill), borderColor: style.border && col(style.border), borderWidth: style.borderWidth }),
        line: (start, end, thickness, color) => page.drawLine({ start, end, thickness, color: col(color) }),
        qrCode: (payload, x, y, side) => page.node.addContentStream(pdf.context.register(pdf.context.flateStream(qrOperators(payload, x, y, side)))),
        seal: (box) => {
          if (!sealRef) return;
          const name = page.node.newXObject('Image', sealRef);
          page.pushOperators(...drawImage(name, { ...box, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }));
        },
      };
    },
  });
  const created = creationDateOf(doc.issueDate);
  pdf.setTitle(`${doc.title} — ${doc.certificateNumber}`, { showInWindowTitleBar: true });
  pdf.setAuthor(doc.issuer.name);
  pdf.setCreationDate(created);
  pdfLibPlaceholder(pdf, slot);
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

function pdfLibPlaceholder(pdfDoc: PDFDocument, slot: SignatureSlot): void {
  pdflibAddPlaceholder({
    pdfDoc,
    reason: slot.reason,
    location: slot.location,
    contactInfo: slot.contactInfo,
    name: slot.name,
    signingTime: slot.signingTime,
    signatureLength: slot.contentsBytes * 2,
    byteRangePlaceholder: '**********',
    subFilter: 'ETSI.CAdES.detached',
  });
}
