/**
 * Certificates from prepared templates. What is the same for every document of one kind, language
 * and issuer is made once and kept: the subset fonts holding the glyphs of the fixed text (titles,
 * labels, body, university, officer, digits and Latin letters), serialised with the seal's image as
 * ready PDF objects, and the encoded text of every fixed string. A document copies those bytes, adds
 * a small font for the glyphs only its own text uses (a name's rare kanji), its page content and,
 * when it is to be signed, the signature placeholder, and is saved once.
 */
import { createHash } from 'node:crypto';
import type { CertificateDocument } from '../../domain/certificates/document.js';
import { certificateFontSources, type FontWeight } from './fonts.js';
import { LABELS, type CertificateLabels } from './layout-labels.js';
import { type Ctx, type Face, type Point, type RGB, type SealBox, type Surface, A4 } from './page-drawing.js';
import { FontSubset } from './pdf-fonts.js';
import { num, pdfDate, PdfWriter, textString, type PdfFragment } from './pdf-writer.js';
import { qrOperators } from './qr.js';
import { prepareSeal, sealDigest } from './seal-image.js';
import type { TrueTypeSource } from './ttf-subset.js';

/** What the signature dictionary says; its fields are printable ASCII, already escaped (signing.ts). */
export interface SignatureSlot {
  reason: string;
  location: string;
  contactInfo: string;
  name: string;
  signingTime: Date;
  /** Bytes reserved for the CMS in /Contents. */
  contentsBytes: number;
}

export const BYTE_RANGE_PLACEHOLDER = '**********';

interface Template {
  fragment: PdfFragment;
  fonts: Record<FontWeight, { subset: FontSubset; ref: number }>;
  seal: { ref: number; width: number; height: number } | null;
  /** Encoded fixed strings per weight (hex glyph codes of the template's fonts). */
  encoded: Record<FontWeight, Map<string, string>>;
}

/** Characters every template's fonts hold besides its fixed text: what dates, numbers and codes use. */
const REPERTOIRE = [Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join(''), 'fi fl ff ffi ffl', '　年月日（）・：、。ー'];

const TEMPLATES = 32;
const templates = new Map<string, Promise<Template>>();

function fixedStrings(doc: CertificateDocument, labels: CertificateLabels): string[] {
  const out = [
    ...REPERTOIRE,
    doc.title,
    ...doc.body,
    doc.issuer.name,
    doc.issuer.officerTitle,
    doc.issuer.officerName,
    labels.verifyCaption(doc.verifyUrl),
    labels.continued,
  ];
  for (const value of Object.values(labels)) if (typeof value === 'string') out.push(value);
  out.push(...Object.values(labels.columns));
  return out;
}

const tagOf = (seed: string, postscriptName: string): string => {
  const digest = createHash('sha256').update(seed).update(postscriptName).digest();
  return `${Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('')}+${postscriptName}`;
};

async function prepareTemplate(doc: CertificateDocument, key: string): Promise<Template> {
  const sources = certificateFontSources();
  const labels = LABELS[doc.language];
  const w = new PdfWriter(1);
  const fonts = {} as Template['fonts'];
  const encoded = { regular: new Map(), bold: new Map() } as Template['encoded'];
  const strings = fixedStrings(doc, labels);
  for (const weight of ['regular', 'bold'] as const) {
    const source = sources[weight];
    const subset = new FontSubset(source, tagOf(key, source.postscriptName));
    for (const s of strings) {
      subset.encode(source.shape(s));
      for (const ch of Array.from(s)) subset.encode(source.shape(ch));
    }
    fonts[weight] = { subset, ref: subset.write(w) };
  }
  let seal: Template['seal'] = null;
  if (doc.issuer.seal) {
    const s = await prepareSeal(doc.issuer.seal.png);
    const image = ` /Type /XObject /Subtype /Image /Width ${s.width} /Height ${s.height} /BitsPerComponent 8 /Filter /FlateDecode`;
    const mask = s.alpha ? w.stream(`${image} /ColorSpace /DeviceGray`, s.alpha) : null;
    const ref = w.stream(`${image} /ColorSpace /DeviceRGB${mask ? ` /SMask ${mask} 0 R` : ''}`, s.rgb);
    seal = { ref, width: s.width, height: s.height };
  }
  return { fragment: w.fragment(), fonts, seal, encoded };
}

/** The template for the document's kind, language and issuer (prepared on first use, then kept). */
function templateFor(doc: CertificateDocument): Promise<Template> {
  const { issuer } = doc;
  const key = JSON.stringify([
    doc.language,
    doc.title,
    doc.body,
    issuer.name,
    issuer.officerTitle,
    issuer.officerName,
    doc.verifyUrl,
    issuer.seal ? sealDigest(issuer.seal.png) : null,
  ]);
  let template = templates.get(key);
  if (!template) {
    template = prepareTemplate(doc, key);
    if (templates.size >= TEMPLATES) templates.delete(templates.keys().next().value!);
    templates.set(key, template);
    template.catch(() => templates.delete(key));
  }
  return template;
}

const colour = (c: RGB): string => `${num(c[0])} ${num(c[1])} ${num(c[2])}`;

/** One document being written: pages drawn through `Surface`s, then saved once. */
export class CertificateWriter {
  readonly fonts: Record<FontWeight, Face>;
  private readonly pages: string[][] = [];
  private readonly own: Partial<Record<FontWeight, FontSubset>> = {};
  private readonly sources: Record<FontWeight, TrueTypeSource>;

  private constructor(
    private readonly doc: CertificateDocument,
    private readonly template: Template,
    /** Seeds the subset tag of the document's own fonts (equal documents give equal bytes). */
    private readonly seed: string,
  ) {
    this.sources = certificateFontSources();
    const face = (weight: FontWeight): Face => ({ weight, widthOfTextAtSize: (s, size) => this.sources[weight].widthOfTextAtSize(s, size) });
    this.fonts = { regular: face('regular'), bold: face('bold') };
  }

  static async open(doc: CertificateDocument, seed: string): Promise<CertificateWriter> {
    return new CertificateWriter(doc, await templateFor(doc), seed);
  }

  /** The drawing context of the layout code (page-drawing.ts). */
  context(): Ctx {
    const { template } = this;
    return {
      doc: this.doc,
      fonts: this.fonts,
      labels: LABELS[this.doc.language],
      seal: template.seal ? { width: template.seal.width, height: template.seal.height } : null,
      addPage: () => this.addPage(),
    };
  }

  private addPage(): Surface {
    const ops: string[] = [];
    this.pages.push(ops);
    return {
      text: (s, x, y, font, size, color) => {
        const [name, hex] = this.encode(font.weight, s);
        ops.push(`BT\n/${name} ${num(size)} Tf\n${colour(color)} rg\n1 0 0 1 ${num(x)} ${num(y)} Tm\n${hex} Tj\nET`);
      },
      rectangle: (box: SealBox, style) => {
        const paint = style.fill && style.border ? 'B' : style.fill ? 'f' : 'S';
        ops.push(
          `q\n${style.fill ? `${colour(style.fill)} rg\n` : ''}${style.border ? `${colour(style.border)} RG\n${num(style.borderWidth ?? 1)} w\n` : ''}` +
            `${num(box.x)} ${num(box.y)} ${num(box.width)} ${num(box.height)} re\n${paint}\nQ`,
        );
      },
      line: (start: Point, end: Point, thickness, color) => {
        ops.push(`q\n${colour(color)} RG\n${num(thickness)} w\n${num(start.x)} ${num(start.y)} m\n${num(end.x)} ${num(end.y)} l\nS\nQ`);
      },
      qrCode: (payload, x, y, side) => ops.push(qrOperators(payload, x, y, side)),
      seal: (box) => {
        if (this.template.seal) ops.push(`q\n${num(box.width)} 0 0 ${num(box.height)} ${num(box.x)} ${num(box.y)} cm\n/Im1 Do\nQ`);
      },
    };
  }

  /** The font resource and hex codes for `s`: the template's font when it holds every glyph, else the document's own. */
  private encode(weight: FontWeight, s: string): [string, string] {
    const fixed = this.template.encoded[weight].get(s);
    if (fixed) return [weight === 'regular' ? 'F1' : 'F2', fixed];
    const glyphs = this.sources[weight].shape(s);
    const templateFont = this.template.fonts[weight].subset;
    if (templateFont.covers(glyphs)) {
      const hex = templateFont.encode(glyphs);
      const cache = this.template.encoded[weight];
      if (cache.size < 5_000) cache.set(s, hex);
      return [weight === 'regular' ? 'F1' : 'F2', hex];
    }
    const own = (this.own[weight] ??= new FontSubset(this.sources[weight], tagOf(this.seed, `${this.sources[weight].postscriptName}`)));
    return [weight === 'regular' ? 'F3' : 'F4', own.encode(glyphs)];
  }

  /** Saves the document: the template's objects, then this document's, with a signature placeholder when `slot` is given. */
  save(info: { title: string; author: string; subject: string; created: Date; language: string }, slot?: SignatureSlot): Buffer {
    const { fragment, fonts, seal } = this.template;
    const w = new PdfWriter(fragment.first + fragment.offsets.length);
    w.include(fragment);
    const pagesRef = w.reserve();
    const resourcesRef = w.reserve();
    const pageRefs = this.pages.map(() => w.reserve());
    const widget = slot ? w.reserve() : null;

    this.pages.forEach((ops, i) => {
      const contents = w.flateStream('', ops.join('\n'));
      const annots = widget !== null && i === 0 ? ` /Annots [${widget} 0 R]` : '';
      w.object(
        `<</Type /Page /Parent ${pagesRef} 0 R /MediaBox [0 0 ${A4[0]} ${A4[1]}] /Resources ${resourcesRef} 0 R /Contents ${contents} 0 R${annots}>>`,
        pageRefs[i],
      );
    });

    const fontRefs = [`/F1 ${fonts.regular.ref} 0 R`, `/F2 ${fonts.bold.ref} 0 R`];
    if (this.own.regular?.used) fontRefs.push(`/F3 ${this.own.regular.write(w)} 0 R`);
    if (this.own.bold?.used) fontRefs.push(`/F4 ${this.own.bold.write(w)} 0 R`);
    const xobjects = seal ? ` /XObject <</Im1 ${seal.ref} 0 R>>` : '';
    w.object(`<</Font <<${fontRefs.join(' ')}>>${xobjects} /ProcSet [/PDF /Text /ImageB /ImageC /ImageI]>>`, resourcesRef);
    w.object(`<</Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${pageRefs.length}>>`, pagesRef);

    let acroForm = '';
    if (slot && widget !== null) {
      // Written uncompressed and outside any object stream: the signer fills /ByteRange and /Contents in place.
      const p = BYTE_RANGE_PLACEHOLDER;
      const sig = w.object(
        `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 /${p} /${p} /${p}] /Contents <${'0'.repeat(slot.contentsBytes * 2)}> ` +
          `/Reason (${slot.reason}) /M ${pdfDate(slot.signingTime)} /ContactInfo (${slot.contactInfo}) /Name (${slot.name}) /Location (${slot.location}) ` +
          `/Prop_Build <</Filter <</Name /Adobe.PPKLite>>>>>>`,
      );
      const appearance = w.stream(' /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Resources <<>>', new Uint8Array(0));
      w.object(
        `<</Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V ${sig} 0 R /T (Signature1) /F 4 /P ${pageRefs[0]} 0 R /AP <</N ${appearance} 0 R>>>>`,
        widget,
      );
      acroForm = ` /AcroForm <</Fields [${widget} 0 R] /SigFlags 3>>`;
    }
    const root = w.object(`<</Type /Catalog /Pages ${pagesRef} 0 R /ViewerPreferences <</DisplayDocTitle true>> /Lang (${info.language})${acroForm}>>`);
    const created = pdfDate(info.created);
    const infoRef = w.object(
      `<</Title ${textString(info.title)} /Author ${textString(info.author)} /Subject ${textString(info.subject)} /Creator ${textString('Shomei')} ` +
        `/Producer ${textString('Shomei')} /CreationDate ${created} /ModDate ${created}>>`,
    );
    return w.finish(root, infoRef);
  }
}
