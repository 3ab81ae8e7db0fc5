/**
 * The certificate fonts: Noto Sans JP Regular and Bold (static TrueType, SIL OFL 1.1 — embedding
 * allowed; see resources/fonts/README.md) from the npm package @expo-google-fonts/noto-sans-jp.
 * The files are read and parsed once per process (certificates and the seal normaliser share them).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TrueTypeSource } from './ttf-subset.js';

export type FontWeight = 'regular' | 'bold';

const require = createRequire(import.meta.url);
const FILES: Record<FontWeight, string> = {
  regular: '400Regular/NotoSansJP_400Regular.ttf',
  bold: '700Bold/NotoSansJP_700Bold.ttf',
};

let cache: Record<FontWeight, Uint8Array> | null = null;
let sources: Record<FontWeight, TrueTypeSource> | null = null;

/** Absolute path of the package's font file for a weight. */
export function fontPath(weight: FontWeight): string {
  const pkg = path.dirname(require.resolve('@expo-google-fonts/noto-sans-jp/package.json'));
  return path.join(pkg, FILES[weight]);
}

/** The font files' bytes (read on first call, then shared). */
export function certificateFonts(): Record<FontWeight, Uint8Array> {
  // The Buffers as read (files this large get memory of their own, never Node's shared pool): no copy.
  if (!cache) cache = { regular: readFileSync(fontPath('regular')), bold: readFileSync(fontPath('bold')) };
  return cache;
}

/** The fonts parsed for shaping and subsetting (on first call, then shared). */
export function certificateFontSources(): Record<FontWeight, TrueTypeSource> {
  if (!sources) {
    const bytes = certificateFonts();
    sources = { regular: new TrueTypeSource(bytes.regular), bold: new TrueTypeSource(bytes.bold) };
  }
  return sources;
}
