import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRgbaPng, encodeRgbaPng } from '../../service/adapters/images/png.js';
import { sampleSeal } from '../support/certificate-documents.js';

/**
 * An RGBA PNG whose rows use the given filters in turn (None, Sub, Up, Average, Paeth), written
 * straight from the PNG specification, as encoders that choose a filter per row do.
 */
function filteredPng(pixels: Uint8Array, width: number, height: number, filters: number[]): Uint8Array {
  const stride = width * 4;
  const at = (y: number, i: number) => (y < 0 || i < 0 ? 0 : pixels[y * stride + i]!);
  const raw: number[] = [];
  for (let y = 0; y < height; y += 1) {
    const filter = filters[y % filters.length]!;
    raw.push(filter);
    for (let i = 0; i < stride; i += 1) {
      const [a, b, c] = [at(y, i - 4), at(y - 1, i), at(y - 1, i - 4)];
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      raw.push((at(y, i) - predictor + 256) & 0xff);
    }
  }
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from(raw))), chunk('IEND', new Uint8Array(0))]));
}

/** Pixels with gradients and noise, so every filter predicts something different. */
const picture = (width: number, height: number) =>
  new Uint8Array(width * height * 4).map((_, i) => {
    const p = i >> 2;
    const [x, y, channel] = [p % width, Math.floor(p / width), i & 3];
    return channel === 3 ? (x * 11 + y * 7) % 256 : (x * (channel + 3) * 9 + y * 13 + ((p * 2654435761) >>> 27)) % 256;
  });

describe('decodeRgbaPng', () => {
  it('gives back the pixels of a stored image (rows without filter)', () => {
    const pixels = picture(5, 3);
    expect(decodeRgbaPng(encodeRgbaPng(pixels, 5, 3))).toEqual({ pixels, width: 5, height: 3 });
    expect(decodeRgbaPng(sampleSeal(40, 20).png)).toMatchObject({ width: 40, height: 20 });
  });

  it.each([0, 1, 2, 3, 4])('undoes row filter %i, as in PNGs from encoders that filter rows', (filter) => {
    const pixels = picture(23, 9);
    expect(decodeRgbaPng(filteredPng(pixels, 23, 9, [filter]))).toEqual({ pixels, width: 23, height: 9 });
  });

  it('undoes a mix of filters, one per row', () => {
    const pixels = picture(31, 17);
    expect(decodeRgbaPng(filteredPng(pixels, 31, 17, [4, 1, 0, 3, 2, 4, 4, 1]))?.pixels).toEqual(pixels);
  });

  it('answers null for what it does not read rather than guessing', () => {
    expect(decodeRgbaPng(new Uint8Array([1, 2, 3]))).toBeNull();
    const gray = new Uint8Array(encodeRgbaPng(picture(4, 4), 4, 4));
    gray[25] = 0; // colour type: grayscale
    expect(decodeRgbaPng(gray)).toBeNull();
    expect(decodeRgbaPng(filteredPng(picture(4, 4), 4, 4, [5]))).toBeNull(); // no such filter
  });
});
