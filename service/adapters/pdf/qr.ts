/**
 * QR codes drawn as vectors (no bitmap): `qrcode` computes the module matrix, each horizontal run of
 * dark modules becomes one rectangle, and all of them are one path filled once (one pdf-lib
 * drawRectangle per run was most of a page's cost).
 */
import QRCode from 'qrcode';
import { num } from './pdf-writer.js';

/** Dark-module runs of a QR symbol: row, first column, length (module units). */
export interface QrRun {
  row: number;
  col: number;
  length: number;
}

export interface QrMatrix {
  /** Modules per side (without the quiet zone). */
  size: number;
  runs: QrRun[];
}

/** Encodes `text` (error correction M) and returns its dark-module runs row by row. */
export function qrMatrix(text: string): QrMatrix {
  // One byte-mode segment: qrcode's search for the shortest mix of modes (a graph search per code)
  // cost more than the rest of the page, and URLs with lower-case letters are byte mode anyway.
  const { modules } = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const runs: QrRun[] = [];
  for (let row = 0; row < size; row += 1) {
    let col = 0;
    while (col < size) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < size && modules.get(row, col)) col += 1;
      runs.push({ row, col: start, length: col - start });
    }
  }
  return { size, runs };
}

/**
 * The content-stream operators drawing the QR code for `text` with its lower-left corner at (x, y),
 * `side` points wide including a 4-module white quiet zone: a white square, then every dark run as
 * one rectangle of a single black path. Balanced in q/Q so it can follow any other content.
 */
export function qrOperators(text: string, x: number, y: number, side: number): string {
  const { size, runs } = qrMatrix(text);
  const unit = side / (size + 8);
  const parts = ['q', '1 1 1 rg', `${num(x)} ${num(y)} ${num(side)} ${num(side)} re`, 'f', '0 0 0 rg'];
  for (const run of runs) {
    // PDF y grows upwards; QR rows grow downwards. Overlap a hair to avoid seams when rasterised.
    const rx = x + (4 + run.col) * unit;
    const ry = y + side - (4 + run.row + 1) * unit;
    parts.push(`${num(rx)} ${num(ry)} ${num(run.length * unit + 0.01)} ${num(unit + 0.01)} re`);
  }
  parts.push('f', 'Q', '');
  return parts.join('\n');
}
