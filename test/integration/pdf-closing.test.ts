/**
 * The end of a certificate as a reader sees it in poppler's renders: the uploaded seal pressed over
 * the end of the officer's name, the graduation date's label, and transcripts that use one page
 * when everything fits. Renders are kept in artifacts/pdf/.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PDF_ARTIFACTS, pdfWorkspace } from '../support/pdf-workspace.js';
import { FOOTER_TOP, H, MARGIN, W } from '../../service/adapters/pdf/page-drawing.js';
import type { CertificateDocument, CertificateKind } from '../../service/domain/certificates/document.js';
import type { Language } from '../../service/domain/model.js';
import { sampleCertificateDocument, sampleSeal, sampleTranscriptRows } from '../support/certificate-documents.js';
import { findPixels, lowestInk, overlaps, pageCount, pageText, rasterize, textLines, tool } from '../support/poppler.js';

const ARTIFACTS = PDF_ARTIFACTS;
const LANGUAGES: Language[] = ['ja', 'en'];
/** Seal ink: clearly red, unlike the black text, grey rules and the black QR code. */
const isRed = (r: number, g: number, b: number) => r > 150 && g < 110 && b < 110;
const MM = 72 / 25.4;

const pdfs = pdfWorkspace('pdf-closing');
const renderToFile = (doc: CertificateDocument, name: string) => pdfs.render(doc, name);

/** A page in colour at 144 dpi for measuring; kept as a PNG artifact at 72 dpi for people. */
function colourPage(file: string, page: number, artifact: string) {
  const out = pdfs.file(artifact);
  tool('pdftoppm', ['-png', '-r', '72', '-f', String(page), '-l', String(page), '-singlefile', file, out]);
  copyFileSync(`${out}.png`, path.join(ARTIFACTS, `${artifact}.png`));
  return rasterize(file, { page, dpi: 144, color: true, out });
}

/** Where the officer's name is printed (the text line ending with it; spaces ignored). */
function officerName(file: string, page: number, doc: CertificateDocument) {
  const name = doc.issuer.officerName.replace(/\s+/g, '');
  const line = textLines(file, page).find((l) => l.text.replace(/\s+/g, '').endsWith(name));
  expect(line, `no line with "${name}" on page ${page}`).toBeDefined();
  return line!;
}

const withSeal = (doc: CertificateDocument, seal: CertificateDocument['issuer']['seal']): CertificateDocument => ({ ...doc, issuer: { ...doc.issuer, seal } });

describe('the seal (公印) on certificates', () => {
  const cases: [CertificateKind, Language][] = [
    ['enrollment', 'ja'],
    ['enrollment', 'en'],
    ['graduation', 'ja'],
    ['transcript', 'ja'],
    ['transcript', 'en'],
  ];
  it.each(cases)('%s in %s: the uploaded seal is printed over the end of the officer name, about 21 mm square', async (kind, language) => {
    const doc = sampleCertificateDocument(kind, language, 40);
    const file = await renderToFile(doc, `seal-${kind}-${language}`);
    const last = pageCount(file);
    const red = findPixels(colourPage(file, last, `seal-${kind}-${language}-p${last}`), isRed);
    expect(red.count).toBeGreaterThan(2000);
    const seal = red.box!;
    // Square, between 20 and 24 mm.
    expect(seal.width).toBeGreaterThan(20 * MM);
    expect(seal.width).toBeLessThan(24 * MM);
    expect(Math.abs(seal.width - seal.height)).toBeLessThan(1.5);

    const name = officerName(file, last, doc).box;
    expect(overlaps(seal, name)).toBe(true);
    // Over the end of the name: the seal covers its last character, not its beginning.
    expect(seal.x).toBeGreaterThan(name.x + name.width / 2);
    expect(seal.x).toBeLessThan(name.x + name.width);
    // Inside the page's margins, above the footer.
    expect(seal.x + seal.width).toBeLessThanOrEqual(W - MARGIN + 1);
    expect(seal.y + seal.height).toBeLessThan(H - FOOTER_TOP);

    // Only the last page of a transcript carries it.
    for (let p = 1; p < last; p += 1) expect(findPixels(rasterize(file, { page: p, dpi: 36, color: true, out: pdfs.file(`p${p}`) }), isRed).count).toBe(0);
  });

  it('keeps the aspect ratio of a seal that is not square', async () => {
    const doc = withSeal(sampleCertificateDocument('enrollment', 'ja'), sampleSeal(300, 150));
    const file = await renderToFile(doc, 'seal-wide');
    const seal = findPixels(colourPage(file, 1, 'seal-wide-ja'), isRed).box!;
    expect(seal.width / seal.height).toBeCloseTo(2, 1);
    expect(overlaps(seal, officerName(file, 1, doc).box)).toBe(true);
  });

  it.each(LANGUAGES)('in %s prints neither a box nor the word 公印 when no seal was uploaded', async (language) => {
    for (const kind of ['enrollment', 'transcript'] as const) {
      const doc = withSeal(sampleCertificateDocument(kind, language, 10), null);
      const file = await renderToFile(doc, `noseal-${kind}-${language}`);
      expect(findPixels(colourPage(file, 1, `noseal-${kind}-${language}`), isRed).count).toBe(0);
      const text = tool('pdftotext', [file, '-']);
      expect(text).not.toContain('公印');
      expect(text).not.toContain('SEAL');
      expect(text).toContain(doc.issuer.officerTitle);
      expect(text).toContain(doc.issuer.officerName);
    }
  });

  it('signs the footer with the verification code as /verify asks for it', async () => {
    const ja = tool('pdftotext', ['-layout', await renderToFile(sampleCertificateDocument('enrollment', 'ja'), 'code-ja'), '-']);
    expect(ja).toContain('照合コード: K7QF3-MZP8X');
    expect(ja).not.toContain('確認コード');
    const en = tool('pdftotext', ['-layout', await renderToFile(sampleCertificateDocument('enrollment', 'en'), 'code-en'), '-']);
    expect(en).toContain('Verification Code: K7QF3-MZP8X');
  });
});

describe('the graduation date on certificates', () => {
  const label = (text: string, language: Language) =>
    language === 'ja'
      ? { graduated: /卒業年月日/.test(text), expected: /卒業見込年月日/.test(text) }
      : { graduated: /(?<!Expected )Date of Graduation/.test(text), expected: /Expected Date of Graduation/.test(text) };

  it.each(LANGUAGES)('in %s says "graduated on" on a graduate\'s transcript and "expected" on an enrolled student\'s', async (language) => {
    const base = sampleCertificateDocument('transcript', language, 10);
    const graduated = tool('pdftotext', [
      await renderToFile({ ...base, dates: { ...base.dates, graduation: { date: '2026-03-25', expected: false } } }, `grad-${language}`),
      '-',
    ]);
    expect(label(graduated, language)).toEqual({ graduated: true, expected: false });
    expect(graduated).toContain(language === 'ja' ? '2026年3月25日' : 'March 25, 2026');
    const enrolled = tool('pdftotext', [await renderToFile(base, `expected-${language}`), '-']);
    expect(label(enrolled, language)).toEqual({ graduated: false, expected: true });
  });

  it.each(LANGUAGES)('in %s says graduated on the graduation certificate and expected on the expected-graduation one', async (language) => {
    const graduation = tool('pdftotext', [await renderToFile(sampleCertificateDocument('graduation', language), `graduation-${language}`), '-']);
    expect(label(graduation, language)).toEqual({ graduated: true, expected: false });
    const expected = tool('pdftotext', [await renderToFile(sampleCertificateDocument('expectedGraduation', language), `expgrad-${language}`), '-']);
    expect(label(expected, language)).toEqual({ graduated: false, expected: true });
  });
});

describe('transcript page breaks', () => {
  /** A transcript of `count` courses whose titles fit on one line. */
  function transcript(language: Language, count: number): CertificateDocument {
    const doc = sampleCertificateDocument('transcript', language, count);
    const rows = sampleTranscriptRows(count, language).map((r) => ({ ...r, title: language === 'ja' ? '情報科学概論' : 'Linear Algebra I' }));
    return { ...doc, transcript: { rows, totals: doc.transcript!.totals } };
  }
  const codesOn = (file: string, page: number) => [...pageText(file, page).matchAll(/CS\d{4}/g)].map((m) => m[0]);
  const footerRule = H - (FOOTER_TOP - 8);

  it.each(LANGUAGES)('in %s uses one page while the courses and the closing fit, and a full first page before breaking', async (language) => {
    // 16 courses (a typical third-year student) with the holder block and closing: one page.
    expect(pageCount(await renderToFile(transcript(language, 16), `t16-${language}`))).toBe(1);

    let fits = 16;
    while (pageCount(await renderToFile(transcript(language, fits + 1), `t${fits + 1}-${language}`)) === 1) fits += 1;
    const full = pdfs.file(`t${fits}-${language}.pdf`);
    const over = pdfs.file(`t${fits + 1}-${language}.pdf`);
    tool('pdftoppm', ['-png', '-r', '60', '-singlefile', full, path.join(ARTIFACTS, `transcript-fits-${fits}-${language}`)]);

    // On the fullest one-page transcript nothing reaches the footer, and less than a row of space
    // is left: one course more really needs a second page.
    const rows = textLines(full, 1)
      .filter((l) => /^CS\d{4}/.test(l.text))
      .map((l) => l.box.y);
    const rowHeight = rows[1]! - rows[0]!;
    const top = 120;
    const lowest =
      top + lowestInk(rasterize(full, { box: { x: MARGIN, y: top, width: W - 2 * MARGIN, height: footerRule - 3 - top }, dpi: 144, out: pdfs.file('lowest') }));
    const left = footerRule - lowest;
    expect(left).toBeGreaterThan(4);
    expect(left).toBeLessThan(rowHeight + 12);

    // One course more: two pages, every course once, in order, none split; the last course goes
    // with the totals and the seal so the closing never stands alone.
    expect(pageCount(over)).toBe(2);
    const first = codesOn(over, 1);
    const second = codesOn(over, 2);
    expect([...first, ...second]).toEqual(transcript(language, fits + 1).transcript!.rows.map((r) => r.courseCode));
    expect(second).toEqual([`CS${1001 + fits}`]);
    expect(pageText(over, 2)).toContain(language === 'ja' ? '修得単位数合計' : 'Total Credits Earned');
    for (const n of [fits - 4, fits - 1]) expect(pageCount(await renderToFile(transcript(language, n), `t${n}b-${language}`))).toBe(1);
  });
});
