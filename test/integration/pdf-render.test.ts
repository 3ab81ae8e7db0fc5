/**
 * Certificate PDFs checked with poppler (pdftotext, pdffonts, pdfinfo, pdftoppm): every kind in ja
 * and en. The renders are kept in artifacts/pdf/ (PNG, 60 dpi) for people to look at.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PDF_ARTIFACTS, pdfWorkspace } from '../support/pdf-workspace.js';
import { holderNamePosition, renderCertificatePdf } from '../../service/adapters/pdf/render-certificate.js';
import type { CertificateDocument } from '../../service/domain/certificates/document.js';
import type { Language } from '../../service/domain/model.js';
import { CERTIFICATE_KINDS, sampleCertificateDocument } from '../support/certificate-documents.js';
import { darkCount, pageCount, rasterize, tool, type Box } from '../support/poppler.js';

const ARTIFACTS = PDF_ARTIFACTS;
const LANGUAGES: Language[] = ['ja', 'en'];
const CJK = /[\u3000-\u30FF\u4E00-\u9FFF\uFF00-\uFFEF]/u;

const pdfs = pdfWorkspace('pdf-render');
const renderToFile = (doc: CertificateDocument, name: string) => pdfs.render(doc, name);

/** Dark pixels in a region of page 1. */
const darkPixels = (file: string, box: Box) => darkCount(rasterize(file, { box, dpi: 50, out: pdfs.file(`crop-${path.basename(file, '.pdf')}`) }));

function nameBox(doc: CertificateDocument) {
  const pos = holderNamePosition(doc);
  return { x: pos.x - 2, y: pos.baselineFromTop - pos.size * 1.1, width: pos.size * 7, height: pos.size * 1.5 };
}

describe.each(CERTIFICATE_KINDS)('certificate PDF: %s', (kind) => {
  it.each(LANGUAGES)('in %s carries the holder, number and code as text, an embedded subset font, and renders every page', async (language) => {
    const doc = sampleCertificateDocument(kind, language);
    const file = await renderToFile(doc, `${kind}-${language}`);

    const text = tool('pdftotext', ['-layout', file, '-']);
    expect(text).toContain(language === 'ja' ? doc.holder.nameKanji : doc.holder.nameRoman);
    expect(text).toContain(doc.certificateNumber);
    expect(text).toContain(doc.verificationCode);
    // Short Japanese titles are letter-spaced (在 学 証 明 書), so compare without spaces.
    expect(text.replace(/\s+/g, '')).toContain(doc.title.replace(/\s+/g, ''));
    expect(text).toContain(language === 'ja' ? '2026年11月24日' : 'November 24, 2026');
    if (language === 'en') expect(text).not.toMatch(CJK); // English versions entirely in English

    // The template's fonts (fixed text), and the document's own for glyphs only it uses.
    const fonts = tool('pdffonts', [file])
      .split('\n')
      .filter((l) => l.includes('+NotoSansJP'));
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    expect(fonts.length).toBeLessThanOrEqual(4);
    for (const line of fonts) expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);

    const pages = pageCount(file);
    const prefix = pdfs.file(`png-${kind}-${language}`);
    tool('pdftoppm', ['-r', '60', '-png', file, prefix]);
    const pngs = readdirSync(pdfs.dir)
      .filter((f) => f.startsWith(`png-${kind}-${language}-`) && f.endsWith('.png'))
      .sort();
    expect(pngs.length).toBe(pages);
    for (const [i, png] of pngs.entries()) copyFileSync(pdfs.file(png), path.join(ARTIFACTS, `${kind}-${language}-${i + 1}.png`));
  });

  it.each(LANGUAGES)("in %s really draws the holder's name (the glyphs are not blank when rendered)", async (language) => {
    const doc = sampleCertificateDocument(kind, language);
    const withName = await renderToFile(doc, `name-${kind}-${language}`);
    const nameless = await renderToFile({ ...doc, holder: { ...doc.holder, nameKanji: '', nameRoman: '' } }, `noname-${kind}-${language}`);
    expect(darkPixels(nameless, nameBox(doc))).toBe(0);
    expect(darkPixels(withName, nameBox(doc))).toBeGreaterThan(20);
  });
});

describe('certificate PDF: general properties', () => {
  it('draws rarely used kanji too: every character of a long name leaves ink', async () => {
    const base = sampleCertificateDocument('enrollment', 'ja');
    const names = ['髙橋', '﨑', '齋藤', '邊', '鷗外', '曾', '榊', '凜'];
    for (const [i, name] of names.entries()) {
      const doc = { ...base, holder: { ...base.holder, nameKanji: name } };
      const file = await renderToFile(doc, `kanji-${i}`);
      expect(tool('pdftotext', [file, '-'])).toContain(name);
      expect(darkPixels(file, nameBox(doc))).toBeGreaterThan(8 * Array.from(name).length);
    }
  });

  it('lists 60 courses over several pages with the table header and page number on each, totals on the last', async () => {
    for (const language of LANGUAGES) {
      const doc = sampleCertificateDocument('transcript', language, 60);
      const file = await renderToFile(doc, `transcript60-${language}`);
      const pages = pageCount(file);
      expect(pages).toBeGreaterThanOrEqual(2);
      const header = language === 'ja' ? '授業科目名' : 'Course Title';
      const totals = language === 'ja' ? '修得単位数合計' : 'Total Credits Earned';
      const seen = new Set<string>();
      for (let p = 1; p <= pages; p += 1) {
        const text = tool('pdftotext', ['-layout', '-f', String(p), '-l', String(p), file, '-']);
        expect(text).toContain(header);
        expect(text).toMatch(new RegExp(`(^|\\s)${p}\\s*/\\s*${pages}(\\s|$)`)); // "1 / 3"
        expect(text).toContain(doc.verificationCode);
        expect(text.includes(totals)).toBe(p === pages);
        for (const m of text.matchAll(/CS\d{4}/g)) seen.add(m[0]);
      }
      expect(seen.size).toBe(60);
    }
  });

  it('writes the metadata: title, author (university), producer Shomei, creation date from the issue date', async () => {
    const doc = sampleCertificateDocument('graduation', 'en');
    const info = tool('pdfinfo', ['-isodates', await renderToFile(doc, 'meta')]);
    expect(info).toMatch(/^Title:\s+Certificate of Graduation/m);
    expect(info).toMatch(/^Author:\s+Tohto International University$/m);
    expect(info).toMatch(/^Producer:\s+Shomei$/m);
    expect(info).toMatch(/^CreationDate:\s+2026-11-24T00:00:00/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);
  });

  it('gives the same bytes for the same input', async () => {
    const doc = sampleCertificateDocument('transcript', 'ja', 25);
    expect(Buffer.from(await renderCertificatePdf(doc)).equals(Buffer.from(await renderCertificatePdf(doc)))).toBe(true);
  });

  it('produces a PDF that poppler reads without complaint', async () => {
    const file = await renderToFile(sampleCertificateDocument('studentDiscount', 'ja'), 'clean');
    const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
