/**
 * Image normalisation over resvg (WebAssembly: no native module, so it runs in the kiosk's bundled
 * service too). resvg renders SVG without scripts and without fetching anything; a PNG is
 * decoded by drawing it into an SVG, so both kinds of upload leave as one 8-bit RGBA PNG.
 * Runs in a short-lived worker (resvg-normalizer.ts): see there why.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { ImageDecodeError, type ImageNormalizer } from '../../domain/institution/ports.js';
import { certificateFonts } from '../pdf/fonts.js';
import { encodeRgbaPng, readPngHeader } from './png.js';

/** Larger PNGs are refused before decoding: a small file can claim huge dimensions, and decoding takes width × height × 4 bytes. */
const MAX_SOURCE_SIDE = 4000;

let ready: Promise<void> | null = null;
function loadResvg(): Promise<void> {
  ready ??= readFile(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')).then((wasm) => initWasm(wasm));
  return ready;
}

function render(svg: string, zoomTo: (width: number, height: number) => number, withFonts: boolean) {
  const fonts = withFonts
    ? { fontBuffers: [certificateFonts().regular, certificateFonts().bold], defaultFontFamily: 'Noto Sans JP', loadSystemFonts: false }
    : { loadSystemFonts: false };
  // The size comes from the SVG's own attributes, not its text: the probe loads no fonts.
  const probe = new Resvg(svg, { font: { loadSystemFonts: false } });
  const zoom = zoomTo(probe.width, probe.height);
  probe.free();
  const resvg = new Resvg(svg, { font: fonts, fitTo: { mode: 'zoom', value: zoom } });
  try {
    const image = resvg.render();
    const out = { pixels: new Uint8Array(image.pixels), width: image.width, height: image.height };
    image.free();
    return out;
  } finally {
    resvg.free();
  }
}

export const resvgNormalizeHere: ImageNormalizer = {
  async normalize({ bytes, type, maxSide, whiteToTransparent }) {
    await loadResvg();
    let rendered: { pixels: Uint8Array; width: number; height: number };
    try {
      if (type === 'image/svg+xml') {
        const svg = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        // Vector: always drawn at the stored size.
        rendered = render(svg, (w, h) => maxSide / Math.max(w, h), true);
      } else {
        const header = readPngHeader(bytes);
        if (!header) throw new ImageDecodeError('not a complete PNG');
        if (Math.max(header.width, header.height) > MAX_SOURCE_SIDE) throw new ImageDecodeError(`PNG of ${header.width}×${header.height} pixels`);
        const href = `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${header.width}" height="${header.height}"><image width="${header.width}" height="${header.height}" href="${href}"/></svg>`;
        // Raster: scaled down when larger, never up.
        rendered = render(svg, (w, h) => Math.min(1, maxSide / Math.max(w, h)), false);
      }
    } catch (err) {
      if (err instanceof ImageDecodeError) throw err;
      throw new ImageDecodeError(err instanceof Error ? err.message : String(err));
    }
    const { pixels, width, height } = rendered;
    let visiblePixels = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (whiteToTransparent) {
        // Near-white becomes transparent, with a soft edge from 200 to 235 so anti-aliasing stays smooth.
        const light = Math.min(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!);
        if (light >= 235) pixels[i + 3] = 0;
        else if (light > 200) pixels[i + 3] = Math.round((pixels[i + 3]! * (235 - light)) / 35);
      }
      if (pixels[i + 3]! > 16) visiblePixels += 1;
    }
    return { png: encodeRgbaPng(pixels, width, height), width, height, visiblePixels };
  },
};
