/** The columns of the full-text index and what a match in each weighs when ranking. */

/** The index's columns, as FTS5 and the ranking weights know them. */
export const SEARCH_COLUMNS = ['title', 'url', 'body', 'notes', 'tags'] as const;

/** One column of the index. */
export type SearchColumn = (typeof SEARCH_COLUMNS)[number];

/** BM25 weight of a match in each column: a title weighs most, then tags, notes, the address, the text. */
export const COLUMN_WEIGHTS: Readonly<Record<SearchColumn, number>> = {
  title: 8,
  url: 2,
  body: 1,
  notes: 4,
  tags: 6,
};

/** The weights as `bm25()` takes them, in the columns' order. */
export const BM25_WEIGHTS = SEARCH_COLUMNS.map((column) => COLUMN_WEIGHTS[column].toFixed(1)).join(', ');
