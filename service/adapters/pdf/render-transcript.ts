/**
 * Transcripts: the holder block in two columns, the course table whose header repeats on every
 * page (rows never split across pages), and on the last page the totals, body and closing.
 */
import type { TranscriptRow } from '../../domain/certificates/document.js';
import type { Language } from '../../domain/model.js';
import { paginateRows } from './layout-pages.js';
import { wrapText } from './layout-text.js';
import {
  centred,
  closingBlock,
  drawFrame,
  drawTitle,
  FOOTER_TOP,
  H,
  holderFields,
  MARGIN,
  measurer,
  MUTED,
  rightAligned,
  RULE,
  text,
  W,
  type Block,
  type Ctx,
} from './page-drawing.js';

export const TABLE_X = MARGIN;
export const TRANSCRIPT_GRID_TOP = 170;
const TABLE_W = W - 2 * MARGIN;
const ROW_SIZE = 9.5;
const ROW_LINE = 12.5;
const ROW_PAD = 4;
const HEADER_ROW = 20;
const BODY_SIZE = 11;
const BODY_LINE = 17;
const BODY_GAP = 4;

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

/**
 * The holder block's two columns: who (name, student ID, faculty, department) on the left, dates on
 * the right; widths per language so the longest date label (卒業見込年月日 / Expected Date of
 * Graduation) stays on one line and the left values get the room.
 */
const GRID: Record<Language, { leftLabel: number; rightLabel: number; right: number }> = {
  ja: { leftLabel: 78, rightLabel: 78, right: 170 },
  en: { leftLabel: 72, rightLabel: 124, right: 222 },
};
export const holderValueX = (language: Language): number => TABLE_X + GRID[language].leftLabel;

/** The transcript's holder block: labels and values wrapped in their cells, rows as tall as their longer cell. */
function holderGrid(ctx: Ctx): Block {
  const { doc, fonts, labels } = ctx;
  const grid = GRID[doc.language];
  const dateLabels = new Set([labels.birthDate, labels.enrollmentDate, labels.graduationDate, labels.expectedGraduationDate, labels.validUntil]);
  const columns = [
    { x: TABLE_X, labelW: grid.leftLabel, width: TABLE_W - grid.right, fields: [] as [string, string][] },
    { x: TABLE_X + TABLE_W - grid.right, labelW: grid.rightLabel, width: grid.right, fields: [] as [string, string][] },
  ];
  for (const field of holderFields(ctx)) columns[dateLabels.has(field[0]) ? 1 : 0]!.fields.push(field);
  // A delivered transcript names its recipient under the holder (no room under its title); long names wrap in the cell.
  if (doc.digitalDelivery) columns[0]!.fields.push([labels.delivery.submittedTo, doc.digitalDelivery.submittedTo]);
  const LINE = 12.5;
  const cells = columns.map((col) =>
    col.fields.map(([label, value]) => {
      const isName = label === labels.name;
      const font = isName ? fonts.bold : fonts.regular;
      const size = isName ? 11 : 9.5;
      return {
        label: wrapText(label, col.labelW - 8, measurer(fonts.regular, 8.5)),
        value: wrapText(value, col.width - col.labelW - 10, measurer(font, size)),
        font,
        size,
      };
    }),
  );
  const rowHeights = Array.from({ length: Math.max(...cells.map((c) => c.length)) }, (_, r) => {
    const lines = Math.max(...cells.map((c) => (c[r] ? Math.max(c[r].label.length, c[r].value.length) : 0)));
    return lines * LINE + 5;
  });
  return {
    height: rowHeights.reduce((a, b) => a + b, 0),
    draw(page, top) {
      let y = top;
      rowHeights.forEach((h, r) => {
        columns.forEach((col, c) => {
          const cell = cells[c]![r];
          if (!cell) return;
          cell.label.forEach((l, i) => text(page, l, col.x, y - i * LINE, fonts.regular, 8.5, MUTED));
          cell.value.forEach((l, i) => text(page, l, col.x + col.labelW, y - i * LINE, cell.font, cell.size));
        });
        y -= h;
      });
    },
  };
}

export function renderTranscript(ctx: Ctx): void {
  const { doc, fonts, labels } = ctx;
  const rows = doc.transcript?.rows ?? [];
  const measure = measurer(fonts.regular, ROW_SIZE);
  const cells = rows.map((row) => COLUMNS.map((c) => wrapText(cellText(row, c.key), c.width - 8, measure)));
  const heights = cells.map((c) => Math.max(...c.map((l) => l.length)) * ROW_LINE + ROW_PAD);

  const closing = transcriptClosing(ctx);
  const grid = holderGrid(ctx);
  const firstTableTop = H - TRANSCRIPT_GRID_TOP - grid.height - 14;
  const laterTableTop = H - 165;
  const bottom = FOOTER_TOP;
  const pages = paginateRows(heights, {
    firstPage: firstTableTop - HEADER_ROW - bottom,
    otherPages: laterTableTop - HEADER_ROW - bottom,
    closing: closing.height,
  });

  pages.forEach((indices, p) => {
    const page = ctx.addPage();
    drawFrame(ctx, page, p + 1, pages.length);
    let tableTop: number;
    if (p === 0) {
      drawTitle(ctx, page, doc.title, H - 138, 24);
      grid.draw(page, H - TRANSCRIPT_GRID_TOP);
      tableTop = firstTableTop;
    } else {
      centred(page, doc.title + labels.continued, H - 130, fonts.bold, 14);
      const who = `${labels.name}: ${doc.language === 'ja' ? doc.holder.nameKanji : doc.holder.nameRoman}    ${labels.studentId}: ${doc.studentId}`;
      centred(page, who, H - 150, fonts.regular, 9.5, MUTED);
      tableTop = laterTableTop;
    }

    // Header row (repeated on every page).
    page.rectangle({ x: TABLE_X, y: tableTop - HEADER_ROW, width: TABLE_W, height: HEADER_ROW }, { fill: [0.9, 0.91, 0.94], border: RULE, borderWidth: 0.6 });
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
      page.line({ x: TABLE_X, y }, { x: TABLE_X + TABLE_W, y }, 0.3, MUTED);
    }
    // Column rules.
    x = TABLE_X;
    for (const col of [...COLUMNS, null]) {
      page.line({ x, y: tableTop }, { x, y }, 0.4, RULE);
      if (col) x += col.width;
    }
    page.line({ x: TABLE_X, y }, { x: TABLE_X + TABLE_W, y }, 0.8, RULE);

    if (p === pages.length - 1) closing.draw(page, y);
  });
}

/** Below the last row: the totals, the body paragraphs, then the closing block with the seal. */
function transcriptClosing(ctx: Ctx): Block {
  const { doc, fonts, labels } = ctx;
  const bodyLines = doc.body.map((p) => wrapText(p, TABLE_W - 40, measurer(fonts.regular, BODY_SIZE)));
  const bodyHeight = bodyLines.reduce((s, lines) => s + lines.length * BODY_LINE + BODY_GAP, 0);
  const signature = closingBlock(ctx, { compact: true });
  const TOTALS = 18;
  const BODY_TOP = 40;
  // The date's line sits a little more than a line below the body's last.
  const signatureTop = BODY_TOP + bodyHeight - BODY_LINE;
  return {
    height: signatureTop + signature.height,
    draw(page, top) {
      const totals = doc.transcript?.totals;
      if (totals) {
        const line = totals.gpa === null ? labels.totalCredits(totals.credits) : `${labels.totalCredits(totals.credits)}　　${labels.gpa(totals.gpa)}`;
        rightAligned(page, line, TABLE_X + TABLE_W, top - TOTALS, fonts.bold, 11);
      }
      let y = top - BODY_TOP;
      for (const lines of bodyLines) {
        lines.forEach((l, i) => text(page, l, TABLE_X + 20, y - i * BODY_LINE, fonts.regular, BODY_SIZE));
        y -= lines.length * BODY_LINE + BODY_GAP;
      }
      signature.draw(page, top - signatureTop);
    },
  };
}
