/**
 * Looking at certificate PDFs the way a reader does, with poppler: text (pdftotext), word boxes
 * (pdftotext -bbox-layout), page counts (pdfinfo) and rendered pixels (pdftoppm). Boxes are in
 * points from the page's top-left corner.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Runs a poppler tool; throws with its stderr when it fails. */
export function tool(name: string, args: string[]): string {
  const r = spawnSync(name, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export const pageCount = (file: string): number => Number(/^Pages:\s+(\d+)/m.exec(tool('pdfinfo', [file]))![1]);

/** The text of one page (1-based), laid out. */
export const pageText = (file: string, page: number): string => tool('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-']);

/** One rendered region of a page: `channels` bytes per pixel (1 gray, 3 RGB), row by row. */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
  /** Pixels per point. */
  scale: number;
}

/** Renders a region of a page (default: the whole page) with pdftoppm, in gray or colour. */
export function rasterize(file: string, options: { page?: number; box?: Box; dpi?: number; color?: boolean; out: string }): Raster {
  const { page = 1, dpi = 72, color = false, out } = options;
  const px = (pt: number) => Math.round((pt * dpi) / 72);
  const crop = options.box
    ? ['-x', String(px(options.box.x)), '-y', String(px(options.box.y)), '-W', String(px(options.box.width)), '-H', String(px(options.box.height))]
    : [];
  tool('pdftoppm', [...(color ? [] : ['-gray']), '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', ...crop, file, out]);
  const data = readFileSync(`${out}.${color ? 'ppm' : 'pgm'}`);
  // Binary PGM (P5) / PPM (P6): magic, width, height, maxval separated by white space, then the pixels.
  const header = /^P[56]\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'))!;
  const channels = color ? 3 : 1;
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = new Uint8Array(data.subarray(header[0].length));
  if (pixels.length !== width * height * channels) throw new Error(`unexpected raster size ${pixels.length}`);
  return { width, height, channels, pixels, scale: dpi / 72 };
}

/** Dark pixels (< 128 of 255) in a gray raster. */
export const darkCount = (r: Raster): number => r.pixels.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);

/** Where pixels matching `match(r, g, b)` are in a colour raster: their count and bounding box in points (relative to the raster). */
export function findPixels(r: Raster, match: (red: number, green: number, blue: number) => boolean): { count: number; box: Box | null } {
  let count = 0;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = 0; y < r.height; y += 1) {
    for (let x = 0; x < r.width; x += 1) {
      const i = (y * r.width + x) * 3;
      if (!match(r.pixels[i]!, r.pixels[i + 1]!, r.pixels[i + 2]!)) continue;
      count += 1;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  if (count === 0) return { count, box: null };
  return { count, box: { x: x0 / r.scale, y: y0 / r.scale, width: (x1 - x0 + 1) / r.scale, height: (y1 - y0 + 1) / r.scale } };
}

/** The lowest row (in points from the raster's top) holding a pixel darker than 200 in a gray raster; -1 when blank. */
export function lowestInk(r: Raster): number {
  for (let y = r.height - 1; y >= 0; y -= 1) {
    for (let x = 0; x < r.width; x += 1) if (r.pixels[y * r.width + x]! < 200) return (y + 1) / r.scale;
  }
  return -1;
}

/** A line of text with its box, from pdftotext -bbox-layout. */
export interface TextLine {
  text: string;
  box: Box;
}

const attr = (tag: string, name: string) => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(tag)![1]);
const boxOf = (tag: string): Box => {
  const [x0, y0, x1, y1] = ['xMin', 'yMin', 'xMax', 'yMax'].map((n) => attr(tag, n)) as [number, number, number, number];
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
};

/** Every text line of a page with its box; a line's text is its words joined by one space. */
export function textLines(file: string, page: number): TextLine[] {
  const html = tool('pdftotext', ['-bbox-layout', '-f', String(page), '-l', String(page), file, '-']);
  const lines: TextLine[] = [];
  for (const m of html.matchAll(/<line ([^>]*)>([\s\S]*?)<\/line>/g)) {
    const words = [...m[2]!.matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) => w[1]!);
    lines.push({ text: words.join(' '), box: boxOf(m[1]!) });
  }
  return lines;
}

/** Whether two boxes share any area. */
export const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
