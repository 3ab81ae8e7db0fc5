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

const tool = (name: string, ...args: string[]) => spawnSync(name, args, { encoding: 'utf8' });

describe('a rendered certificate, signed with the university key', () => {
  let dir: string;
  let signer: PdfSigner;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-signed-cert-'));
    signer = createPdfSigner((await loadSigningKeys(loadConfig({ DATA_DIR: path.join(dir, 'data') }), { commonName: 'Hokushin Institute of Technology', keySize: 2048 }))!.keys);
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
});
