/** Pure page-breaking for the transcript table (unit-tested without pdf-lib). */

export interface PaginationSpace {
  /** Vertical space for table rows on the first page (below the holder block and table header). */
  firstPage: number;
  /** Vertical space for rows on every later page (below the repeated table header). */
  otherPages: number;
  /** Space the closing block (totals, issue date, president and seal) needs after the last row. */
  closing: number;
}

/**
 * Splits rows (given by their heights) into pages: rows fill each page in order; a row is never
 * split; the closing block must fit below the last row of the last page, otherwise the final
 * row moves to a new page with it (or, if that cannot fit, the closing gets a page of its own). Returns the row indices per page; always at least one page.
 */
export function paginateRows(heights: readonly number[], space: PaginationSpace): number[][] {
  const pages: number[][] = [[]];
  let left = space.firstPage;
  heights.forEach((h, i) => {
    const page = pages[pages.length - 1]!;
    if (h > left && page.length > 0) {
      pages.push([i]);
      left = space.otherPages - h;
    } else {
      page.push(i);
      left -= h;
    }
  });
  // Make room for the closing block on the last page: carry the final row over with it (so the
  // closing never stands alone when a row can keep it company), or else give it a page of its own.
  const capacity = pages.length === 1 ? space.firstPage : space.otherPages;
  const last = pages[pages.length - 1]!;
  const used = last.reduce((s, i) => s + heights[i]!, 0);
  if (capacity - used < space.closing) {
    const tail = last[last.length - 1];
    if (last.length > 1 && tail !== undefined && heights[tail]! + space.closing <= space.otherPages) {
      last.pop();
      pages.push([tail]);
    } else {
      pages.push([]);
    }
  }
  return pages;
}
