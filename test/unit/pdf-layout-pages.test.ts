import { describe, expect, it } from 'vitest';
import { paginateRows } from '../../service/adapters/pdf/layout-pages.js';

const rows = (n: number, h = 10) => Array.from({ length: n }, () => h);
const flat = (pages: number[][]) => pages.flat();

describe('transcript page breaking', () => {
  it('puts everything on one page when rows and the closing block fit', () => {
    expect(paginateRows(rows(5), { firstPage: 100, otherPages: 150, closing: 40 })).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('fills the first page, then later pages, never splitting or reordering rows', () => {
    const pages = paginateRows(rows(30), { firstPage: 100, otherPages: 150, closing: 20 });
    expect(pages.map((p) => p.length)).toEqual([10, 15, 5]);
    expect(flat(pages)).toEqual([...Array(30).keys()]);
  });

  it('moves the final row to a new page with the closing block when the closing does not fit below it', () => {
    // 10 rows fill the first page exactly; no room left for the closing.
    const pages = paginateRows(rows(10), { firstPage: 100, otherPages: 150, closing: 40 });
    expect(pages).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8], [9]]);
  });

  it('gives the closing block a page of its own when the only row cannot move', () => {
    expect(paginateRows([100], { firstPage: 100, otherPages: 150, closing: 40 })).toEqual([[0], []]);
  });

  it('returns one page for a transcript without courses', () => {
    expect(paginateRows([], { firstPage: 100, otherPages: 150, closing: 40 })).toEqual([[]]);
  });

  it('handles rows of different heights (wrapped titles)', () => {
    const heights = [10, 30, 10, 30, 10, 30];
    const pages = paginateRows(heights, { firstPage: 50, otherPages: 60, closing: 10 });
    expect(flat(pages)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const [p, page] of pages.entries()) {
      const used = page.reduce((s, i) => s + heights[i]!, 0);
      expect(used).toBeLessThanOrEqual(p === 0 ? 50 : 60);
    }
    const last = pages[pages.length - 1]!;
    expect((pages.length === 1 ? 50 : 60) - last.reduce((s, i) => s + heights[i]!, 0)).toBeGreaterThanOrEqual(10);
  });

  it('keeps an oversized row on a page of its own instead of looping', () => {
    const pages = paginateRows([10, 500, 10], { firstPage: 100, otherPages: 150, closing: 20 });
    expect(flat(pages)).toEqual([0, 1, 2]);
  });

  it('around the boundary: one page exactly while rows and closing fit, then the last row moves over with the closing', () => {
    const space = { firstPage: 300, otherPages: 400, closing: 95 };
    for (let n = 1; n <= 30; n += 1) {
      const pages = paginateRows(rows(n), space);
      expect(flat(pages)).toEqual([...Array(n).keys()]);
      if (n * 10 + 95 <= 300) expect(pages).toEqual([[...Array(n).keys()]]);
      else expect(pages).toEqual([[...Array(n - 1).keys()], [n - 1]]);
    }
  });
});
