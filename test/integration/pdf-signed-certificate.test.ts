import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../service/adapters/pdf/render-certificate.js';
import { createPdfSigner, type PdfSigner } from '../../service/adapters/pdf/signing.js';
import { loadSigningKeys } from '../../service/adapters/pdf/signing-keys.js';
import { loadConfig } from '../../service/config.js';
import { sampleCertificateDocument } from '../support/certificate-documents.js';
import { rasterize } from '../support/poppler.js';
import { holderNamePosition } from '../../service/adapters/pdf/render-certificate.js';

const tool = (name: string, ...args: string[]) => spawnSync(name, args, { encoding: 'utf8' });

describe('a rendered certificate, signed with the university key', () => {
  let dir: string;
  let signer: PdfSigner;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-signed-cert-'));
    signer = createPdfSigner(
      (await loadSigningKeys(loadConfig({ DATA_DIR: path.join(dir, 'data') }), { commonName: 'Hokushin Institute of Technology', keySize: 2048 }))!.keys,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const language of ['ja', 'en'] as const) {
    it(`keeps its text and validates in pdfsig; any change breaks it (${language})`, async () => {
      const doc = sampleCertificateDocument('transcript', language, 40);
      const signed = await signer.sign(await renderCertificatePdf(doc), {
        reason: 'Certificate issued by Demo University',
        location: 'Japan',
        signingTime: new Date('2026-11-24T03:00:00Z'),
      });
      const file = path.join(dir, `transcript-${language}.pdf`);
      writeFileSync(file, signed);

      const sig = tool('pdfsig', file);
      expect(sig.stdout).toMatch(/Signature Validation: Signature is Valid\./);
      expect(tool('pdfinfo', file).stderr).toBe('');
      const text = tool('pdftotext', file, '-').stdout.replace(/\s+/g, '');
      expect(text).toContain(doc.certificateNumber.replace(/\s+/g, ''));
      expect(text).toContain((language === 'ja' ? doc.holder.nameKanji : doc.holder.nameRoman).replace(/\s+/g, ''));

      // Change one byte of the certificate number inside the signed range.
      const bytes = Buffer.from(readFileSync(file));
      const at = bytes.indexOf(Buffer.from('/Title'));
      expect(at).toBeGreaterThan(0);
      bytes[at + 8] = bytes[at + 8] === 0x41 ? 0x42 : 0x41;
      const tampered = path.join(dir, `tampered-${language}.pdf`);
      writeFileSync(tampered, bytes);
      expect(tool('pdfsig', tampered).stdout).not.toMatch(/Signature is Valid\./);
    });
  }

  it('is signed in the save that renders it, and draws rare kanji (𠮷, 髙, 﨑) as glyphs, not as empty boxes', async () => {
    const base = sampleCertificateDocument('enrollment', 'ja');
    const name = '𠮷髙﨑';
    const doc = { ...base, holder: { ...base.holder, nameKanji: name } };
    const slot = signer.slot({ reason: `Certificate ${doc.certificateNumber}`, location: 'Japan', signingTime: new Date('2026-11-24T03:00:00Z') });
    const rendered = await renderCertificatePdf(doc, slot);
    expect(rendered.toString('latin1').match(/\/Type \/Sig\b/g)?.length).toBe(1);
    const file = path.join(dir, 'one-save.pdf');
    writeFileSync(file, signer.fill(rendered, slot));

    expect(tool('pdfsig', file).stdout).toMatch(/Signature Validation: Signature is Valid\./);
    expect(tool('pdfinfo', file).stderr).toBe('');
    expect(tool('pdftotext', file, '-').stdout).toContain(name);

    // Each character's cell (the name is drawn full-width, one em per character) has ink, and the
    // three differ: a missing glyph would be drawn as the same .notdef box three times.
    const pos = holderNamePosition(doc);
    const cells = Array.from(name).map(
      (_, i) =>
        rasterize(file, {
          box: { x: pos.x + i * pos.size, y: pos.baselineFromTop - pos.size * 1.05, width: pos.size, height: pos.size * 1.3 },
          dpi: 144,
          out: path.join(dir, `kanji-${i}`),
        }).pixels,
    );
    for (const cell of cells) expect(cell.filter((v) => v < 128).length).toBeGreaterThan(40);
    const differ = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (Math.abs(v - b[i]!) > 64 ? 1 : 0), 0);
    expect(differ(cells[0]!, cells[1]!)).toBeGreaterThan(30);
    expect(differ(cells[1]!, cells[2]!)).toBeGreaterThan(30);
    expect(differ(cells[0]!, cells[2]!)).toBeGreaterThan(30);
  });
});
