/**
 * Transcripts: the holder block in two columns, the course table whose header repeats on every
 * page (rows never split across pages), and on the last page the totals, body and closing.
 */
import { rgb, type PDFPage } from 'pdf-lib';
import type { TranscriptRow } from '../../domain/certificates/document.js';
import { paginateRows } from './layout-pages.js';
import { wrapText } from './layout-text.js';
import { centred, CLOSING_HEIGHT, drawClosing, drawFrame, drawTitle, FOOTER_TOP, H, holderFields, MARGIN, measurer, MUTED, rightAligned, RULE, text, W, type Ctx } from './page-drawing.js';

export const TABLE_X = MARGIN;
export const TRANSCRIPT_GRID_TOP = 182;
const TABLE_W = W - 2 * MARGIN;
const ROW_SIZE = 9.5;
const ROW_LINE = 12.5;
const ROW_PAD = 5;
const HEADER_ROW = 20;

interface Column {
  key: 'code' | 'title' | 'term' | 'credits' | 'grade';
  width: number;
  align: 'left' | 'center';
}
const COLUMNS: Column[] = [
  { key: 'code', width: 72, align: 'left' },
  { key: 'title', width: TABLE_W - 72 - 86 - 50 - 50, align: 'left' },
  { key: 'term', width: 86, align: 'left' },
  { key: 'credits', width: 50, align: 'center' },
  { key: 'grade', width: 50, align: 'center' },
];
const cellText = (row: TranscriptRow, key: Column['key']): string =>
  key === 'code' ? row.courseCode : key === 'title' ? row.title : key === 'term' ? row.term : key === 'credits' ? String(row.credits) : row.grade;

/** The transcript's holder block: fields in two columns, labels and values wrapped in their cells. */
function holderGrid(ctx: Ctx): { height: number; draw: (page: PDFPage, top: number) => void } {
  const { doc, fonts } = ctx;
  const fields = holderFields(ctx);
  const colW = TABLE_W / 2;
  const labelW = doc.language === 'ja' ? 78 : 100; // keep in step with holderNamePosition
  const LINE = 12.5;
  const cells = fields.map(([label, value], i) => {
    const font = i === 0 ? fonts.bold : fonts.regular;
    const size = i === 0 ? 11 : 9.5;
    return {
      label: wrapText(label, labelW - 8, measurer(fonts.regular, 8.5)),
      value: wrapText(value, colW - labelW - 10, measurer(font, size)),
      font,
      size,
    };
  });
  const rowHeights: number[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    const lines = Math.max(...cells.slice(i, i + 2).map((c) => Math.max(c.label.length, c.value.length)));
    rowHeights.push(lines * LINE + 5);
  }
  return {
    height: rowHeights.reduce((a, b) => a + b, 0),
    draw(page, top) {
      let y = top;
      rowHeights.forEach((h, r) => {
        for (let c = 0; c < 2; c += 1) {
          const cell = cells[r * 2 + c];
          if (!cell) continue;
          const x = TABLE_X + c * colW;
          cell.label.forEach((l, i) => text(page, l, x, y - i * LINE, fonts.regular, 8.5, MUTED));
          cell.value.forEach((l, i) => text(page, l, x + labelW, y - i * LINE, cell.font, cell.size));
        }
        y -= h;
      });
    },
  };
}

export function renderTranscript(ctx: Ctx): void {
  const { doc, pdf, fonts, labels } = ctx;
  const rows = doc.transcript?.rows ?? [];
  const measure = measurer(fonts.regular, ROW_SIZE);
  const cells = rows.map((row) => COLUMNS.map((c) => wrapText(cellText(row, c.key), c.width - 8, measure)));
  const heights = cells.map((c) => Math.max(...c.map((l) => l.length)) * ROW_LINE + ROW_PAD);

  // Closing block: totals, body paragraphs, issue date and president.
  const bodyWidth = TABLE_W - 40;
  const bodyLines = doc.body.map((p) => wrapText(p, bodyWidth, measurer(fonts.regular, 11)));
  const closingHeight = 40 + bodyLines.reduce((s, l) => s + l.length * 18 + 6, 0) + CLOSING_HEIGHT;

  const grid = holderGrid(ctx);
  const firstTableTop = H - TRANSCRIPT_GRID_TOP - grid.height - 14;
  const laterTableTop = H - 165;
  const bottom = FOOTER_TOP + 6;
  const pages = paginateRows(heights, {
    firstPage: firstTableTop - HEADER_ROW - bottom,
    otherPages: laterTableTop - HEADER_ROW - bottom,
    closing: closingHeight,
  });

  pages.forEach((indices, p) => {
    const page = pdf.addPage([W, H]);
    drawFrame(ctx, page, p + 1, pages.length);
    let tableTop: number;
    if (p === 0) {
      drawTitle(ctx, page, doc.title, H - 150, 24);
      grid.draw(page, H - TRANSCRIPT_GRID_TOP);
      tableTop = firstTableTop;
    } else {
      centred(page, doc.title + labels.continued, H - 130, fonts.bold, 14);
      const who = `${labels.name}: ${doc.language === 'ja' ? doc.holder.nameKanji : doc.holder.nameRoman}    ${labels.studentId}: ${doc.studentId}`;
      centred(page, who, H - 150, fonts.regular, 9.5, MUTED);
      tableTop = laterTableTop;
    }

    // Header row (repeated on every page).
    page.drawRectangle({ x: TABLE_X, y: tableTop - HEADER_ROW, width: TABLE_W, height: HEADER_ROW, color: rgb(0.9, 0.91, 0.94), borderColor: RULE, borderWidth: 0.6 });
    let x = TABLE_X;
    for (const col of COLUMNS) {
      const label = labels.columns[col.key];
      const lx = col.align === 'center' ? x + (col.width - fonts.bold.widthOfTextAtSize(label, 9)) / 2 : x + 4;
      text(page, label, lx, tableTop - HEADER_ROW + 6.5, fonts.bold, 9);
      x += col.width;
    }

    let y = tableTop - HEADER_ROW;
    for (const r of indices) {
      const h = heights[r]!;
      x = TABLE_X;
      COLUMNS.forEach((col, c) => {
        cells[r]![c]!.forEach((line, i) => {
          const lx = col.align === 'center' ? x + (col.width - measure(line)) / 2 : x + 4;
          text(page, line, lx, y - ROW_LINE * (i + 1) + 2, fonts.regular, ROW_SIZE);
        });
        x += col.width;
      });
      y -= h;
      page.drawLine({ start: { x: TABLE_X, y }, end: { x: TABLE_X + TABLE_W, y }, thickness: 0.3, color: MUTED });
    }
    // Column rules.
    x = TABLE_X;
    for (const col of [...COLUMNS, null]) {
      page.drawLine({ start: { x, y: tableTop }, end: { x, y }, thickness: 0.4, color: RULE });
      if (col) x += col.width;
    }
    page.drawLine({ start: { x: TABLE_X, y }, end: { x: TABLE_X + TABLE_W, y }, thickness: 0.8, color: RULE });

    if (p === pages.length - 1) {
      const totals = doc.transcript?.totals;
      let cy = y - 22;
      if (totals) {
        const line = totals.gpa === null ? labels.totalCredits(totals.credits) : `${labels.totalCredits(totals.credits)}　　${labels.gpa(totals.gpa)}`;
        rightAligned(page, line, TABLE_X + TABLE_W, cy, fonts.bold, 11);
      }
      cy -= 28;
      for (const lines of bodyLines) {
        lines.forEach((l, i) => text(page, l, TABLE_X + 20, cy - i * 18, fonts.regular, 11));
        cy -= lines.length * 18 + 6;
      }
      drawClosing(ctx, page, cy + 6);
    }
  });
}
