/**
 * Searches the full-text index: ranked items (BM25, title and tags weighing most), in one case or
 * all, a page at a time, each with a snippet of its original text.
 *
 * Counting stops past `MATCH_CAP` matches (a walk through the index's doclists, no ranking), and
 * the page says so (`totalCapped`). Ranking always considers every match, so the hits are the
 * best-ranked of all of them, however old: a cap that kept the newest matches dropped an old
 * item that matched best behind thousands of newer ones that barely did. (A one-word query whose
 * word has an impact list reads its best from the list, which holds every match in rank order,
 * and so may a query of two such words, `impact-ranking.ts`; any other weighs each match.)
 */
import type { SearchHit, SearchPage } from '../../../shared/api.js';
import type { ItemKind } from '../../../shared/domain.js';
import { cachedStatement, type ReadableDB } from '../store/database.js';
import { caseRange, rowidBound } from './case-documents.js';
import { phoneRegions } from './identifiers.js';
import { bestByImpact, impactWords } from './impact-ranking.js';
import { BM25_WEIGHTS } from './search-columns.js';
import { type ParsedQuery, parseSearchQuery } from './search-query.js';
import { makeSnippet } from './snippet.js';
import { withWholeWords } from './whole-words.js';

/** BM25 weights of the columns title, url, body, notes, tags. */
const WEIGHTS = BM25_WEIGHTS;

/** Counting stops past this many matching items; only the best-ranked this many are listed. */
export const MATCH_CAP = 10_000;

/** What to search for and where. */
export interface SearchRequest {
  readonly query: string;
  /** Only this case (its id); all cases when absent. */
  readonly caseId?: string | null;
  readonly offset?: number;
  readonly limit?: number;
  /** Past this many matches, counting stops and only the best-ranked this many are listed (`MATCH_CAP`). */
  readonly cap?: number;
}

interface HitRow {
  doc: number;
  score: number;
  item_id: string;
  case_id: string;
  case_number: string;
  kind: ItemKind;
  item_title: string | null;
  item_url: string | null;
  source: string;
  captured_at: string;
  title: string;
  url: string;
  body: string;
  notes: string;
  tags: string;
}

/**
 * One page of ranked hits; bad input (with a message) for a query with nothing to search for. One
 * read transaction: the count, the impact lists' statistics and lists, the scores and the hits'
 * rows all see one state of the index, even while the `custos` command commits between its
 * statements (the list path alone is many statements).
 */
export function searchItems(db: ReadableDB, request: SearchRequest): SearchPage {
  return db.transaction(() => searchInOneState(db, request))();
}

function searchInOneState(db: ReadableDB, request: SearchRequest): SearchPage {
  const caseId = request.caseId ?? null;
  // Asked for as whole words where a prefix stands for one (the same matches, counted for less).
  const parsed = withWholeWords(
    db,
    parseSearchQuery(request.query, () => phoneRegions(db, caseId)),
  );
  const offset = request.offset ?? 0;
  const limit = request.limit ?? 20;
  const cap = request.cap ?? MATCH_CAP;
  const counted = countMatches(db, parsed.match, caseId, cap);
  const totalCapped = counted > cap;
  const total = Math.min(counted, cap);
  // The page never reaches past the cap: the hits listed are the best-ranked `cap` at most.
  const pageSize = Math.min(limit, total - offset);
  if (pageSize <= 0) return { query: request.query, total, totalCapped, offset, hits: [] };
  const ranked = rankedPage(db, parsed, caseId, { offset, limit: pageSize });
  const hits = ranked.flatMap(({ doc, score }, index) => {
    const row = documentRow(db, doc);
    return row ? [toHit({ ...row, score }, parsed, offset + index + 1)] : [];
  });
  return { query: request.query, total, totalCapped, offset, hits };
}

/**
 * How many documents match an FTS5 expression (in one case or all), counted up to `cap + 1` so
 * that a caller knows whether there are more than `cap`: FTS5 walks its doclists, nothing is ranked.
 */
export function countMatches(db: ReadableDB, match: string, caseId: string | null, cap: number): number {
  const first = firstMatches(db, match, caseId, cap + 1);
  return cachedStatement(db, `SELECT count(*) FROM (${first.sql})`).pluck().get(first.params) as number;
}

/** An SQL statement and its named parameters, to be used as a subquery. */
export interface Subquery {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * The documents that match an FTS5 expression (in one case or all), in the index's order, at
 * most `limit`: nothing is ranked (for a caller that keeps every match when they are few).
 */
export function matchingDocuments(
  db: ReadableDB,
  match: string,
  caseId: string | null,
  limit: number,
): number[] {
  const first = firstMatches(db, match, caseId, limit);
  return cachedStatement(db, first.sql).pluck().all(first.params) as number[];
}

/**
 * The first `limit` documents that match, in the index's order (in one case or all), as a
 * subquery of `doc`.
 */
function firstMatches(db: ReadableDB, match: string, caseId: string | null, limit: number): Subquery {
  const inCase = caseRange(db, caseId);
  return {
    sql: `SELECT search_index.rowid AS doc FROM search_index
       WHERE search_index MATCH @match ${inCase.range} LIMIT @firstLimit`,
    params: { match, ...inCase.params, firstLimit: limit },
  };
}

/** A subquery of the given documents (rowid `doc`), for a caller that found them first. */
export function documentsSubquery(docs: readonly number[]): Subquery {
  return { sql: 'SELECT value AS doc FROM json_each(@docs)', params: { docs: JSON.stringify(docs) } };
}

/** How the best matches were found: a word's impact lists, or every match weighed by BM25. */
export type Ranking = 'impact-lists' | 'every-match';

/**
 * A subquery of the `limit` documents (rowid `doc`) that match a query best (BM25, ties by index
 * order), in one case or all, and which way they were found (`ranking`). A one-word query whose
 * word has an impact list is read from the case's list (`impact-ranking.ts`: the same documents,
 * without weighing every match, however the case's documents interleave with others'); any
 * other, or when the list cannot show the order exactly, weighs every match and SQLite's sorter
 * keeps the best as they come. A subquery, so that a caller joins what it needs to them in one
 * statement.
 */
export function bestMatchesSubquery(
  db: ReadableDB,
  parsed: ParsedQuery,
  caseId: string | null,
  limit: number,
): Subquery & { readonly ranking: Ranking } {
  const best = bestByImpact(db, parsed.terms, caseId, limit);
  if (best) return { ...documentsSubquery(best), ranking: 'impact-lists' };
  const inCase = caseRange(db, caseId);
  return {
    sql: `SELECT search_index.rowid AS doc FROM search_index
       WHERE search_index MATCH @match ${inCase.range}
       ORDER BY bm25(search_index, ${WEIGHTS}), doc LIMIT @bestLimit`,
    params: { match: parsed.match, ...inCase.params, bestLimit: limit },
    ranking: 'every-match',
  };
}

/**
 * The documents that match an FTS5 expression (in one case or all), best-ranked first (BM25,
 * ties by index order), from `offset`, at most `limit`. Every match is ranked: SQLite keeps only
 * the best `offset + limit` in its sorter as they come, so the cost is one BM25 per match (the
 * score is computed once, for its column, and the order uses the column).
 */
export function rankedMatches(
  db: ReadableDB,
  match: string,
  caseId: string | null,
  page: Readonly<{ offset: number; limit: number }>,
): { doc: number; score: number }[] {
  const inCase = caseRange(db, caseId);
  return db
    .prepare(
      `SELECT search_index.rowid AS doc, -bm25(search_index, ${WEIGHTS}) AS score FROM search_index
       WHERE search_index MATCH @match ${inCase.range}
       ORDER BY score DESC, doc LIMIT @limit OFFSET @offset`,
    )
    .all({ match, ...inCase.params, limit: page.limit, offset: page.offset }) as {
    doc: number;
    score: number;
  }[];
}

/**
 * A page of the best-ranked matches with their scores, as `rankedMatches` gives it: for a one-word
 * query whose word has an impact list, the page's documents come from the list (the same ones in
 * the same order, `impact-ranking.ts`) and their scores from FTS5's own `bm25()`, computed for
 * them alone (`scoresOf`), so the score shown is FTS5's to the last bit; otherwise every match is
 * ranked. The scores are asked for the word itself: a prefix that only it starts with matches the
 * same documents with the same occurrences, so `bm25()` gets the same numbers, without merging
 * the doclists of every word the prefix could start.
 */
function rankedPage(
  db: ReadableDB,
  parsed: ParsedQuery,
  caseId: string | null,
  page: Readonly<{ offset: number; limit: number }>,
): { doc: number; score: number }[] {
  const best = bestByImpact(db, parsed.terms, caseId, page.offset + page.limit);
  const words = best && impactWords(db, parsed.terms);
  if (!best || !words) return rankedMatches(db, parsed.match, caseId, page);
  const match = words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' AND ');
  return scoresOf(db, match, best.slice(page.offset));
}

/**
 * FTS5's score (-bm25, as `rankedMatches` gives it) of each of the given matching documents, in
 * their order. One walk of the expression's doclist over the documents' rowid range, `bm25()`
 * computed for those documents only: the `+` keeps the list out of FTS5's hands, which would
 * start its cursor again for each rowid and count the word's documents again each time.
 */
function scoresOf(db: ReadableDB, match: string, docs: readonly number[]): { doc: number; score: number }[] {
  if (docs.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT search_index.rowid AS doc, -bm25(search_index, ${WEIGHTS}) AS score FROM search_index
       WHERE search_index MATCH @match AND search_index.rowid BETWEEN @first AND @last
         AND +search_index.rowid IN (SELECT value FROM json_each(@docs))`,
    )
    .raw()
    .all({
      match,
      first: rowidBound(Math.min(...docs)),
      last: rowidBound(Math.max(...docs)),
      docs: JSON.stringify(docs),
    }) as [number, number][];
  const scores = new Map(rows);
  return docs.flatMap((doc) => {
    const score = scores.get(doc);
    return score === undefined ? [] : [{ doc, score }];
  });
}

function documentRow(db: ReadableDB, doc: number): Omit<HitRow, 'score'> | undefined {
  return db
    .prepare(
      `SELECT d.id AS doc, d.item_id, d.case_id, c.number AS case_number, i.kind, i.title AS item_title,
         i.url AS item_url, i.source, i.captured_at, d.title, d.url, d.body, d.notes, d.tags
       FROM search_documents d JOIN items i ON i.id = d.item_id JOIN cases c ON c.id = d.case_id
       WHERE d.id = ?`,
    )
    .get(doc) as Omit<HitRow, 'score'> | undefined;
}

function toHit(row: HitRow, parsed: ParsedQuery, rank: number): SearchHit {
  return {
    id: row.item_id,
    caseId: row.case_id,
    caseNumber: row.case_number,
    kind: row.kind,
    title: row.item_title,
    url: row.item_url,
    source: row.source,
    capturedAt: row.captured_at,
    rank,
    score: row.score,
    snippet: makeSnippet(row, parsed.terms),
  };
}

/** Snippets for the evidence list's rows (by item id) when its search box is used. */
export function snippetsFor(
  db: ReadableDB,
  parsed: ParsedQuery,
  itemIds: readonly string[],
): Map<string, SearchHit['snippet']> {
  const select = cachedStatement(
    db,
    'SELECT title, url, body, notes, tags FROM search_documents WHERE item_id = ?',
  );
  const snippets = new Map<string, SearchHit['snippet']>();
  for (const id of itemIds) {
    const row = select.get(id) as Omit<HitRow, 'score'> | undefined;
    if (row) snippets.set(id, makeSnippet(row, parsed.terms));
  }
  return snippets;
}

/** A query typed in a case's evidence list, parsed (null when it has nothing to search). */
export function parseListSearch(db: ReadableDB, query: string, caseId: string): ParsedQuery | null {
  try {
    return parseSearchQuery(query, () => phoneRegions(db, caseId));
  } catch {
    return null;
  }
}
