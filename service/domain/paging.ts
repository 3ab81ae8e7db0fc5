/**
 * Paged lists (search results, queues, the audit log): how many items a page has when the caller
 * says nothing, and at most. Stores receive the page already bounded by `pageWindow`.
 */

export const PAGE_DEFAULT_LIMIT = 50;
export const PAGE_MAX_LIMIT = 200;

export interface PageRequest {
  offset?: number;
  limit?: number;
}

/** The page to read: offset ≥ 0 (default 0), 1 ≤ limit ≤ PAGE_MAX_LIMIT (default PAGE_DEFAULT_LIMIT); fractions round down. */
export function pageWindow(request: PageRequest): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(request.offset ?? 0) || 0);
  const limit = Math.min(PAGE_MAX_LIMIT, Math.max(1, Math.floor(request.limit ?? PAGE_DEFAULT_LIMIT) || PAGE_DEFAULT_LIMIT));
  return { offset, limit };
}
