/**
 * Where the active selectors are found: read each time from the derived data (entities, OCR
 * candidates, the search index), so every capture, import, received item and OCR result is
 * checked as soon as it is indexed, and a reindex changes nothing but what it should.
 */
import type { Selector, SelectorHit, SelectorMatch } from '../../../shared/selectors.js';
import { UNDECIDED_CANDIDATE } from '../entities/candidates.js';
import { withinOneDigit } from '../ocr/one-digit.js';
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
      for (const row of wordHits(db, selector, caseId)) add('word', row, [], null);
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
 * The items holding a word selector's words, the newest captured first (the order hits are shown
 * in), at most `MAX_WORD_HITS`. By capture time, not rowid: each case's documents are numbered in
 * its own block (case-blocks.ts), so across cases the highest rowids are the last case's; items
 * captured at the same time by the order they were added.
 */
function wordHits(db: ReadableDB, selector: Selector, caseId: string | null): ItemRow[] {
  let match: string;
  try {
    // The selector's words as one phrase, quoted: nothing in it is search syntax.
    match = parseSearchQuery(`"${selector.value.replace(/"/g, ' ')}"`).match;
  } catch {
    return [];
  }
  return db
    .prepare(
      `SELECT ${ITEM_COLUMNS}
       FROM search_index JOIN search_documents d ON d.id = search_index.rowid
       JOIN items i ON i.id = d.item_id JOIN cases c ON c.id = i.case_id
       WHERE search_index MATCH @match AND (@caseId IS NULL OR d.case_id = @caseId)
       ORDER BY i.captured_at DESC, i.rowid DESC LIMIT ${MAX_WORD_HITS}`,
    )
    .all({ match, caseId }) as ItemRow[];
}
