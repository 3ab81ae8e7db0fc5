/**
 * A TrueType font ready for PDF subsets, parsed once per process: text is shaped with fontkit 2
 * (ligatures as pdf-lib shaped it; results cached per string), and subsets are cut straight from the
 * font's own glyf/hmtx bytes (cached per glyph) instead of re-encoding the tables with fontkit,
 * which costs milliseconds per document.
 *
 * A subset keeps only head, hhea, maxp, hmtx, loca, glyf and the hinting tables, as fontkit's own
 * subsets (and so pdf-lib's) do: a CIDFontType2 needs no cmap, name, OS/2 or post.
 */
import * as fontkit from 'fontkit';

/** One shaped glyph: its id in the full font, the text it stands for, its advance in 1/1000 em. */
export interface ShapedGlyph {
  id: number;
  text: string;
  advance: number;
}

interface GlyphData {
  bytes: Uint8Array;
  advance: number;
  bearing: number;
  /** Component glyph ids and where each is written in `bytes` (composite glyphs). */
  components: { id: number; pos: number }[];
}

/** Font-wide metrics a PDF FontDescriptor needs, in 1/1000 em. */
export interface FontMetrics {
  bbox: [number, number, number, number];
  ascent: number;
  descent: number;
  capHeight: number;
  xHeight: number;
  italicAngle: number;
}

const SHAPE_CACHE = 4_000;
const HINTING = ['cvt ', 'fpgm', 'prep'];

export class TrueTypeSource {
  readonly metrics: FontMetrics;
  readonly postscriptName: string;
  private readonly font: fontkit.Font;
  private readonly bytes: Buffer;
  private readonly tables: Record<string, { offset: number; length: number }>;
  private readonly loca: number[];
  private readonly shaped = new Map<string, ShapedGlyph[]>();
  private readonly glyphs = new Map<number, GlyphData>();
  private readonly scale: number;

  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const created = fontkit.create(this.bytes);
    if (!('createSubset' in created)) throw new Error('fontkit: a font collection was given; pass a single font');
    this.font = created as fontkit.Font;
    const internals = this.font as unknown as { directory: { tables: Record<string, { offset: number; length: number }> }; loca: { offsets: number[] } };
    this.tables = internals.directory.tables;
    if (!this.tables.glyf || !this.tables.loca) throw new Error('Only TrueType (glyf) fonts can be subset here.');
    this.loca = internals.loca.offsets;
    this.scale = 1000 / this.font.unitsPerEm;
    const s = (n: number) => Math.round(n * this.scale);
    const b = this.font.bbox;
    this.metrics = {
      bbox: [s(b.minX), s(b.minY), s(b.maxX), s(b.maxY)],
      ascent: s(this.font.ascent),
      descent: s(this.font.descent),
      capHeight: s(this.font.capHeight || this.font.ascent),
      xHeight: s(this.font.xHeight || 0),
      italicAngle: this.font.italicAngle,
    };
    this.postscriptName = this.font.postscriptName;
  }

  /** The glyphs of `text` as fontkit lays it out (its default features, ligatures included). */
  shape(text: string): ShapedGlyph[] {
    let glyphs = this.shaped.get(text);
    if (!glyphs) {
      glyphs = this.font.layout(text).glyphs.map((g) => ({
        id: g.id,
        text: String.fromCodePoint(...g.codePoints),
        advance: g.advanceWidth * this.scale,
      }));
      if (this.shaped.size >= SHAPE_CACHE) this.shaped.delete(this.shaped.keys().next().value!);
      this.shaped.set(text, glyphs);
    }
    return glyphs;
  }

  /** Width of `text` at `size` points: the sum of advances (no kerning, as pdf-lib measures). */
  widthOfTextAtSize(text: string, size: number): number {
    let total = 0;
    for (const g of this.shape(text)) total += g.advance;
    return (total * size) / 1000;
  }

  /** Advance of a glyph of the full font, in 1/1000 em. */
  advanceOf(id: number): number {
    return this.glyph(id).advance * this.scale;
  }

  /**
   * A TrueType font holding `ids` (full-font glyph ids; `ids[0]` must be 0, .notdef) renumbered
   * 0…n−1 in that order. Components of composite glyphs are appended to `ids` (so the caller sees
   * every glyph the subset holds) and renumbered too.
   */
  subset(ids: number[]): Uint8Array {
    if (ids[0] !== 0) throw new Error('A subset starts with glyph 0 (.notdef).');
    const index = new Map<number, number>(ids.map((id, i) => [id, i]));
    const parts: Uint8Array[] = [];
    const offsets: number[] = [];
    const metrics: GlyphData[] = [];
    let offset = 0;
    for (let i = 0; i < ids.length; i += 1) {
      const data = this.glyph(ids[i]!);
      let bytes = data.bytes;
      if (data.components.length) {
        bytes = Uint8Array.from(bytes);
        const view = new DataView(bytes.buffer);
        for (const c of data.components) {
          let n = index.get(c.id);
          if (n === undefined) {
            n = ids.length;
            ids.push(c.id);
            index.set(c.id, n);
          }
          view.setUint16(c.pos, n);
        }
      }
      offsets.push(offset);
      parts.push(bytes);
      metrics.push(data);
      // Long loca offsets; glyphs kept 4-byte aligned as the specification recommends.
      const pad = (4 - (bytes.length % 4)) % 4;
      if (pad) parts.push(new Uint8Array(pad));
      offset += bytes.length + pad;
    }
    offsets.push(offset);

    const glyf = concat(parts, offset);
    const loca = new Uint8Array(offsets.length * 4);
    const locaView = new DataView(loca.buffer);
    offsets.forEach((o, i) => locaView.setUint32(i * 4, o));
    const hmtx = new Uint8Array(metrics.length * 4);
    const hmtxView = new DataView(hmtx.buffer);
    metrics.forEach((m, i) => {
      hmtxView.setUint16(i * 4, m.advance);
      hmtxView.setInt16(i * 4 + 2, m.bearing);
    });
    // Copies (Buffer's slice would share the font's memory).
    const head = Uint8Array.from(this.table('head'));
    new DataView(head.buffer).setUint32(8, 0); // checkSumAdjustment, set below
    new DataView(head.buffer).setInt16(50, 1); // indexToLocFormat: long
    const hhea = Uint8Array.from(this.table('hhea'));
    new DataView(hhea.buffer).setUint16(34, metrics.length); // numberOfHMetrics
    const maxp = Uint8Array.from(this.table('maxp'));
    new DataView(maxp.buffer).setUint16(4, metrics.length); // numGlyphs

    const tables: [string, Uint8Array][] = [
      ['glyf', glyf],
      ['head', head],
      ['hhea', hhea],
      ['hmtx', hmtx],
      ['loca', loca],
      ['maxp', maxp],
    ];
    for (const tag of HINTING) if (this.tables[tag]) tables.push([tag, this.table(tag)]);
    return sfnt(tables);
  }

  private table(tag: string): Uint8Array {
    const t = this.tables[tag]!;
    return this.bytes.subarray(t.offset, t.offset + t.length);
  }

  private glyph(id: number): GlyphData {
    let data = this.glyphs.get(id);
    if (!data) {
      const glyfStart = this.tables.glyf!.offset;
      const bytes = this.bytes.subarray(glyfStart + this.loca[id]!, glyfStart + this.loca[id + 1]!);
      const glyph = this.font.getGlyph(id) as unknown as {
        _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
        _getMetrics(): { advanceWidth: number; leftBearing: number };
      };
      const decoded = glyph._decode();
      const m = glyph._getMetrics();
      const components = decoded && decoded.numberOfContours < 0 ? (decoded.components ?? []).map((c) => ({ id: c.glyphID, pos: c.pos })) : [];
      data = { bytes, advance: m.advanceWidth, bearing: m.leftBearing, components };
      this.glyphs.set(id, data);
    }
    return data;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function checksum(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sum = 0;
  const whole = bytes.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  if (whole < bytes.length) {
    const tail = new Uint8Array(4);
    tail.set(bytes.subarray(whole));
    sum = (sum + new DataView(tail.buffer).getUint32(0)) >>> 0;
  }
  return sum;
}

/** An sfnt file of `tables` (tags sorted, each 4-byte aligned, checksums and head's adjustment set). */
function sfnt(tables: [string, Uint8Array][]): Uint8Array {
  tables.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const n = tables.length;
  const headerSize = 12 + 16 * n;
  let size = headerSize;
  for (const [, t] of tables) size += (t.length + 3) & ~3;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const entrySelector = Math.floor(Math.log2(n));
  view.setUint32(0, 0x00010000);
  view.setUint16(4, n);
  view.setUint16(6, 16 * 2 ** entrySelector);
  view.setUint16(8, entrySelector);
  view.setUint16(10, 16 * n - 16 * 2 ** entrySelector);
  let offset = headerSize;
  let headOffset = -1;
  tables.forEach(([tag, t], i) => {
    const r = 12 + 16 * i;
    for (let c = 0; c < 4; c += 1) out[r + c] = tag.charCodeAt(c);
    view.setUint32(r + 4, checksum(t));
    view.setUint32(r + 8, offset);
    view.setUint32(r + 12, t.length);
    out.set(t, offset);
    if (tag === 'head') headOffset = offset;
    offset += (t.length + 3) & ~3;
  });
  view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}
