import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { drawQrCode, qrMatrix } from '../../service/adapters/pdf/qr.js';

const PAYLOAD = 'https://shomei.example.ac.jp/verify#v1.C2026-000123.eyJhIjoiYiJ9.c2lnbmF0dXJl';

describe('QR code as one vector path', () => {
  it('turns every dark module of the symbol into exactly one run cell', () => {
    const { modules } = QRCode.create(PAYLOAD, { errorCorrectionLevel: 'M' });
    const { size, runs } = qrMatrix(PAYLOAD);
    expect(size).toBe(modules.size);
    const covered = new Set<string>();
    for (const r of runs) for (let c = r.col; c < r.col + r.length; c += 1) covered.add(`${r.row},${c}`);
    let dark = 0;
    for (let row = 0; row < size; row += 1) {
      for (let col = 0; col < size; col += 1) {
        const isDark = Boolean(modules.get(row, col));
        if (isDark) dark += 1;
        expect(covered.has(`${row},${col}`)).toBe(isDark);
      }
    }
    expect(covered.size).toBe(dark);
  });

  it('starts with the finder pattern: a run of seven dark modules in the top-left corner', () => {
    const { runs } = qrMatrix(PAYLOAD);
    expect(runs[0]).toEqual({ row: 0, col: 0, length: 7 });
  });

  it('encodes different payloads differently', () => {
    expect(qrMatrix('a')).not.toEqual(qrMatrix('b'));
  });

  it('draws vectors only: no image is added to the page', async () => {
    const pdf = await PDFDocument.create();
    const page = pdf.addPage();
    drawQrCode(page, PAYLOAD, 400, 40, 90);
    const raw = Buffer.from(await pdf.save({ useObjectStreams: false }));
    expect(raw.toString('latin1')).not.toContain('/Image');
    // Inflate the page's content stream and count the filled paths.
    const text = raw.toString('latin1');
    const start = text.indexOf('stream\n') + 'stream\n'.length;
    const content = inflateSync(raw.subarray(start, text.indexOf('endstream', start))).toString('latin1');
    expect(content.match(/ re$/gm)?.length).toBe(qrMatrix(PAYLOAD).runs.length + 1); // + the white background
    expect(content.match(/^f$/gm)?.length).toBe(2); // the background, then every dark run as one path
  });
});
