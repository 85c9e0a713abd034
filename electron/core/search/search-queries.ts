/**
 * Searches the full-text index: ranked items (BM25, title and tags weighing most), in one case or
 * all, a page at a time, each with a snippet of its original text.
 */
import type { SearchHit, SearchPage } from '../../../shared/api.js';
import type { ItemKind } from '../../../shared/domain.js';
import type { ReadableDB } from '../store/database.js';
import { type ParsedQuery, parseSearchQuery } from './search-query.js';
import { makeSnippet } from './snippet.js';

/** BM25 weights of the columns title, url, body, notes, tags. */
const WEIGHTS = '8.0, 2.0, 1.0, 4.0, 6.0';

/** What to search for and where. */
export interface SearchRequest {
  readonly query: string;
  /** Only this case (its id); all cases when absent. */
  readonly caseId?: string | null;
  readonly offset?: number;
  readonly limit?: number;
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
  const parsed = parseSearchQuery(request.query);
  const offset = request.offset ?? 0;
  const limit = request.limit ?? 20;
  const inCase = request.caseId ? 'AND d.case_id = @caseId' : '';
  const params = { match: parsed.match, caseId: request.caseId ?? null, limit, offset };
  const total = (
    db
      .prepare(
        request.caseId
          ? `SELECT count(*) AS n FROM search_index JOIN search_documents d ON d.id = search_index.rowid
             WHERE search_index MATCH @match ${inCase}`
          : 'SELECT count(*) AS n FROM search_index WHERE search_index MATCH @match',
      )
      .get(params) as { n: number }
  ).n;
  if (total === 0) return { query: request.query, total, offset, hits: [] };
  // The page's documents first (rank needs only the index), then their text and items.
  const ranked = db
    .prepare(
      `SELECT search_index.rowid AS doc, -bm25(search_index, ${WEIGHTS}) AS score
       FROM search_index ${request.caseId ? 'JOIN search_documents d ON d.id = search_index.rowid' : ''}
       WHERE search_index MATCH @match ${inCase}
       ORDER BY bm25(search_index, ${WEIGHTS}), search_index.rowid LIMIT @limit OFFSET @offset`,
    )
    .all(params) as { doc: number; score: number }[];
  const hits = ranked.flatMap(({ doc, score }, index) => {
    const row = documentRow(db, doc);
    return row ? [toHit({ ...row, score }, parsed, offset + index + 1)] : [];
  });
  return { query: request.query, total, offset, hits };
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
  query: string,
  itemIds: readonly string[],
): Map<string, SearchHit['snippet']> {
  const parsed = parseSearchQuery(query);
  const select = db.prepare('SELECT title, url, body, notes, tags FROM search_documents WHERE item_id = ?');
  const snippets = new Map<string, SearchHit['snippet']>();
  for (const id of itemIds) {
    const row = select.get(id) as Omit<HitRow, 'score'> | undefined;
    if (row) snippets.set(id, makeSnippet(row, parsed.terms));
  }
  return snippets;
}

/** The FTS5 expression for a query typed in the evidence list (null when it has nothing to search). */
export function listSearchMatch(query: string): string | null {
  try {
    return parseSearchQuery(query).match;
  } catch {
    return null;
  }
}
