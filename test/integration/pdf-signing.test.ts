import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../service/config.js';
import { createPdfSigner, PdfSignatureFieldError, type PdfSigner } from '../../service/adapters/pdf/signing.js';
import { loadSigningKeys } from '../../service/adapters/pdf/signing-keys.js';

let dir: string;
let signer: PdfSigner;
const info = {
  reason: 'Certificate issued by Hokushin Institute of Technology',
  location: 'Tokyo, Japan',
  contactInfo: 'registrar@example.ac.jp',
  signingTime: new Date(),
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-pdf-signing-'));
  // The demo path: generated into DATA_DIR on first use.
  signer = createPdfSigner(
    (await loadSigningKeys(loadConfig({ DATA_DIR: path.join(dir, 'data') }), { commonName: 'Hokushin Institute of Technology', keySize: 2048 }))!.keys,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A one-page PDF whose content stream is left uncompressed, so a test can change one letter of it. */
async function simplePdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595.28, 841.89]);
  page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(`BT /F1 18 Tf 72 760 Td (${text}) Tj ET`)));
  return doc.save();
}

function run(tool: string, file: string) {
  const r = spawnSync(tool, [file], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

describe('a PDF signed with the university key', () => {
  it('is reported valid by pdfsig, naming the signer, and pdfinfo reads it without errors', async () => {
    const file = write('signed.pdf', await signer.sign(await simplePdf('Certificate of Enrollment'), info));
    const sig = run('pdfsig', file);
    expect(sig.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(sig.stdout).toContain('Signer Certificate Common Name: Hokushin Institute of Technology');
    expect(sig.stdout).toContain('Signature Type: ETSI.CAdES.detached');
    expect(sig.stdout).toContain('Signing Hash Algorithm: SHA-256');
    expect(sig.stdout).toContain('Total document signed');
    const pdfinfo = run('pdfinfo', file);
    expect(pdfinfo.status).toBe(0);
    expect(pdfinfo.stderr).toBe('');
    expect(run('pdftotext', file).status).toBe(0);
    expect(spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout).toContain('Certificate of Enrollment');
  });

  it('is reported invalid by pdfsig once one letter of the page text is changed', async () => {
    const signed = Buffer.from(await signer.sign(await simplePdf('Certificate of Enrollment'), info));
    const at = signed.indexOf('(Certificate of Enrollment)');
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(signed);
    tampered.write('Enrollmant', at + '(Certificate of '.length, 'latin1');
    const file = write('tampered.pdf', tampered);
    // Still a well-formed PDF showing the changed text …
    expect(spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout).toContain('Certificate of Enrollmant');
    // … whose signature no longer matches.
    const sig = run('pdfsig', file);
    expect(sig.stdout).not.toContain('Signature is Valid.');
    expect(sig.stdout).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
  });

  it('is reported invalid when a byte after the signature is changed', async () => {
    const signed = Buffer.from(await signer.sign(await simplePdf('Certificate of Enrollment'), info));
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('/Location (Tokyo, Japan)') + '/Location ('.length;
    tampered.write('T0kyo', at, 'latin1');
    const sig = run('pdfsig', write('tampered-after.pdf', tampered));
    expect(sig.stdout).not.toContain('Signature is Valid.');
  });

  it('signs twenty documents with one signer instance, each valid', async () => {
    const signed = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => signer.sign(await simplePdf(`Certificate No. ${i + 1}`), { ...info, signingTime: new Date() })),
    );
    for (const [i, pdf] of signed.entries()) {
      const sig = run('pdfsig', write(`many-${i}.pdf`, pdf));
      expect(sig.stdout, `document ${i + 1}`).toContain('Signature is Valid.');
    }
  });

  it('refuses a Japanese reason rather than producing a corrupt PDF', async () => {
    await expect(signer.sign(await simplePdf('Certificate of Enrollment'), { ...info, reason: '在学証明書の発行' })).rejects.toBeInstanceOf(
      PdfSignatureFieldError,
    );
  });
});
