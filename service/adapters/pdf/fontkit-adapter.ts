/**
 * Upstream fontkit 2.x behind pdf-lib's `registerFontkit` contract.
 *
 * Why: `@pdf-lib/fontkit` 1.1.1 silently drops glyphs when subsetting Noto Sans JP (pdf-lib
 * bug report 1232; DESIGN.md "Known pitfalls"). fontkit 2.x subsets correctly, but its API differs in
 * one place pdf-lib relies on: pdf-lib's CustomFontSubsetEmbedder serialises a subset with
 * `subset.encodeStream().on('data' | 'end' | 'error')`, while fontkit 2 has `subset.encode()`
 * returning the bytes. Everything else pdf-lib uses (`create`, `layout`, `createSubset`,
 * `includeGlyph`, glyph `advanceWidth`/`codePoints`, `unitsPerEm`, `bbox`, metrics, `cff`, the
 * `OS/2`/`head`/`post` tables) is the same.
 *
 * Parsed fonts are cached per byte array (WeakMap): pass the same `Uint8Array` (see fonts.ts) and
 * the font is parsed once per process, however many documents embed it. A subset is created per
 * document, so sharing the parsed font is safe.
 */
import * as fontkit from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

/** pdf-lib's fontkit contract (its `Fontkit` type is not exported from the package root). */
export type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

type Fk2Font = fontkit.Font;
type Fk2Subset = ReturnType<Fk2Font['createSubset']> & { encode(): Uint8Array; cff?: unknown };

/** The minimal stream pdf-lib's CustomFontSubsetEmbedder.serializeFont consumes. */
interface EncodeStream {
  on(event: 'data' | 'end' | 'error', listener: (arg?: unknown) => void): EncodeStream;
}

/** Emits the whole encoded subset once listeners for 'data' and 'end' are attached. */
function encodeStreamOf(subset: Fk2Subset): EncodeStream {
  const listeners: Record<string, ((arg?: unknown) => void)[]> = { data: [], end: [], error: [] };
  let scheduled = false;
  const stream: EncodeStream = {
    on(event, listener) {
      listeners[event]!.push(listener);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(() => {
          try {
            const bytes = subset.encode();
            for (const l of listeners.data!) l(bytes);
            for (const l of listeners.end!) l();
          } catch (err) {
            for (const l of listeners.error!) l(err);
          }
        });
      }
      return stream;
    },
  };
  return stream;
}

/** Wraps a fontkit 2 subset so it also offers pdf-lib's `encodeStream()`. */
function adaptSubset(subset: Fk2Subset): Fk2Subset & { encodeStream(): EncodeStream } {
  return new Proxy(subset, {
    get(target, prop, receiver) {
      if (prop === 'encodeStream') return () => encodeStreamOf(target);
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Fk2Subset & { encodeStream(): EncodeStream };
}

/** Wraps a fontkit 2 font so `createSubset()` returns an adapted subset. Other members pass through. */
function adaptFont(font: Fk2Font): Fk2Font {
  return new Proxy(font, {
    get(target, prop) {
      if (prop === 'createSubset') return () => adaptSubset(target.createSubset() as Fk2Subset);
      // Getters (fontkit's cached tables) must run against the real font, not the proxy.
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const parsed = new WeakMap<Uint8Array, Fk2Font>();

/** Parses (or returns the cached parse of) a single font file with fontkit 2. */
export function parseFont(bytes: Uint8Array): Fk2Font {
  let font = parsed.get(bytes);
  if (!font) {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const created = fontkit.create(buffer);
    if (!('createSubset' in created)) throw new Error('fontkit: a font collection was given; pass a single font');
    font = adaptFont(created as Fk2Font);
    parsed.set(bytes, font);
  }
  return font;
}

/** Pass to `PDFDocument.registerFontkit` instead of `@pdf-lib/fontkit`. */
export const fontkitAdapter: PdfLibFontkit = {
  create: (bytes: Uint8Array) => parseFont(bytes) as unknown as ReturnType<PdfLibFontkit['create']>,
};
