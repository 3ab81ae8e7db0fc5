/**
 * QR codes drawn as vector rectangles (no bitmap): `qrcode` computes the module matrix, and each
 * horizontal run of dark modules becomes one filled rectangle.
 */
import QRCode from 'qrcode';
import { rgb, type PDFPage } from 'pdf-lib';

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
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
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
 * Draws the QR code for `text` with its lower-left corner at (x, y), `side` points wide including
 * a 4-module white quiet zone.
 */
export function drawQrCode(page: PDFPage, text: string, x: number, y: number, side: number): void {
  const { size, runs } = qrMatrix(text);
  const unit = side / (size + 8);
  page.drawRectangle({ x, y, width: side, height: side, color: rgb(1, 1, 1) });
  for (const run of runs) {
    page.drawRectangle({
      x: x + (4 + run.col) * unit,
      // PDF y grows upwards; QR rows grow downwards. Overlap a hair to avoid seams when rasterised.
      y: y + side - (4 + run.row + 1) * unit,
      width: run.length * unit + 0.01,
      height: unit + 0.01,
      color: rgb(0, 0, 0),
    });
  }
}
