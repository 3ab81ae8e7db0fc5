/**
 * The issuer's seal as a PDF image. pdf-lib's embedPng decodes the PNG and compresses its colour and
 * alpha channels again for every document (about 100 ms for a 600-pixel seal, more than the whole
 * certificate otherwise costs), so the two compressed channels are made once per seal and process,
 * and each document only gets the two streams that hold them.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { degrees, drawImage, type PDFDocument, type PDFPage, type PDFRef } from 'pdf-lib';
import { decodeRgbaPng } from '../images/png.js';

/** A seal placed in one document: its image XObject and pixel size. */
export interface EmbeddedSeal {
  ref: PDFRef;
  width: number;
  height: number;
}

interface PreparedSeal {
  width: number;
  height: number;
  /** zlib-compressed 8-bit RGB and alpha, as PDF FlateDecode streams hold them. */
  rgb: Uint8Array;
  alpha: Uint8Array;
}

/** A handful of seals at most (the institution has one; a new upload replaces it). */
const CACHE_SIZE = 4;
const prepared = new Map<string, PreparedSeal>();

function prepare(png: Uint8Array): PreparedSeal | null {
  const key = createHash('sha256').update(png).digest('hex');
  const hit = prepared.get(key);
  if (hit) return hit;
  const decoded = decodeRgbaPng(png);
  if (!decoded) return null;
  const { pixels, width, height } = decoded;
  const rgb = new Uint8Array(width * height * 3);
  const alpha = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p += 1) {
    rgb[p * 3] = pixels[p * 4]!;
    rgb[p * 3 + 1] = pixels[p * 4 + 1]!;
    rgb[p * 3 + 2] = pixels[p * 4 + 2]!;
    alpha[p] = pixels[p * 4 + 3]!;
  }
  const seal = { width, height, rgb: deflateSync(rgb), alpha: deflateSync(alpha) };
  if (prepared.size >= CACHE_SIZE) prepared.delete(prepared.keys().next().value!);
  prepared.set(key, seal);
  return seal;
}

/** Adds the seal to the document once; any PNG that is not 8-bit RGBA goes through pdf-lib's own embedder. */
export async function embedSeal(pdf: PDFDocument, png: Uint8Array): Promise<EmbeddedSeal> {
  const seal = prepare(png);
  if (!seal) {
    const image = await pdf.embedPng(png);
    return { ref: image.ref, width: image.width, height: image.height };
  }
  const image = { Type: 'XObject', Subtype: 'Image', Width: seal.width, Height: seal.height, BitsPerComponent: 8, Filter: 'FlateDecode' };
  const mask = pdf.context.register(pdf.context.stream(seal.alpha, { ...image, ColorSpace: 'DeviceGray' }));
  const ref = pdf.context.register(pdf.context.stream(seal.rgb, { ...image, ColorSpace: 'DeviceRGB', SMask: mask }));
  return { ref, width: seal.width, height: seal.height };
}

/** Draws the seal into the box (points from the page's bottom-left corner). */
export function drawSeal(page: PDFPage, seal: EmbeddedSeal, box: { x: number; y: number; width: number; height: number }): void {
  const name = page.node.newXObject('Image', seal.ref);
  page.pushOperators(...drawImage(name, { ...box, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }));
}
