/**
 * The certificate fonts: Noto Sans JP Regular and Bold (static TrueType, SIL OFL 1.1 — embedding
 * allowed; see resources/fonts/README.md) from the npm package @expo-google-fonts/noto-sans-jp.
 * The files are read once per process; the same byte arrays are handed to pdf-lib every time so
 * fontkit-adapter.ts parses each font once per process too.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseFont } from './fontkit-adapter.js';

export type FontWeight = 'regular' | 'bold';

const require = createRequire(import.meta.url);
const FILES: Record<FontWeight, string> = {
  regular: '400Regular/NotoSansJP_400Regular.ttf',
  bold: '700Bold/NotoSansJP_700Bold.ttf',
};

let cache: Record<FontWeight, Uint8Array> | null = null;

/** Absolute path of the package's font file for a weight. */
export function fontPath(weight: FontWeight): string {
  const pkg = path.dirname(require.resolve('@expo-google-fonts/noto-sans-jp/package.json'));
  return path.join(pkg, FILES[weight]);
}

/** The font files' bytes (read and parsed on first call, then shared). */
export function certificateFonts(): Record<FontWeight, Uint8Array> {
  if (!cache) {
    const regular = new Uint8Array(readFileSync(fontPath('regular')));
    const bold = new Uint8Array(readFileSync(fontPath('bold')));
    parseFont(regular);
    parseFont(bold);
    cache = { regular, bold };
  }
  return cache;
}
