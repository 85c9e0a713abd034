import type { ApiInput, ItemRow } from '../../../shared/api.js';
import { call } from '../platform/custos.js';
import { type Pages, usePages } from './use-pages.js';

export { PAGE_BLOCK } from './use-pages.js';

/** The list's query, without the paging. */
export type ItemQuery = Omit<ApiInput<'queryItems'>, 'offset' | 'limit'>;

/** The evidence list's rows, fetched a block at a time as they scroll into view. */
export type ItemPages = Pages<ItemRow>;

/**
 * Pages through a case's items in blocks (`usePages`); a new query or `version` (after a capture
 * or import) starts again from the top.
 */
export function useItemPages(query: ItemQuery, version: number): ItemPages {
  return usePages(JSON.stringify([query, version]), (offset, limit, signal) =>
    call('queryItems', { ...query, offset, limit }, { signal }),
  );
}
