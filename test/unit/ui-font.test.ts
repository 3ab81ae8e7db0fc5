import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { firstPageCharacters, subsetFont } from '../../renderer/ui-font.js';

const require = createRequire(import.meta.url);
const srcDir = fileURLToPath(new URL('../../renderer/src/', import.meta.url));
const fontFile = require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf');

describe("the first page's font (renderer/ui-font.ts)", () => {
  const codes = firstPageCharacters(srcDir);
  const { data, covered } = subsetFont(fontFile, codes);
  const original = fontkit.create(readFileSync(fontFile)) as fontkit.Font;
  const subset = fontkit.create(data) as fontkit.Font;

  it("covers the login page's texts and ASCII", () => {
    for (const ch of 'ログイン卒業生の方メールアドレス第2パスワード証明書発行サービスLANG:日本語abcXYZ09@') {
      expect(covered, ch).toContain(ch.codePointAt(0));
    }
  });

  it('draws every covered character exactly as the full font does, with the same advance', () => {
    for (const code of covered) {
      const want = original.glyphForCodePoint(code);
      const got = subset.glyphForCodePoint(code);
      expect(got.id, String.fromCodePoint(code)).not.toBe(0);
      expect(got.path.toSVG(), String.fromCodePoint(code)).toBe(want.path.toSVG());
      expect(got.advanceWidth).toBe(want.advanceWidth);
    }
  });

  it('has what browsers require of a font file, and nothing for characters it does not cover', () => {
    for (const table of ['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'glyf', 'loca']) {
      expect(Object.keys((subset as unknown as { directory: { tables: object } }).directory.tables), table).toContain(table);
    }
    expect(subset.familyName).toBe('Noto Sans JP');
    // Left to the full font's unicode-range slices: rare kanji of names.
    for (const ch of ['𠮷', '髙', '﨑']) expect(subset.glyphForCodePoint(ch.codePointAt(0)!).id).toBe(0);
  });
});
