import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrMatrix, qrOperators } from '../../service/adapters/pdf/qr.js';

const PAYLOAD = 'https://shomei.example.ac.jp/verify#v1.C2026-000123.eyJhIjoiYiJ9.c2lnbmF0dXJl';

describe('QR code as one vector path', () => {
  it('turns every dark module of the symbol into exactly one run cell', () => {
    const { modules } = QRCode.create([{ data: Buffer.from(PAYLOAD, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
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

  it('draws one white square and every dark run as one rectangle of a single filled path', () => {
    const content = qrOperators(PAYLOAD, 400, 40, 90);
    expect(content.match(/ re$/gm)?.length).toBe(qrMatrix(PAYLOAD).runs.length + 1); // + the white background
    expect(content.match(/^f$/gm)?.length).toBe(2); // the background, then all dark runs at once
    expect(content.startsWith('q\n')).toBe(true);
    expect(content.trimEnd().endsWith('\nQ')).toBe(true);
    expect(content).not.toMatch(/\bDo\b|\bBI\b/); // no image
  });
});
