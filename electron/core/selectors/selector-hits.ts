/**
 * Where the active selectors are found: read each time from the derived data (entities, OCR
 * candidates, the search index), so every capture, import, received item and OCR result is
 * checked as soon as it is indexed, and a reindex changes nothing but what it should.
 */
import type { Selector, SelectorHit, SelectorMatch } from '../../../shared/selectors.js';
import { UNDECIDED_CANDIDATE } from '../entities/candidates.js';
import { withinOneDigit } from '../ocr/one-digit.js';
import { blockRange } from '../search/case-blocks.js';
import { rowidBound } from '../search/case-documents.js';
import { parseSearchQuery } from '../search/search-query.js';
import type { ReadableDB } from '../store/database.js';
import { listSelectors } from './selector-service.js';

/** Items a word selector is looked for in, at most (a common word is a poor selector). */
const MAX_WORD_HITS = 1000;

/** Which hits to read. */
export interface HitScope {
  /** Only this case's items (with the selectors that apply to it). */
  readonly caseId?: string | null;
  /** Only these items (what a command just committed). */
  readonly itemIds?: readonly string[];
}

interface ItemRow {
  itemId: string;
  caseId: string;
  caseNumber: string;
  title: string | null;
  url: string | null;
  capturedAt: string;
}

const ITEM_COLUMNS =
  'i.id AS itemId, i.case_id AS caseId, c.number AS caseNumber, i.title, i.url, i.captured_at AS capturedAt';

/** Every hit of the active selectors in scope: newest items first, then by selector. */
export function selectorHits(db: ReadableDB, scope: HitScope = {}): SelectorHit[] {
  const hits: SelectorHit[] = [];
  const only = scope.itemIds ? new Set(scope.itemIds) : null;
  for (const selector of listSelectors(db, { caseId: scope.caseId ?? null })) {
    const caseId = selector.caseId ?? scope.caseId ?? null;
    const add = (match: SelectorMatch, row: ItemRow, sources: string[], original: string | null) => {
      if (only && !only.has(row.itemId)) return;
      hits.push({ selector, match, ...row, sources, original });
    };
    if (selector.type === 'word') {
      for (const row of wordHits(db, selector, caseId, scope.itemIds ?? null)) add('word', row, [], null);
      continue;
    }
    for (const row of entityHits(db, selector.value, caseId))
      add('entity', row, row.sources.split(','), row.original);
    for (const row of candidateHits(db, selector.value, caseId))
      add('possible', row, ['picture'], row.original);
  }
  return hits.sort(
    (a, b) => b.capturedAt.localeCompare(a.capturedAt) || a.selector.id.localeCompare(b.selector.id),
  );
}

function entityHits(db: ReadableDB, value: string, caseId: string | null) {
  return db
    .prepare(
      `SELECT ${ITEM_COLUMNS}, group_concat(DISTINCT o.source) AS sources, min(o.original) AS original
       FROM entities e JOIN entity_occurrences o ON o.entity_id = e.id
       JOIN items i ON i.id = o.item_id JOIN cases c ON c.id = i.case_id
       WHERE e.value = @value AND (@caseId IS NULL OR o.case_id = @caseId)
       GROUP BY i.id`,
    )
    .all({ value, caseId }) as (ItemRow & { sources: string; original: string })[];
}

/** OCR candidates (Eastern digits) that are the selector or one digit from it, not yet decided on. */
function candidateHits(db: ReadableDB, value: string, caseId: string | null) {
  if (!/\d/.test(value)) return [];
  return db
    .prepare(
      `SELECT ${ITEM_COLUMNS}, min(k.original) AS original
       FROM entity_candidates k JOIN items i ON i.id = k.item_id JOIN cases c ON c.id = i.case_id
       WHERE k.value IN (SELECT value FROM json_each(@variants)) AND (@caseId IS NULL OR k.case_id = @caseId)
       AND ${UNDECIDED_CANDIDATE}
       GROUP BY i.id`,
    )
    .all({ variants: JSON.stringify(withinOneDigit(value)), caseId }) as (ItemRow & { original: string })[];
}

/**
 * The items holding a word selector's words, at most `MAX_WORD_HITS`, the newest captured first
 * (the order hits are shown in); with `itemIds`, those of these items only, however old.
 *
 * Each case's documents are numbered in its own block (case-blocks.ts), so the index's highest
 * rowids are the last block's, not the newest captured across cases. Ordering every match by
 * capture time read each of a common word's matches (376 ms for a word on all 100,000 pages of
 * the bench store, where the newest 1,000 by rowid took 4.7 ms). So each case's block is read on
 * its own, newest written first, and the cases' rows are merged by capture time: within a case,
 * newest written is newest captured but for items written again (a note or tag added). A block is
 * read down from its end (`<=` its last rowid, an integer: `rowidBound`) until a row below its
 * first.
 * The cases are taken newest item first, and once `MAX_WORD_HITS` are found a case whose newest
 * item is older than all of them is not read: what it costs grows with the cases whose items are
 * among the newest, at most 1,000 rows each (about 10 ms).
 */
function wordHits(
  db: ReadableDB,
  selector: Selector,
  caseId: string | null,
  itemIds: readonly string[] | null,
): ItemRow[] {
  let match: string;
  try {
    // The selector's words as one phrase, quoted: nothing in it is search syntax.
    match = parseSearchQuery(`"${selector.value.replace(/"/g, ' ')}"`).match;
  } catch {
    return [];
  }
  if (itemIds) return itemWordHits(db, match, caseId, itemIds);
  // The cases' blocks, the case with the newest item first.
  const blocks = db
    .prepare(
      `SELECT b.block, (SELECT max(captured_at) FROM items WHERE case_id = b.case_id) AS newest
       FROM search_case_blocks b WHERE @caseId IS NULL OR b.case_id = @caseId ORDER BY newest DESC`,
    )
    .all({ caseId }) as { block: number; newest: string | null }[];
  const fromEnd = db.prepare(
    `SELECT ${ITEM_COLUMNS}, i.rowid AS added, d.id AS doc
     FROM search_index JOIN search_documents d ON d.id = search_index.rowid
     JOIN items i ON i.id = d.item_id JOIN cases c ON c.id = i.case_id
     WHERE search_index MATCH @match AND search_index.rowid <= @last
     ORDER BY search_index.rowid DESC LIMIT ${MAX_WORD_HITS}`,
  );
  let rows: (ItemRow & { added: number })[] = [];
  for (const { block, newest } of blocks) {
    // A case whose newest item is older than the newest MAX_WORD_HITS found can add none.
    if (rows.length === MAX_WORD_HITS && (newest ?? '') < (rows.at(-1)?.capturedAt ?? '')) break;
    const { first, last } = blockRange(block);
    for (const { doc, ...row } of fromEnd.iterate({ match, last: rowidBound(last) }) as IterableIterator<
      ItemRow & { added: number; doc: number }
    >) {
      if (doc < first) break;
      rows.push(row);
    }
    // Newest captured first; items captured at the same time by the order they were added.
    rows.sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || b.added - a.added);
    rows = rows.slice(0, MAX_WORD_HITS);
  }
  return rows.map(({ added: _, ...row }) => row);
}

/**
 * The items of `itemIds` that hold the words: FTS5 is asked about each one's document alone (its
 * rowid, which FTS5 seeks to in the word's doclist), never about every match of a common word.
 * CROSS JOIN keeps the items the outer loop: the other way round, SQLite reads every match.
 */
function itemWordHits(
  db: ReadableDB,
  match: string,
  caseId: string | null,
  itemIds: readonly string[],
): ItemRow[] {
  return db
    .prepare(
      `SELECT ${ITEM_COLUMNS}
       FROM json_each(@items) j CROSS JOIN search_documents d ON d.item_id = j.value
       CROSS JOIN search_index ON search_index.rowid = d.id
       JOIN items i ON i.id = d.item_id JOIN cases c ON c.id = i.case_id
       WHERE search_index MATCH @match AND (@caseId IS NULL OR d.case_id = @caseId)`,
    )
    .all({ items: JSON.stringify(itemIds), match, caseId }) as ItemRow[];
}
