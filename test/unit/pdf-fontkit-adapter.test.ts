import * as fontkit from 'fontkit';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { certificateFonts } from '../../service/adapters/pdf/fonts.js';
import { fontkitAdapter, parseFont } from '../../service/adapters/pdf/fontkit-adapter.js';

/** Kanji, kana, full-width punctuation and Latin as they appear on certificates. */
const SAMPLE =
  '在学証明書卒業見込成績学割証 上記の者は、本学に在学していることを証明する。氏名 山田花子 髙橋﨑 生年月日 2004年4月2日 ' +
  '学籍番号 理工学部情報工学科 学長 佐藤健一 公印 照合コード 真正性の確認（続き）「」・ー Certificate of Enrollment GPA 3.21 ①Ⅱ';

type Fk2Glyph = { id: number; advanceWidth: number; path: { commands: unknown[] } };
type Adapted = {
  layout(text: string): { glyphs: Fk2Glyph[] };
  createSubset(): {
    includeGlyph(glyph: Fk2Glyph): number;
    encodeStream(): { on(event: string, fn: (arg?: unknown) => void): unknown };
  };
};

function encodeViaStream(subset: ReturnType<Adapted['createSubset']>): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    const s = subset.encodeStream();
    s.on('data', (b) => parts.push(b as Uint8Array));
    s.on('error', (e) => reject(e as Error));
    s.on('end', () => resolve(Buffer.concat(parts)));
  });
}

describe('fontkit 2 adapter for pdf-lib', () => {
  it('reads the font files once and parses each font once per process', () => {
    const a = certificateFonts();
    const b = certificateFonts();
    expect(a.regular).toBe(b.regular);
    expect(a.bold).toBe(b.bold);
    expect(fontkitAdapter.create(a.regular)).toBe(fontkitAdapter.create(a.regular));
    expect(parseFont(a.bold)).not.toBe(parseFont(a.regular));
  });

  it('keeps every glyph when subsetting Noto Sans JP: same outline and advance as in the full font', async () => {
    for (const bytes of Object.values(certificateFonts())) {
      const font = fontkitAdapter.create(bytes) as unknown as Adapted;
      const glyphs = font.layout(SAMPLE).glyphs;
      const subset = font.createSubset();
      const newIds = glyphs.map((g) => subset.includeGlyph(g));
      const encoded = await encodeViaStream(subset);
      const parsed = fontkit.create(Buffer.from(encoded)) as unknown as { getGlyph(id: number): Fk2Glyph; numGlyphs: number };
      expect(parsed.numGlyphs).toBe(new Set(glyphs.map((g) => g.id)).size + 1);
      glyphs.forEach((g, i) => {
        const copy = parsed.getGlyph(newIds[i]!);
        expect(copy.advanceWidth).toBe(g.advanceWidth);
        expect(copy.path.commands.length).toBe(g.path.commands.length);
      });
      // No glyph with an outline in the full font comes out empty in the subset.
      const blanks = glyphs.filter((g, i) => parsed.getGlyph(newIds[i]!).path.commands.length === 0 && g.path.commands.length > 0);
      expect(blanks).toEqual([]);
    }
  });

  it('lets pdf-lib embed the font as a subset and save a document', async () => {
    const pdf = await PDFDocument.create();
    pdf.registerFontkit(fontkitAdapter);
    const font = await pdf.embedFont(certificateFonts().regular, { subset: true });
    pdf.addPage().drawText('在学証明書 Certificate', { font, size: 12, x: 50, y: 700 });
    const bytes = await pdf.save();
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.length).toBeLessThan(200_000); // a subset, not the 5 MB font
  });
});
