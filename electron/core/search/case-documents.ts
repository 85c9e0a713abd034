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
