import type { ReadableDB } from '../store/database.js';

/**
 * The first and last document (rowid) of a case in the search index; nulls when it has none. Two
 * statements: SQLite answers a lone min() or max() with one step of `search_documents_by_case`,
 * but both in one statement with a walk through all of the case's entries.
 */
export function documentRange(db: ReadableDB, caseId: string): { first: number | null; last: number | null } {
  const end = (which: 'min' | 'max') =>
    db.prepare(`SELECT ${which}(id) FROM search_documents WHERE case_id = ?`).pluck().get(caseId) as
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
