/**
 * Searches the full-text index: ranked items (BM25, title and tags weighing most), in one case or
 * all, a page at a time, each with a snippet of its original text.
 *
 * The work is bounded for words found nearly everywhere: counting stops past `MATCH_CAP` matches,
 * and ranking then weighs only the `MATCH_CAP` most recently indexed of them (a word on every one
 * of 100,000 pages would otherwise have BM25 computed for all of them on every search). The page
 * says so (`totalCapped`), and the UI asks for more words.
 */
import type { SearchHit, SearchPage } from '../../../shared/api.js';
import type { ItemKind } from '../../../shared/domain.js';
import type { ReadableDB } from '../store/database.js';
import { phoneRegions } from './identifiers.js';
import { type ParsedQuery, parseSearchQuery } from './search-query.js';
import { makeSnippet } from './snippet.js';

/** BM25 weights of the columns title, url, body, notes, tags. */
const WEIGHTS = '8.0, 2.0, 1.0, 4.0, 6.0';

/** Counting and ranking look at this many matching items at most (the most recently indexed). */
export const MATCH_CAP = 10_000;

/** What to search for and where. */
export interface SearchRequest {
  readonly query: string;
  /** Only this case (its id); all cases when absent. */
  readonly caseId?: string | null;
  readonly offset?: number;
  readonly limit?: number;
  /** Past this many matches, counting stops and only the most recent are ranked (`MATCH_CAP`). */
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

/** One page of ranked hits; bad input (with a message) for a query with nothing to search for. */
export function searchItems(db: ReadableDB, request: SearchRequest): SearchPage {
  const caseId = request.caseId ?? null;
  const parsed = parseSearchQuery(request.query, () => phoneRegions(db, caseId));
  const offset = request.offset ?? 0;
  const limit = request.limit ?? 20;
  const cap = request.cap ?? MATCH_CAP;
  const newest = newestMatches(db, parsed.match, caseId, cap);
  const totalCapped = newest.length > cap;
  const total = Math.min(newest.length, cap);
  if (total === 0) return { query: request.query, total, totalCapped, offset, hits: [] };
  // Only the documents between the newest match and the oldest one counted are ranked: FTS5
  // takes the rowid bounds as a range of its doclists, so past the cap BM25 is computed for
  // `cap` documents at most, and a case's matches are not looked for among other cases' older
  // or newer ones.
  const floor = newest[total - 1] ?? 0;
  const ceiling = newest[0] ?? 0;
  const ranked = db
    .prepare(
      `SELECT search_index.rowid AS doc, -bm25(search_index, ${WEIGHTS}) AS score
       FROM search_index ${caseId ? CASE_JOIN : ''}
       WHERE search_index MATCH @match AND search_index.rowid BETWEEN @floor AND @ceiling
       ORDER BY bm25(search_index, ${WEIGHTS}), search_index.rowid LIMIT @limit OFFSET @offset`,
    )
    .all({ match: parsed.match, caseId, floor, ceiling, limit, offset }) as { doc: number; score: number }[];
  const hits = ranked.flatMap(({ doc, score }, index) => {
    const row = documentRow(db, doc);
    return row ? [toHit({ ...row, score }, parsed, offset + index + 1)] : [];
  });
  return { query: request.query, total, totalCapped, offset, hits };
}

/**
 * Keeps a case's documents only; `search_documents_by_case` answers it without reading their
 * text. CROSS JOIN keeps the index's matches the outer loop: the other way round, FTS5 would be
 * asked once per document of the case, each time working out BM25's statistics anew (seconds).
 */
const CASE_JOIN =
  'CROSS JOIN search_documents d INDEXED BY search_documents_by_case ON d.case_id = @caseId AND d.id = search_index.rowid';

/**
 * The documents that match an FTS5 expression (in one case or all), newest first: at most
 * `cap + 1` of them, so that a caller knows whether there are more than `cap`.
 */
export function newestMatches(db: ReadableDB, match: string, caseId: string | null, cap: number): number[] {
  return db
    .prepare(
      `SELECT search_index.rowid FROM search_index ${caseId ? CASE_JOIN : ''}
       WHERE search_index MATCH @match ORDER BY search_index.rowid DESC LIMIT @count`,
    )
    .pluck()
    .all({ match, caseId, count: cap + 1 }) as number[];
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
  const select = db.prepare('SELECT title, url, body, notes, tags FROM search_documents WHERE item_id = ?');
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
