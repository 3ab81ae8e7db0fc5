/**
 * The issuer's seal as PDF image data. Decoding the PNG and compressing its colour and alpha
 * channels costs about 100 ms for a 600-pixel seal, more than the whole certificate otherwise
 * costs, so the two compressed channels are made once per seal and process (and a certificate
 * template holds them as ready objects).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { decodeRgbaPng } from '../images/png.js';

export interface PreparedSeal {
  width: number;
  height: number;
  /** zlib-compressed 8-bit RGB and alpha (null: opaque), as PDF FlateDecode streams hold them. */
  rgb: Uint8Array;
  alpha: Uint8Array | null;
}

/** A handful of seals at most (the institution has one; a new upload replaces it). */
const CACHE_SIZE = 4;
const prepared = new Map<string, PreparedSeal>();

/** A digest of the seal's bytes (for cache keys). */
export const sealDigest = (png: Uint8Array): string => createHash('sha256').update(png).digest('hex');

/** The seal's compressed channels; any PNG that is not 8-bit RGBA goes through pdf-lib's decoder. */
export async function prepareSeal(png: Uint8Array): Promise<PreparedSeal> {
  const key = sealDigest(png);
  const hit = prepared.get(key);
  if (hit) return hit;
  const seal = fromRgba(png) ?? (await throughPdfLib(png));
  if (prepared.size >= CACHE_SIZE) prepared.delete(prepared.keys().next().value!);
  prepared.set(key, seal);
  return seal;
}

function fromRgba(png: Uint8Array): PreparedSeal | null {
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
  return { width, height, rgb: deflateSync(rgb), alpha: deflateSync(alpha) };
}

/** pdf-lib decodes every PNG flavour (palette, grey, 16-bit…) into 8-bit RGB and alpha streams. */
async function throughPdfLib(png: Uint8Array): Promise<PreparedSeal> {
  const scratch = await PDFDocument.create();
  const image = await scratch.embedPng(png);
  await scratch.flush();
  const raw = (ref: PDFRef): PDFRawStream => {
    const stream = scratch.context.lookup(ref);
    if (!(stream instanceof PDFRawStream)) throw new Error('pdf-lib did not make the seal an image stream');
    return stream;
  };
  const main = raw(image.ref);
  const mask = main.dict.get(PDFName.of('SMask'));
  return { width: image.width, height: image.height, rgb: main.contents, alpha: mask instanceof PDFRef ? raw(mask).contents : null };
}
