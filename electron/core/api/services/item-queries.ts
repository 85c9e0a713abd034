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
} from '../../../../shared/api.js';
import type { ItemKind } from '../../../../shared/domain.js';
import { RUN_AGAIN, WINDOW_AGAIN } from '../../errors.js';
import {
  bestMatchesSubquery,
  documentsSubquery,
  matchingDocuments,
  parseListSearch,
  type Subquery,
  snippetsFor,
} from '../../search/search-queries.js';
import type { ParsedQuery } from '../../search/search-query.js';
import { withWholeWords } from '../../search/whole-words.js';
import type { ReadableDB } from '../../store/database.js';
import { liveTagCondition } from '../../store/queries.js';
import { storeRootAdviceIn } from '../../timestamp/trust-advice.js';

const TAG_SEPARATOR = '\u001f';

/**
 * A searched list holds this many matching items at most (those that match best, by the search's
 * ranking): each block of rows sorts the whole matching set, so a word on every page of a
 * 100,000-item case would otherwise sort 100,000 items for each block.
 */
export const LIST_MATCH_CAP = 2_000;

/** What the search box takes for an item id or digest pasted from a report: 8 or more hex digits. */
const ID_PREFIX = /^[0-9a-f][0-9a-f-]{7,}$/i;

const ORDER_BY: Record<ItemSortField, string> = {
  capturedAt: 'i.captured_at',
  title: 'coalesce(i.title, i.source) COLLATE NOCASE',
  kind: 'i.kind',
  source: 'coalesce(i.url, i.source) COLLATE NOCASE',
};

/**
 * The index of item ids that also holds the column a searched list is sorted by (migration 016),
 * so that the found items are put in order without reading their rows; SQLite would otherwise
 * take the primary key's and read each row.
 */
const BY_ID_WITH_ORDER: Partial<Record<ItemSortField, string>> = {
  capturedAt: 'INDEXED BY items_by_id_captured',
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

/** How a page of the list is read. */
export interface ItemPageOptions {
  /** A search keeps this many matching items at most (`LIST_MATCH_CAP`). */
  readonly matchCap?: number;
  /**
   * Reuse the items the same search found for an earlier block while the database is unchanged
   * (true unless said otherwise): ranking every match is the costly part of a search, and the
   * list asks for one block at a time as it scrolls.
   */
  readonly reuse?: boolean;
}

/** One page of a case's items, with the number of items that match. */
export function queryItemPage(
  db: ReadableDB,
  caseId: string,
  query: ApiParsedInput<'queryItems'>,
  options: ItemPageOptions = {},
): ItemPage {
  const matchCap = options.matchCap ?? LIST_MATCH_CAP;
  const where: string[] = [];
  const params: Record<string, unknown> = { caseId, limit: query.limit, offset: query.offset };
  if (query.kind) {
    where.push('i.kind = @kind');
    params.kind = query.kind;
  }
  if (query.tag) {
    where.push(
      `EXISTS (SELECT 1 FROM annotations t WHERE t.item_id = i.id AND t.text = @tag AND ${liveTagCondition('t')})`,
    );
    params.tag = query.tag;
  }
  const parsed = query.search === '' ? null : parseListSearch(db, query.search, caseId);
  const direction = query.descending ? 'DESC' : 'ASC';
  // rowid breaks ties: the (case_id, …) indexes already hold rows in that order.
  const order = `ORDER BY ${ORDER_BY[query.sort]} ${direction}, i.rowid ${direction}`;
  let total: number;
  let capped = false;
  let ids: readonly string[];
  if (query.search !== '') {
    // A search lists its found items, filtered and in the list's order, once; the list's later
    // blocks are slices of that (until another search, filter or order, or a change to the store).
    const listed = remembered(
      db,
      [caseId, query.search, query.kind, query.tag, query.sort, query.descending, matchCap],
      options.reuse !== false,
      // One read transaction: the match count, the impact lists' statistics and lists, and the
      // list's order all see one state of the index, even while the `custos` command commits.
      () =>
        db.transaction((): Found => {
          const found = searchedItems(db, caseId, query.search, parsed, matchCap);
          // One statement from the index's matches to the list's order: the found items are all
          // in the case, so SQLite starts from them, not from the case's items.
          const filter = [`i.id IN (${found.sql})`, ...where].join(' AND ');
          const inOrder = db
            .prepare(
              `SELECT i.id FROM items i ${BY_ID_WITH_ORDER[query.sort] ?? ''} WHERE ${filter} ${order}`,
            )
            .pluck()
            .all({ ...params, ...found.params }) as string[];
          return { ids: inOrder, capped: found.capped };
        })(),
    );
    total = listed.ids.length;
    capped = listed.capped;
    ids = listed.ids.slice(query.offset, query.offset + query.limit);
  } else {
    const filter = ['i.case_id = @caseId', ...where].join(' AND ');
    total = (db.prepare(`SELECT count(*) FROM items i WHERE ${filter}`).pluck().get(params) as number) ?? 0;
    // First the page's ids alone: SQLite computes the selected columns of every row it skips with
    // OFFSET, so the tags, timestamp and thumbnail lookups are made only for the rows returned.
    ids = db
      .prepare(`SELECT i.id FROM items i WHERE ${filter} ${order} LIMIT @limit OFFSET @offset`)
      .pluck()
      .all(params) as string[];
  }
  const page = { total, ...(capped ? { matchCap } : {}), offset: query.offset };
  if (ids.length === 0) return { ...page, rows: [] };
  const rows = db
    .prepare(
      `SELECT i.id, i.kind, i.title, i.url, i.source, i.captured_at, i.digest,
        (SELECT group_concat(text, '${TAG_SEPARATOR}') FROM
           (SELECT DISTINCT a.text FROM annotations a WHERE a.item_id = i.id AND ${liveTagCondition('a')})) AS tags,
        (SELECT CASE WHEN sum(tt.status = 'granted') > 0 THEN 'granted'
                     WHEN count(*) > 0 THEN 'pending' ELSE 'none' END
           FROM timestamp_tokens tt WHERE tt.covers = i.id) AS timestamp,
        EXISTS (SELECT 1 FROM artifacts ar WHERE ar.item_id = i.id
           AND (ar.role IN ('viewport', 'screenshot') OR (ar.role = 'original' AND ar.media_type LIKE 'image/%'))) AS has_image
       FROM items i WHERE i.id IN (${ids.map(() => '?').join(', ')})`,
    )
    .all(...ids) as RowFromDb[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const snippets = parsed ? snippetsFor(db, parsed, ids) : null;
  return {
    ...page,
    rows: ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [{ ...toItemRow(row), ...(snippets ? { snippet: snippets.get(id) ?? null } : {}) }] : [];
    }),
  };
}

/** What a search of the list found: the matching items' ids (listed: in the list's order), and whether the cap cut them. */
interface Found {
  readonly ids: readonly string[];
  readonly capped: boolean;
}

/** The last search each connection made, with the database's version when it was made. */
const lastSearch = new WeakMap<ReadableDB, { readonly key: string; readonly found: Found }>();

/**
 * The items of the search named by `what` (its text, filters and order), found and listed again
 * only when another one is asked for or the database changed since (a commit by any connection:
 * `data_version`; a write through this one: `total_changes()`).
 */
function remembered(db: ReadableDB, what: readonly unknown[], reuse: boolean, find: () => Found): Found {
  const version = [
    db.pragma('data_version', { simple: true }),
    db.prepare('SELECT total_changes()').pluck().get(),
  ];
  const key = JSON.stringify([...what, version]);
  const last = lastSearch.get(db);
  if (reuse && last?.key === key) return last.found;
  const found = find();
  lastSearch.set(db, { key, found });
  return found;
}

/**
 * The case's items that a search of the list finds, as a subquery of their ids: through the
 * full-text index (page text, title, address, notes, tags, normalised), at most `cap` of them,
 * the best-ranked (every match is ranked, so an old item that matches best is never crowded out
 * by newer weak matches); and an item whose id or digest begins with the text, when it looks like
 * one pasted from a report.
 */
function searchedItems(
  db: ReadableDB,
  caseId: string,
  search: string,
  parsed: ParsedQuery | null,
  cap: number,
): Subquery & { readonly capped: boolean } {
  let capped = false;
  const parts: string[] = [];
  let params: Record<string, unknown> = {};
  if (parsed) {
    // Asked for as whole words where a prefix stands for one (the same matches, found for less).
    const exact = withWholeWords(db, parsed);
    // Every match is kept while they are no more than the cap (one walk through the index,
    // nothing ranked); past it, the best-ranked `cap` of them (a word's impact list, or a
    // second, ranked walk).
    const all = matchingDocuments(db, exact.match, caseId, cap + 1);
    capped = all.length > cap;
    const found: Subquery = capped ? bestMatchesSubquery(db, exact, caseId, cap) : documentsSubquery(all);
    // (`search_documents_items` gives each document's item without reading its text.)
    parts.push(
      `SELECT d.item_id FROM (${found.sql}) AS m
       CROSS JOIN search_documents d INDEXED BY search_documents_items ON d.id = m.doc`,
    );
    params = { ...found.params };
  }
  if (ID_PREFIX.test(search)) {
    // Ids and digests are lower-case hex (ids with dashes), all below '~': the prefix is a range
    // of the primary key and of `items_by_digest`, never a read of the case's rows.
    // (+case_id: the case is checked on the rows found, never used to find them.)
    parts.push(
      `SELECT id FROM items WHERE +case_id = @caseId AND id >= @idFrom AND id < @idTo
       UNION SELECT id FROM items WHERE +case_id = @caseId AND digest >= @idFrom AND digest < @idTo`,
    );
    params = { ...params, caseId, idFrom: search.toLowerCase(), idTo: `${search.toLowerCase()}~` };
  }
  // (A query with neither finds nothing: a select of no rows.)
  return { sql: parts.join(' UNION ') || 'SELECT NULL WHERE 0', params, capped };
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

/**
 * Every tag used in a case, for the filter menu. It starts from the tags (CROSS JOIN keeps them
 * the outer loop), each checked against its item's case by primary key: starting from the
 * case's items instead read every one of them and probed the annotations for each, 260 ms on
 * opening a 100,000-item case with no tag at all, ahead of the list's first rows.
 */
export function caseTags(db: ReadableDB, caseId: string): string[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT a.text FROM annotations a CROSS JOIN items i ON i.id = a.item_id
         WHERE a.kind = 'tag' AND i.case_id = ? AND ${liveTagCondition('a')} ORDER BY a.text COLLATE NOCASE`,
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

/**
 * Timestamp requests and tokens over one item. A refused request's reason is stored in the CLI's
 * words (whichever program asked): the window gets its own advice for an untrusted authority.
 */
export function itemTimestamps(db: ReadableDB, itemId: string) {
  const rows = db
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
  return rows.map((row) => ({
    ...row,
    lastError: row.lastError && storeRootAdviceIn(row.lastError, WINDOW_AGAIN, RUN_AGAIN),
  }));
}
