import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { certificateFonts, certificateFontSources } from '../../service/adapters/pdf/fonts.js';

describe('TrueType subsets cut from Noto Sans JP', () => {
  it('hold every glyph asked for, outline and advance as in the full font, renumbered in order', () => {
    const source = certificateFontSources().regular;
    const full = fontkit.create(Buffer.from(certificateFonts().regular)) as fontkit.Font;
    const glyphs = source.shape('𠮷髙﨑 山田 Office fi');
    const ids = [0, ...new Set(glyphs.map((g) => g.id))];
    const subset = fontkit.create(Buffer.from(source.subset(ids.slice()))) as fontkit.Font;
    expect(subset.numGlyphs).toBeGreaterThanOrEqual(ids.length);
    ids.forEach((id, i) => {
      expect(subset.getGlyph(i).path.toSVG()).toBe(full.getGlyph(id).path.toSVG());
      expect(subset.getGlyph(i).advanceWidth).toBe(full.getGlyph(id).advanceWidth);
    });
    // The ligature: "fi" is one glyph, as pdf-lib shaped it.
    expect(glyphs.find((g) => g.text === 'fi')).toBeDefined();
  });

  it('leaves the font file itself untouched (the seal normaliser reads the same bytes)', () => {
    const bytes = certificateFonts().regular;
    const before = Buffer.from(bytes);
    const source = certificateFontSources().regular;
    source.subset([0, ...source.shape('証明書').map((g) => g.id)]);
    expect(Buffer.from(bytes).equals(before)).toBe(true);
  });
});
