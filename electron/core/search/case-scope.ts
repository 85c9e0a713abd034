/**
 * Keeping a full-text query to one case. FTS5 reads a word's doclist within a range of rowids,
 * and each case's documents lie in one: `BETWEEN` its first and last goes to FTS5. Another case's
 * documents can lie in that range too: cases captured into by turns, or an old item's document
 * written again (a note or a tag added to it) past a later case's. Those are dropped in one of
 * two ways:
 *
 * - few of them (at most `FOREIGN_OVERFETCH_MAX`), in a ranking: the query takes that many rows
 *   more from the range and drops the other cases' among them afterwards. At most that many of
 *   the rows taken are another case's, so the rows kept are exactly the case's best-ranked, each
 *   checked once instead of every match;
 * - many, or matches taken in the index's order (a count, the first matches: `inIndexOrder`):
 *   each match is checked for its case as FTS5 finds it (`CASE_JOIN`).
 *
 * Checking every match cost about 0.4 µs each: 7 of the 25 ms that ranking two words found on
 * 17,455 pages of a 100,000-page case took when 500 pages of a small case lay in its range.
 */
import type { ReadableDB } from '../store/database.js';
import { documentRange, rowidBound } from './case-documents.js';

/**
 * Other cases' documents in a case's range up to which a query takes that many rows more and
 * drops them afterwards. Ranking keeps its best rows in SQLite's sorter: taking up to this many
 * more keeps the sorter within twice the list's 2,000, which costs less than checking each of
 * thousands of matches; past it, each match is checked. Measured on a 30,000-page case (load
 * 3.2-4.3, medians of 41): with 1,500-2,000 rows taken more, the best 20 of 15,623 matches took
 * 27.5-29.4 ms against 34.2 ms checking each, of 6,492 matches 15.6-16.2 against 16.1 ms (even),
 * and the best 2,000 of 1,595 matches 7.0 against 5.9 ms (all of them sorted again): the gain
 * grows with the matches per document taken past, which a lower bound would give up first.
 */
export const FOREIGN_OVERFETCH_MAX = 2_000;

/**
 * Keeps a case's documents only; `search_documents_by_case` answers it without reading their
 * text. CROSS JOIN keeps the index's matches the outer loop: the other way round, FTS5 would be
 * asked once per document of the case, each time working out BM25's statistics anew (seconds).
 */
const CASE_JOIN = `CROSS JOIN search_documents d INDEXED BY search_documents_by_case
  ON d.case_id = @caseId AND d.id = search_index.rowid`;

/** The rowid range of the case's documents, which FTS5 applies inside its doclists. */
const IN_CASE_RANGE = 'AND search_index.rowid BETWEEN @first AND @last';

/** Whether the row `m.doc` (a document found in the case's range) is the case's own. */
const OWN_DOCUMENT = `EXISTS (SELECT 1 FROM search_documents d INDEXED BY search_documents_by_case
  WHERE d.case_id = @caseId AND d.id = m.doc)`;

/** How a query of the full-text index is kept to one case, or to none (every case). */
export interface CaseScope {
  /** Joined after `FROM search_index`: a check of each match's case, or nothing. */
  readonly join: string;
  /** Added to the `WHERE` of the match: the case's rowid range, or nothing. */
  readonly range: string;
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * How many other cases' documents lie in the range, when they are dropped after the query
   * (`ownRows`); null when there is no case or each match is checked (`join`).
   */
  readonly foreign: number | null;
}

/**
 * The scope of a query in one case (`caseId`) or all (null). The query must run in the same read
 * transaction: the count of other cases' documents holds for this state of the index only (a
 * reindex writes every document again, another case's among them in the range).
 */
export function caseScope(db: ReadableDB, caseId: string | null): CaseScope {
  if (!caseId) return { join: '', range: '', params: { caseId }, foreign: null };
  const own = documentRange(db, caseId);
  const first = own.first ?? 0;
  const last = own.last ?? -1;
  const params = { caseId, first: rowidBound(first), last: rowidBound(last) };
  const foreign = foreignDocumentsWithin(db, caseId, first, last, FOREIGN_OVERFETCH_MAX + 1);
  return foreign > FOREIGN_OVERFETCH_MAX
    ? { join: CASE_JOIN, range: IN_CASE_RANGE, params, foreign: null }
    : { join: '', range: IN_CASE_RANGE, params, foreign };
}

/**
 * The scope of matches taken in the index's order (a count, the first matches). There taking more
 * rows saves no check: every row up to the last one kept is checked either way, and dropping
 * afterwards passes each row twice (a count of 10,001 of 15,623 matches with 1,500 other documents
 * in the range, load 2.9: 6.5 ms against 5.3 ms with each match checked); so another case's
 * documents in the range mean each match is checked.
 */
export function inIndexOrder(scope: CaseScope): CaseScope {
  return scope.foreign ? { ...scope, join: CASE_JOIN, foreign: null } : scope;
}

/**
 * How many documents of other cases lie between `first` and `last`, counted up to `atMost`. One
 * statement: each other case is one seek of `search_documents_by_case` (its entries within the
 * range, nothing read for the rest). (Asking each case for its range first, two statements a case
 * prepared and run from JavaScript, cost 5-12 ms a search with 300 cases.)
 */
function foreignDocumentsWithin(
  db: ReadableDB,
  caseId: string,
  first: number,
  last: number,
  atMost: number,
): number {
  if (last < first) return 0;
  return db
    .prepare(
      `SELECT count(*) FROM (SELECT 1 FROM cases c
         CROSS JOIN search_documents d INDEXED BY search_documents_by_case
           ON d.case_id = c.id AND d.id BETWEEN @first AND @last
         WHERE c.id <> @caseId LIMIT @atMost)`,
    )
    .pluck()
    .get({ caseId, first, last, atMost }) as number;
}

/**
 * A query of matches in the scope cut to a page of the case's own: `limit` of them from `offset`.
 * `select` is the query without its order and limit, its rows carrying the document as `doc`;
 * `order` orders them by their columns' names (a ranking's order). When other cases'
 * documents are dropped afterwards, `select` is taken `foreign` rows further, the others' dropped
 * and `order` applied again to what is kept; otherwise it is cut as it is. Returns the statement
 * and the parameters it adds (named `own…`, clear of a caller's own).
 */
export function ownRows(
  scope: CaseScope,
  select: string,
  order: string,
  page: Readonly<{ offset?: number; limit: number }>,
): { readonly sql: string; readonly params: Readonly<Record<string, unknown>> } {
  const offset = page.offset ?? 0;
  const params = { ownLimit: page.limit, ownOffset: offset };
  const cut = `${order} LIMIT @ownLimit OFFSET @ownOffset`;
  if (!scope.foreign) return { sql: `${select} ${cut}`, params };
  return {
    sql: `SELECT m.* FROM (${select} ${order} LIMIT @ownScan) AS m WHERE ${OWN_DOCUMENT} ${cut}`,
    params: { ...params, ownScan: offset + page.limit + scope.foreign },
  };
}
