import { cachedStatement, type ReadableDB } from '../store/database.js';

/**
 * The first and last document (rowid) of a case in the search index; nulls when it has none. Two
 * statements: SQLite answers a lone min() or max() with one step of `search_documents_by_case`,
 * but both in one statement with a walk through all of the case's entries.
 */
export function documentRange(db: ReadableDB, caseId: string): { first: number | null; last: number | null } {
  const end = (which: 'min' | 'max') =>
    cachedStatement(db, `SELECT ${which}(id) FROM search_documents WHERE case_id = ?`).pluck().get(caseId) as
      | number
      | null;
  return { first: end('min'), last: end('max') };
}

/**
 * A rowid as FTS5 takes it for a bound (`search_index.rowid BETWEEN …`, `<=`): an integer.
 * better-sqlite3 binds every JavaScript number as a REAL, and FTS5 ignores a REAL rowid bound:
 * it read the word's whole doclist, SQLite dropping the rows outside (9.6 ms to count a word's
 * 500 matches in the bench store's small case, past the big case's 100,000, against 0.6 ms).
 */
export function rowidBound(rowid: number): bigint {
  return BigInt(rowid);
}

/** How a query of the full-text index is kept to one case, or to none (every case). */
export interface CaseRange {
  /** Added to the `WHERE` of the match: the case's rowid range, or nothing. */
  readonly range: string;
  /** Its bounds, `@first` and `@last` (integers: `rowidBound`); none for every case. */
  readonly params: Readonly<Record<string, bigint>>;
}

/**
 * The rowid range of a case's documents (`caseId`), which FTS5 applies inside its doclists, or
 * nothing for every case (null). Each case's documents are numbered in a block of their own
 * (migration 019, `case-blocks.ts`), so the range holds no other case's: nothing is checked or
 * dropped afterwards. A case without documents has an empty range (no match).
 */
export function caseRange(db: ReadableDB, caseId: string | null): CaseRange {
  if (!caseId) return { range: '', params: {} };
  const { first, last } = documentRange(db, caseId);
  return {
    range: 'AND search_index.rowid BETWEEN @first AND @last',
    params: { first: rowidBound(first ?? 0), last: rowidBound(last ?? -1) },
  };
}
