/** Just enough PNG for uploads and certificates: the chunk structure and header, an RGBA encoder and decoder. */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

export interface PngHeader {
  width: number;
  height: number;
}

/**
 * Walks the chunks: IHDR first, at least one IDAT, IEND last, every length inside the file.
 * Returns the header, or null when the file is not a complete PNG.
 */
export function readPngHeader(bytes: Uint8Array): PngHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let header: PngHeader | null = null;
  let sawData = false;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > bytes.length) return null;
    if (header === null) {
      if (type !== 'IHDR' || length !== 13) return null;
      header = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12) };
      if (header.width === 0 || header.height === 0) return null;
    } else if (type === 'IDAT') {
      sawData = true;
    } else if (type === 'IEND') {
      return sawData ? header : null;
    }
    offset = end;
  }
  return null;
}

const chunk = (type: string, data: Uint8Array): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
};

/** 8-bit RGBA pixels (row-major, no padding) as a PNG. */
export function encodeRgbaPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]));
}

/** The byte of the pixel to the left, above, and above-left (0 outside the image), for unfiltering. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * 8-bit RGBA pixels of a PNG that is 8-bit RGBA and not interlaced (what encodeRgbaPng and so every
 * stored image are), all five row filters undone; null for any other kind of PNG.
 */
export function decodeRgbaPng(bytes: Uint8Array): { pixels: Uint8Array; width: number; height: number } | null {
  const header = readPngHeader(bytes);
  if (!header) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [bitDepth, colorType, , , interlace] = bytes.subarray(24, 29);
  if (bitDepth !== 8 || colorType !== 6 || interlace !== 0) return null;
  const idat: Uint8Array[] = [];
  for (let offset = 8; offset + 12 <= bytes.length;) {
    const length = view.getUint32(offset);
    if (String.fromCharCode(...bytes.subarray(offset + 4, offset + 8)) === 'IDAT') idat.push(bytes.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const { width, height } = header;
  const stride = width * 4;
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return null;
  }
  if (raw.length !== (stride + 1) * height) return null;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let i = 0; i < stride; i += 1) {
      const left = i >= 4 ? pixels[row + i - 4]! : 0;
      const up = y > 0 ? pixels[row - stride + i]! : 0;
      const upLeft = y > 0 && i >= 4 ? pixels[row - stride + i - 4]! : 0;
      const predictor =
        filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : filter === 4 ? paeth(left, up, upLeft) : -1;
      if (predictor < 0) return null;
      pixels[row + i] = (src[i]! + predictor) & 0xff;
    }
  }
  return { pixels, width, height };
}
