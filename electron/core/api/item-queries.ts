/**
 * Read queries behind the evidence list: one page of light rows at a time, filtered, searched and
 * sorted in SQLite, so the UI stays smooth with 100,000 items in a case.
 */
import type {
  ApiParsedInput,
  ItemPage,
  ItemRow,
  ItemSortField,
  TimestampStatus,
} from '../../../shared/api.js';
import type { ItemKind } from '../../../shared/domain.js';
import { listSearchMatch, snippetsFor } from '../search/search-queries.js';
import type { ReadableDB } from '../store/database.js';

const TAG_SEPARATOR = '\u001f';

const ORDER_BY: Record<ItemSortField, string> = {
  capturedAt: 'i.captured_at',
  title: 'coalesce(i.title, i.source) COLLATE NOCASE',
  kind: 'i.kind',
  source: 'coalesce(i.url, i.source) COLLATE NOCASE',
};

interface RowFromDb {
  id: string;
  kind: ItemKind;
  title: string | null;
  url: string | null;
  source: string;
  captured_at: string;
  digest: string;
  tags: string | null;
  timestamp: TimestampStatus;
  has_image: number;
}

/** One page of a case's items, with the number of items that match. */
export function queryItemPage(db: ReadableDB, caseId: string, query: ApiParsedInput<'queryItems'>): ItemPage {
  const where = ['i.case_id = @caseId'];
  const params: Record<string, unknown> = { caseId, limit: query.limit, offset: query.offset };
  if (query.kind) {
    where.push('i.kind = @kind');
    params.kind = query.kind;
  }
  if (query.tag) {
    where.push(
      "EXISTS (SELECT 1 FROM annotations t WHERE t.item_id = i.id AND t.kind = 'tag' AND t.text = @tag)",
    );
    params.tag = query.tag;
  }
  const match = query.search === '' ? null : listSearchMatch(query.search);
  if (query.search !== '') {
    // The full-text index (page text, title, address, notes, tags, normalised), or an id or
    // digest prefix pasted from a report.
    where.push(
      `(i.id LIKE @prefix ESCAPE '\\' OR i.digest LIKE @prefix ESCAPE '\\'${
        match
          ? ` OR i.id IN (SELECT d.item_id FROM search_index JOIN search_documents d ON d.id = search_index.rowid
             WHERE search_index MATCH @match AND d.case_id = @caseId)`
          : ''
      })`,
    );
    params.prefix = `${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (match) params.match = match;
  }
  const filter = where.join(' AND ');
  const total = (db.prepare(`SELECT count(*) AS n FROM items i WHERE ${filter}`).get(params) as { n: number })
    .n;
  const direction = query.descending ? 'DESC' : 'ASC';
  // First the page's ids alone: SQLite computes the selected columns of every row it skips with
  // OFFSET, so the tags, timestamp and thumbnail lookups are made only for the rows returned.
  // rowid breaks ties: the (case_id, captured_at) index already holds rows in that order.
  const ids = (
    db
      .prepare(
        `SELECT i.id FROM items i WHERE ${filter}
         ORDER BY ${ORDER_BY[query.sort]} ${direction}, i.rowid ${direction}
         LIMIT @limit OFFSET @offset`,
      )
      .all(params) as { id: string }[]
  ).map((r) => r.id);
  if (ids.length === 0) return { total, offset: query.offset, rows: [] };
  const rows = db
    .prepare(
      `SELECT i.id, i.kind, i.title, i.url, i.source, i.captured_at, i.digest,
        (SELECT group_concat(text, '${TAG_SEPARATOR}') FROM
           (SELECT DISTINCT a.text FROM annotations a WHERE a.item_id = i.id AND a.kind = 'tag')) AS tags,
        (SELECT CASE WHEN sum(tt.status = 'granted') > 0 THEN 'granted'
                     WHEN count(*) > 0 THEN 'pending' ELSE 'none' END
           FROM timestamp_tokens tt WHERE tt.covers = i.id) AS timestamp,
        EXISTS (SELECT 1 FROM artifacts ar WHERE ar.item_id = i.id
           AND (ar.role IN ('viewport', 'screenshot') OR (ar.role = 'original' AND ar.media_type LIKE 'image/%'))) AS has_image
       FROM items i WHERE i.id IN (${ids.map(() => '?').join(', ')})`,
    )
    .all(...ids) as RowFromDb[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const snippets = match ? snippetsFor(db, query.search, ids) : null;
  return {
    total,
    offset: query.offset,
    rows: ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [{ ...toItemRow(row), ...(snippets ? { snippet: snippets.get(id) ?? null } : {}) }] : [];
    }),
  };
}

function toItemRow(row: RowFromDb): ItemRow {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    url: row.url,
    source: row.source,
    capturedAt: row.captured_at,
    digest: row.digest,
    tags: row.tags === null ? [] : row.tags.split(TAG_SEPARATOR),
    timestamp: row.timestamp,
    hasImage: row.has_image === 1,
  };
}

/** Every tag used in a case, for the filter menu. */
export function caseTags(db: ReadableDB, caseId: string): string[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT a.text FROM annotations a JOIN items i ON i.id = a.item_id
         WHERE i.case_id = ? AND a.kind = 'tag' ORDER BY a.text COLLATE NOCASE`,
      )
      .all(caseId) as { text: string }[]
  ).map((r) => r.text);
}

/** How many items each case holds. */
export function itemCountsByCase(db: ReadableDB): Map<string, number> {
  const rows = db.prepare('SELECT case_id, count(*) AS n FROM items GROUP BY case_id').all() as {
    case_id: string;
    n: number;
  }[];
  return new Map(rows.map((r) => [r.case_id, r.n]));
}

/** Timestamp requests and tokens over one item. */
export function itemTimestamps(db: ReadableDB, itemId: string) {
  return db
    .prepare(
      `SELECT status, coalesce(tsa_name, tsa_url) AS authority, gen_time AS time, last_error AS lastError
       FROM timestamp_tokens WHERE covers = ? ORDER BY id`,
    )
    .all(itemId) as {
    status: 'granted' | 'pending';
    authority: string | null;
    time: string | null;
    lastError: string | null;
  }[];
}
