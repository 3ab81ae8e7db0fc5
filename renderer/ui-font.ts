/**
 * The first page's font: Noto Sans JP (regular and bold) cut down to the characters of the texts a
 * first visit shows (core texts, the graduates' sign-in form, kiosk and demo notices, ASCII), one
 * small file per weight. Its @font-face rules come after the full font's (@fontsource, sliced by
 * unicode-range; written to the same stylesheet), so the browser takes these glyphs from the small file and fetches a slice of
 * the full font only for other characters — names, addresses, rare kanji such as 𠮷 髙 﨑 —
 * which therefore never fall back to boxes.
 *
 * Written by the Vite plugin in vite.config.ts before every build (and dev start) into
 * src/styles/ui-font/ (not committed), so new texts are covered without anyone thinking of it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

/** The texts of the first page (relative to renderer/src). */
const TEXT_SOURCES = ['locales/ja.json', 'locales/en.json', 'locales/graduates/ja.json', 'locales/kiosk/ja.json', 'demo/locales/ja.json', '../index.html'];

const WEIGHTS = [
  { weight: 400, file: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf' },
  { weight: 700, file: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf' },
] as const;

/** The characters to cover: ASCII and every non-control character of the first page's texts. */
export function firstPageCharacters(srcDir: string): number[] {
  const set = new Set<number>();
  for (let c = 0x20; c < 0x7f; c += 1) set.add(c);
  for (const source of TEXT_SOURCES) {
    for (const ch of readFileSync(path.join(srcDir, source), 'utf8')) {
      const c = ch.codePointAt(0) ?? 0;
      if (c >= 0xa0) set.add(c);
    }
  }
  return [...set].sort((a, b) => a - b);
}

/** cmap with one Windows Unicode BMP subtable (format 4); runs of consecutive codes and glyphs share a segment. */
function cmapTable(map: Array<[code: number, glyph: number]>): Buffer {
  const segments: Array<{ start: number; end: number; delta: number }> = [];
  for (const [code, glyph] of map) {
    const last = segments.at(-1);
    const delta = (glyph - code) & 0xffff;
    if (last && last.end === code - 1 && last.delta === delta) last.end = code;
    else segments.push({ start: code, end: code, delta });
  }
  segments.push({ start: 0xffff, end: 0xffff, delta: 1 });
  const n = segments.length;
  const length = 16 + n * 8;
  const sub = Buffer.alloc(length);
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 * 2 ** entrySelector;
  sub.writeUInt16BE(4, 0);
  sub.writeUInt16BE(length, 2);
  sub.writeUInt16BE(0, 4);
  sub.writeUInt16BE(n * 2, 6);
  sub.writeUInt16BE(searchRange, 8);
  sub.writeUInt16BE(entrySelector, 10);
  sub.writeUInt16BE(n * 2 - searchRange, 12);
  segments.forEach((s, i) => {
    sub.writeUInt16BE(s.end, 14 + i * 2);
    sub.writeUInt16BE(s.start, 16 + n * 2 + i * 2);
    sub.writeUInt16BE(s.delta, 16 + n * 4 + i * 2);
    sub.writeUInt16BE(0, 16 + n * 6 + i * 2);
  });
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0, 0);
  header.writeUInt16BE(1, 2);
  header.writeUInt16BE(3, 4); // Windows
  header.writeUInt16BE(1, 6); // Unicode BMP
  header.writeUInt32BE(12, 8);
  return Buffer.concat([header, sub]);
}

function checksum(data: Buffer): number {
  const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function readTables(font: Buffer): Map<string, Buffer> {
  const tables = new Map<string, Buffer>();
  const count = font.readUInt16BE(4);
  for (let i = 0; i < count; i += 1) {
    const at = 12 + i * 16;
    const offset = font.readUInt32BE(at + 8);
    tables.set(font.toString('latin1', at, at + 4), font.subarray(offset, offset + font.readUInt32BE(at + 12)));
  }
  return tables;
}

/** An sfnt (TrueType) file from its tables, with checksums and head.checkSumAdjustment. */
function writeSfnt(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 16 * 2 ** entrySelector;
  const header = Buffer.alloc(12 + n * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(n * 16 - searchRange, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = Buffer.from(tables.get(tag)!);
    if (tag === 'head') data.writeUInt32BE(0, 8);
    const at = 12 + i * 16;
    header.write(tag, at, 'latin1');
    header.writeUInt32BE(checksum(data), at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(data.length, at + 12);
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    bodies.push(padded);
    offset += padded.length;
  });
  const file = Buffer.concat([header, ...bodies]);
  const headAt = file.readUInt32BE(12 + tags.indexOf('head') * 16 + 8);
  file.writeUInt32BE((0xb1b0afba - checksum(file)) >>> 0, headAt + 8);
  return file;
}

/** One weight cut down to `codes`: glyphs, metrics and a cmap of its own; name, OS/2 and post (without glyph names) kept. */
export function subsetFont(fontFile: string, codes: number[]): { data: Buffer; covered: number[] } {
  const original = readFileSync(fontFile);
  const font = fontkit.create(original) as fontkit.Font;
  // fontkit's subset takes a glyph id and returns the glyph's id in the subset (its typings say otherwise).
  const subset = font.createSubset() as unknown as { includeGlyph(id: number): number; encode(): Uint8Array };
  const map: Array<[number, number]> = [];
  for (const code of codes) {
    const glyph = font.glyphForCodePoint(code);
    if (glyph.id !== 0 && code <= 0xffff) map.push([code, subset.includeGlyph(glyph.id)]);
  }
  const tables = readTables(Buffer.from(subset.encode()));
  const source = readTables(original);
  tables.set('cmap', cmapTable(map));
  tables.set('OS/2', source.get('OS/2')!);
  tables.set('name', source.get('name')!);
  const post = Buffer.from(source.get('post')!.subarray(0, 32));
  post.writeUInt32BE(0x00030000, 0);
  tables.set('post', post);
  return { data: writeSfnt(tables), covered: map.map(([code]) => code) };
}

/** unicode-range value: single codes and runs (`U+3041-3096`). */
function unicodeRange(codes: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < codes.length;) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j]! + 1) j += 1;
    const hex = (c: number) => c.toString(16);
    parts.push(i === j ? `U+${hex(codes[i]!)}` : `U+${hex(codes[i]!)}-${hex(codes[j]!)}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The full font's rules (@fontsource, one per unicode-range slice and weight), woff2 only, the
 * weights of a slice side by side: their long unicode-range lists then repeat within gzip's window,
 * which halves the compressed stylesheet.
 */
function fullFontRules(outDir: string): string[] {
  const dir = path.dirname(require.resolve('@fontsource/noto-sans-jp/400.css'));
  const slices = new Map<string, string[]>();
  for (const { weight } of WEIGHTS) {
    const css = readFileSync(path.join(dir, `${weight}.css`), 'utf8');
    for (const rule of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
      const woff2 = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(rule)?.[1];
      const range = /unicode-range:\s*([^;]+);/.exec(rule)?.[1];
      if (!woff2 || !range) throw new Error(`unexpected @font-face rule in @fontsource/noto-sans-jp/${weight}.css`);
      const slice = /noto-sans-jp-(\d+)-/.exec(woff2)?.[1] ?? woff2;
      const url = path
        .relative(outDir, path.join(dir, 'files', woff2))
        .split(path.sep)
        .join('/');
      slices.set(slice, [...(slices.get(slice) ?? []), faceRule(weight, `url(${url}) format('woff2')`, range)]);
    }
  }
  return [...slices.values()].flat();
}

function faceRule(weight: number, src: string, range: string): string {
  return `@font-face{font-family:'Noto Sans JP';font-style:normal;font-display:swap;font-weight:${weight};src:${src};unicode-range:${range}}`;
}

/**
 * Writes src/styles/ui-font/{fonts.css, noto-sans-jp-ui-<weight>.ttf} when the texts changed (a
 * fingerprint of the character set is kept in the CSS): the full font's rules, then the first
 * page's subsets, which win for their characters because they come last.
 */
export function writeUiFont(srcDir: string): void {
  const codes = firstPageCharacters(srcDir);
  const fingerprint = createHash('sha256').update(codes.join(',')).digest('hex').slice(0, 16);
  const outDir = path.join(srcDir, 'styles/ui-font');
  const cssFile = path.join(outDir, 'fonts.css');
  if (existsSync(cssFile) && readFileSync(cssFile, 'utf8').includes(`characters ${fingerprint}`)) return;
  mkdirSync(outDir, { recursive: true });
  const subsetRules = WEIGHTS.map(({ weight, file }) => {
    const { data, covered } = subsetFont(require.resolve(file), codes);
    const name = `noto-sans-jp-ui-${weight}.ttf`;
    writeFileSync(path.join(outDir, name), data);
    return faceRule(weight, `url(./${name}) format('truetype')`, unicodeRange(covered));
  });
  const banner = `/* Generated by renderer/ui-font.ts (characters ${fingerprint}); not committed. Noto Sans JP, SIL Open Font License 1.1. */`;
  writeFileSync(cssFile, `${banner}\n${[...fullFontRules(outDir), ...subsetRules].join('\n')}\n`);
}
