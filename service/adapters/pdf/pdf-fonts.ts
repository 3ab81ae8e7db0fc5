/**
 * Fonts of a PDF as glyph subsets: a `FontSubset` collects the glyphs text drawn with it needs
 * (numbered in order of first use, 0 being .notdef), encodes that text for content streams, and
 * writes itself as a Type0 / CIDFontType2 font (Identity-H, a subset tag in its name, widths and a
 * ToUnicode map so the text can be searched and copied), as pdf-lib embedded them.
 */
import type { PdfWriter } from './pdf-writer.js';
import type { ShapedGlyph, TrueTypeSource } from './ttf-subset.js';

export class FontSubset {
  private readonly ids: number[] = [0];
  private readonly index = new Map<number, number>([[0, 0]]);
  private readonly texts: string[] = [''];

  constructor(
    readonly source: TrueTypeSource,
    /** '<TAG>+<PostScript name>' (ISO 32000 §9.6.4). */
    readonly baseFont: string,
  ) {}

  /** Whether every glyph of `glyphs` is already in the subset. */
  covers(glyphs: ShapedGlyph[]): boolean {
    for (const g of glyphs) if (!this.index.has(g.id)) return false;
    return true;
  }

  /** The glyphs as a hex string of 2-byte codes (CIDs), adding those not yet in the subset. */
  encode(glyphs: ShapedGlyph[]): string {
    let hex = '<';
    for (const g of glyphs) {
      let cid = this.index.get(g.id);
      if (cid === undefined) {
        cid = this.ids.length;
        this.ids.push(g.id);
        this.texts.push(g.text);
        this.index.set(g.id, cid);
      }
      hex += cid.toString(16).padStart(4, '0');
    }
    return `${hex}>`;
  }

  /** Whether any glyph besides .notdef was used. */
  get used(): boolean {
    return this.ids.length > 1;
  }

  /** Writes the font's objects; returns the Type0 font's object number. */
  write(w: PdfWriter): number {
    const ids = this.ids.slice();
    const file = this.source.subset(ids); // may append composite glyphs' components to `ids`
    const m = this.source.metrics;
    const fontFile = w.flateStream(` /Length1 ${file.length}`, file);
    const descriptor = w.object(
      `<</Type /FontDescriptor /FontName /${this.baseFont} /Flags 4 /FontBBox [${m.bbox.join(' ')}] /ItalicAngle ${m.italicAngle} ` +
        `/Ascent ${m.ascent} /Descent ${m.descent} /CapHeight ${m.capHeight} /XHeight ${m.xHeight} /StemV 0 /FontFile2 ${fontFile} 0 R>>`,
    );
    const widths = ids.map((id) => Math.round(this.source.advanceOf(id))).join(' ');
    const cidFont = w.object(
      `<</Type /Font /Subtype /CIDFontType2 /BaseFont /${this.baseFont} /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> ` +
        `/FontDescriptor ${descriptor} 0 R /W [0 [${widths}]] /CIDToGIDMap /Identity>>`,
    );
    const toUnicode = w.flateStream('', toUnicodeCMap(this.texts));
    return w.object(
      `<</Type /Font /Subtype /Type0 /BaseFont /${this.baseFont} /Encoding /Identity-H /DescendantFonts [${cidFont} 0 R] /ToUnicode ${toUnicode} 0 R>>`,
    );
  }
}

const utf16Hex = (s: string): string => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join('');

/** A ToUnicode CMap: code i stands for texts[i] (code 0, .notdef, for nothing). */
function toUnicodeCMap(texts: string[]): string {
  const entries: string[] = [];
  texts.forEach((t, cid) => {
    if (cid > 0 && t) entries.push(`<${cid.toString(16).padStart(4, '0')}> <${utf16Hex(t)}>`);
  });
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    blocks.push(`${block.length} beginbfchar\n${block.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000><ffff>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}
