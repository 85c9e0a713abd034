/**
 * The best-ranked documents for a one-word search, read from the word's impact list
 * (`impact-lists.ts`) instead of weighing every match: the same documents, in the same order, as
 * FTS5's `ORDER BY bm25(…), rowid` over all of them (in one case or all), or null when that cannot
 * be shown here (the caller then ranks every match).
 *
 * Each list (a word in a case) of each frequency is in rank order (shorter first, then by rowid),
 * so merging them by score (a binary heap of the lists' next documents) yields the full ranking's
 * order; the merge stops once it holds one document more than asked for. The score is FTS5's bm25 arithmetic on the same numbers (its IDF from the word's
 * document count, the average length from FTS5's own totals). Documents with the same frequency
 * and length score the same bits everywhere and FTS5 orders them by rowid, as the lists do; two
 * documents with different numbers whose scores come within rounding of each other could be
 * ordered the other way by another platform's floating point (a fused multiply-add, another
 * `log`), so such a near tie anywhere in what is kept, or at its edge, gives up (null).
 */

import { BinaryHeap } from '../binary-heap.js';
import type { ReadableDB } from '../store/database.js';
import { documentRange } from './case-documents.js';
import { readVarint, sumVarints } from './fts5-varints.js';
import type { SearchTerm } from './search-query.js';

/** BM25's constants, as FTS5's `bm25()` has them. */
const K1 = 1.2;
const B = 0.75;

/** Scores closer than this (relative) with different numbers behind them are a near tie. */
const NEAR_TIE = 1e-12;

/**
 * Across cases, starting a list of one frequency (its seek and first chunk) costs about as much as
 * FTS5 weighing 30 to 50 matches (15 µs against 0.45 µs on a quiet machine, 50 µs against 1 µs at
 * load 9): past one such list per this many matches the full ranking would weigh
 * (`fullRankingCost`), it costs about as much as the merge or less. Measured with
 * bench/search/many-cases.ts: 300 cases of 20 pages are 1,800 such lists for 6,000 documents, and
 * merging them took 31 ms where ranking every match took 2.7 ms (load 2).
 */
const MATCHES_PER_HEAD = 50;

/**
 * In one case, the lists of one frequency are one list's, their seeks in the same few pages: about
 * 10-12 µs each, some 25 matches (bench/search/many-frequencies.ts and the figures in
 * docs/ARCHITECTURE.md: 3,000 pages saying a word 1 to 300 times are 311 such lists, merged in
 * 3.7 ms against 4.6 ms the full way; 400 pages, 1 to 250 times, 209 lists, 1.9 ms against 0.6 ms).
 */
const MATCHES_PER_HEAD_IN_CASE = 25;

/**
 * Weighing a match costs about one more match's worth per this many occurrences of the word in it
 * (FTS5 decodes its positions): 0.45 µs a match plus 0.0075 µs an occurrence, fitted on one case
 * of 1,000 to 10,000 pages holding the word 1 to 1,000 times each (load 6-9). A word found at many
 * frequencies is found many times a page, so without this a long case's full ranking looked as
 * cheap as a short one's: 10,000 pages, 1 to 300 times each, ranked 4.2 ms from the lists and
 * 15.5 ms the full way.
 */
const OCCURRENCES_PER_MATCH = 60;

/** This many lists of one frequency are merged whatever the word's documents (a few ms at most). */
const SMALL_MERGE = 64;

/** Rows read the first time from a list of one frequency (most are never read past a few). */
const FIRST_CHUNK = 8;
/** The most rows read at a time from one list, its chunks growing fourfold up to it. */
const LAST_CHUNK = 4096;

/** One list's documents of one frequency, read a chunk at a time, and its next document's score. */
interface FrequencyList {
  readonly list: number;
  readonly freq: number;
  /** Read and not yet merged: [length, doc] pairs, in the list's order. */
  rows: [number, number][];
  at: number;
  exhausted: boolean;
  chunk: number;
  /** The score of `rows[at]`. */
  score: number;
}

/**
 * The `limit` best-ranked documents (rowids, best first) matching a one-word query in one case
 * (`caseId`) or all (null), from the word's impact lists; null when the query is not one word (a
 * phrase, several words, an identifier's forms, a prefix that more than one word of the index
 * starts with), the word has no list (in that case), a near tie makes the order uncertain, or the
 * word's lists of one frequency are so many for the documents the full ranking would weigh that
 * it costs less (`MATCHES_PER_HEAD`, `MATCHES_PER_HEAD_IN_CASE`: all cases, a word in a few documents of each of hundreds of
 * cases; one case, a word said once on one page and hundreds of times on another).
 */
export function bestByImpact(
  db: ReadableDB,
  terms: readonly SearchTerm[],
  caseId: string | null,
  limit: number,
): number[] | null {
  const word = singleWord(db, terms);
  if (word === null) return null;
  const term = db.prepare('SELECT id FROM search_impact_terms WHERE term = ?').pluck().get(word) as
    | number
    | undefined;
  if (term === undefined) return null;
  const wordLists = listsOf(db, term, caseId);
  if (wordLists === null) return null;
  const { score, ...counts } = scorer(db, word);
  const perHead = caseId === null ? MATCHES_PER_HEAD : MATCHES_PER_HEAD_IN_CASE;
  const maxHeads = Math.max(SMALL_MERGE, Math.floor(fullRankingCost(db, counts, caseId) / perHead));
  const heads = frequencyLists(db, wordLists, maxHeads);
  if (heads === null) return null;
  const next = db
    .prepare(
      `SELECT length, doc FROM search_impacts INDEXED BY search_impacts_ranked
       WHERE list = @list AND freq = @freq AND (length, doc) > (@length, @doc)
       ORDER BY length, doc LIMIT @chunk`,
    )
    .raw();
  /** Moves the list to its next document (reading its next chunk when needed); false once it has no more. */
  const advance = (list: FrequencyList): boolean => {
    list.at++;
    if (list.at >= list.rows.length && !list.exhausted) {
      const last = list.rows.at(-1) ?? [-1, -1];
      list.rows = next.all({
        list: list.list,
        freq: list.freq,
        length: last[0],
        doc: last[1],
        chunk: list.chunk,
      }) as [number, number][];
      list.exhausted = list.rows.length < list.chunk;
      list.at = 0;
      list.chunk = Math.min(list.chunk * 4, LAST_CHUNK);
    }
    const row = list.rows[list.at];
    if (row) list.score = score(list.freq, row[0]);
    return row !== undefined;
  };
  // Best score first, then the lower rowid (FTS5's order among equal scores).
  const merge = new BinaryHeap<FrequencyList>(
    (a, b) =>
      a.score > b.score || (a.score === b.score && (a.rows[a.at]?.[1] ?? 0) < (b.rows[b.at]?.[1] ?? 0)),
  );
  for (const list of heads) if (advance(list)) merge.push(list);
  const kept: { doc: number; score: number; freq: number; length: number }[] = [];
  while (kept.length <= limit) {
    const best = merge.pop();
    const row = best?.rows[best.at];
    if (!best || !row) break;
    kept.push({ doc: row[1], score: best.score, freq: best.freq, length: row[0] });
    if (advance(best)) merge.push(best);
  }
  for (let i = 1; i < kept.length; i++) {
    const a = kept[i - 1];
    const b = kept[i];
    if (!a || !b || (a.freq === b.freq && a.length === b.length)) continue;
    if (Math.abs(a.score - b.score) <= NEAR_TIE * Math.abs(a.score)) return null;
  }
  return kept.slice(0, limit).map((k) => k.doc);
}

/**
 * The lists' frequencies, each to be read as its own sorted list, none read yet; null as soon as
 * they are more than `max` (before the seeks for the rest).
 */
function frequencyLists(db: ReadableDB, lists: readonly number[], max: number): FrequencyList[] | null {
  if (lists.length > max) return null;
  const found: FrequencyList[] = [];
  for (const list of lists) {
    for (const freq of frequencies(db, list)) {
      if (found.length === max) return null;
      found.push({ list, freq, rows: [], at: -1, exhausted: false, chunk: FIRST_CHUNK, score: 0 });
    }
  }
  return found;
}

/** How many documents of the index hold a word, and how many times it occurs in them all. */
interface WordCounts {
  readonly documents: number;
  readonly occurrences: number;
}

/**
 * What the full ranking would cost, in matches of a few occurrences weighed: the word's
 * documents, and its occurrences by `OCCURRENCES_PER_MATCH`. In one case, its documents are at
 * most the case's range of rowids, the range FTS5 reads the word's doclist in (`caseScope` in
 * search-queries.ts: two seeks), and its occurrences their share of the word's in the index.
 */
function fullRankingCost(db: ReadableDB, word: WordCounts, caseId: string | null): number {
  let documents = word.documents;
  if (caseId !== null) {
    const { first, last } = documentRange(db, caseId);
    documents = first === null || last === null ? 0 : Math.min(documents, last - first + 1);
  }
  const occurrences = word.documents === 0 ? 0 : word.occurrences * (documents / word.documents);
  return documents + occurrences / OCCURRENCES_PER_MATCH;
}

/**
 * The word's lists to merge: its list in the case asked for, or in every case; null when there is
 * none (every document holding a listed word is written into its case's list, so there is no
 * such document; left to the full ranking all the same rather than assumed: a word migration 018
 * carried over from 017 whose documents were all gone has no list).
 */
function listsOf(db: ReadableDB, term: number, caseId: string | null): number[] | null {
  if (caseId === null) {
    const lists = db
      .prepare('SELECT id FROM search_impact_lists WHERE term = ?')
      .pluck()
      .all(term) as number[];
    return lists.length === 0 ? null : lists;
  }
  const list = db
    .prepare('SELECT id FROM search_impact_lists WHERE term = ? AND case_id = ?')
    .pluck()
    .get(term, caseId) as number | undefined;
  return list === undefined ? null : [list];
}

/**
 * The one word of the index a query stands for, or null: one term of one token, no identifier's
 * forms; a prefix only when a single word of the index starts with it (FTS5's vocabulary, read
 * from the prefix on: two seeks).
 */
export function singleWord(db: ReadableDB, terms: readonly SearchTerm[]): string | null {
  const [only] = terms;
  if (!only || terms.length !== 1 || only.tokens.length !== 1 || (only.forms?.length ?? 0) > 1) return null;
  const token = only.tokens[0] ?? '';
  if (!only.prefix) return token;
  const firstFrom = db
    .prepare('SELECT term FROM search_vocabulary_instances WHERE term >= ? LIMIT 1')
    .pluck();
  const word = firstFrom.get(token) as string | undefined;
  if (word === undefined || !word.startsWith(token)) return null;
  // char(1) sorts right after the word itself: no word holds a control character.
  const after = firstFrom.get(`${word}\u0001`) as string | undefined;
  return after?.startsWith(token) ? null : word;
}

/** A list's frequencies, highest first (one seek each). */
function frequencies(db: ReadableDB, list: number): number[] {
  const below = db
    .prepare(
      `SELECT freq FROM search_impacts INDEXED BY search_impacts_ranked
       WHERE list = ? AND freq < ? ORDER BY freq DESC LIMIT 1`,
    )
    .pluck();
  const found: number[] = [];
  for (let freq = below.get(list, Number.MAX_SAFE_INTEGER) as number | undefined; freq !== undefined; ) {
    found.push(freq);
    freq = below.get(list, freq) as number | undefined;
  }
  return found;
}

/**
 * A document's score for the word from its frequency and length: `bm25()`'s arithmetic, in its
 * order, on FTS5's own row count and token total (the averages record, `search_index_data` 1) and
 * the number of documents holding the word (FTS5's vocabulary), which it gives too, with the
 * word's occurrences in them all.
 */
function scorer(
  db: ReadableDB,
  word: string,
): { score: (freq: number, length: number) => number } & WordCounts {
  const averages = db.prepare('SELECT block FROM search_index_data WHERE id = 1').pluck().get() as Buffer;
  const [rows, first] = readVarint(averages, 0);
  const tokens = sumVarints(averages, first);
  const counts = db.prepare('SELECT doc, cnt FROM search_vocabulary WHERE term = ?').raw().get(word) as
    | [number, number]
    | undefined;
  const [hits, occurrences] = counts ?? [0, 0];
  const averageLength = tokens / rows;
  let idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
  if (idf <= 0.0) idf = 1e-6;
  return {
    score: (freq, length) =>
      idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + (B * length) / averageLength))),
    documents: hits,
    occurrences,
  };
}
