/**
 * The best-ranked documents for a search of one word (or two: `bestOfSeveral`), read from the words' impact lists
 * (`impact-lists.ts`) instead of weighing every match: the same documents, in the same order, as
 * FTS5's `ORDER BY bm25(…), rowid` over all of them (in one case or all), or null when that cannot
 * be shown here (the caller then ranks every match).
 *
 * Each list (a word in a case) of each frequency is in rank order (shorter first, then by rowid),
 * so merging them by score (a binary heap of the lists' next documents) yields the full ranking's
 * order; the merge stops once it holds one document more than asked for. The score is FTS5's
 * bm25 arithmetic on the same numbers (its IDF from the word's document count, the average
 * length from FTS5's own totals). Documents with the same frequency
 * and length score the same bits everywhere and FTS5 orders them by rowid, as the lists do; two
 * documents with different numbers whose scores come within rounding of each other could be
 * ordered the other way by another platform's floating point (a fused multiply-add, another
 * `log`), so such a near tie anywhere in what is kept, or at its edge, gives up (null).
 */
import { BinaryHeap } from '../binary-heap.js';
import { cachedStatement, type ReadableDB } from '../store/database.js';
import { documentRange } from './case-documents.js';
import { readVarint, sumVarints } from './fts5-varints.js';
import type { SearchTerm } from './search-query.js';
import { onlyWordStartingWith } from './whole-words.js';

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

/** A word's documents for that word alone in rank order: its lists' frequencies merged by score. */
class WordStream {
  private readonly merge = new BinaryHeap<FrequencyList>(
    // Best score first, then the lower rowid (FTS5's order among equal scores).
    (a, b) =>
      a.score > b.score || (a.score === b.score && (a.rows[a.at]?.[1] ?? 0) < (b.rows[b.at]?.[1] ?? 0)),
  );
  private head: FrequencyList | undefined;

  constructor(
    private readonly next: ChunkStatement,
    heads: readonly FrequencyList[],
    /** The word's score in a document of this frequency and length. */
    readonly score: (freq: number, length: number) => number,
  ) {
    for (const list of heads) if (this.advance(list)) this.merge.push(list);
    this.head = this.merge.pop();
  }

  /** The next document's score (an upper bound on every document not yet taken); undefined at the end. */
  get bound(): number | undefined {
    return this.head?.score;
  }

  /** Takes the next document: its rowid, the word's frequency in it, its length and its list. */
  take(): { doc: number; freq: number; length: number; list: number; score: number } | undefined {
    const best = this.head;
    const row = best?.rows[best.at];
    if (!best || !row) return undefined;
    const taken = { doc: row[1], freq: best.freq, length: row[0], list: best.list, score: best.score };
    if (this.advance(best)) this.merge.push(best);
    this.head = this.merge.pop();
    return taken;
  }

  /** Moves the list to its next document (reading its next chunk when needed); false once it has no more. */
  private advance(list: FrequencyList): boolean {
    list.at++;
    if (list.at >= list.rows.length && !list.exhausted) {
      const last = list.rows.at(-1) ?? [-1, -1];
      list.rows = this.next.all({
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
    if (row) list.score = this.score(list.freq, row[0]);
    return row !== undefined;
  }
}

type ChunkStatement = ReturnType<ReturnType<ReadableDB['prepare']>['raw']>;

/**
 * Whether several words are ranked from their lists only when that costs less than FTS5 ranking
 * every match (two words, within `ROWS_PER_SEEK`'s budget), or always by the threshold algorithm
 * (for tests comparing it with FTS5, three words and more included).
 */
export type SeveralWordsWay = 'cheaper' | 'threshold';

/** A word of the query with its lists (in the case, or every case's) and its stream. */
interface ListedWord {
  /** Its list in each case it has one in, by case id. */
  readonly listOfCase: ReadonlyMap<string, number>;
  readonly stream: WordStream;
}

/**
 * The `limit` best-ranked documents (rowids, best first) matching a query in one case (`caseId`)
 * or all (null), from its words' impact lists; null when that cannot be shown here: a term that
 * is not one word (a phrase, an identifier's forms, a prefix that more than one word of the index
 * starts with), a word with no list (in that case), a near tie that makes the order uncertain, a
 * word whose lists of one frequency are so many for the documents the full ranking would weigh
 * that it costs less (`MATCHES_PER_HEAD`, `MATCHES_PER_HEAD_IN_CASE`: all cases, a word in a few
 * documents of each of hundreds of cases; one case, a word said once on one page and hundreds of
 * times on another), or several words that are seldom found together (`bestOfSeveral`).
 */
export function bestByImpact(
  db: ReadableDB,
  terms: readonly SearchTerm[],
  caseId: string | null,
  limit: number,
  way: SeveralWordsWay = 'cheaper',
): number[] | null {
  const words = impactWords(db, terms);
  if (words === null) return null;
  const distinct = [...new Set(words)];
  const several = words.length > 1;
  // Three words and more go deep before the bound stops them (4,000 documents weighed for the
  // best 20 of `barca Sfax bambini`): FTS5 costs less, and this is known before any word's
  // documents are counted (each count walks the word's doclist).
  if (several && way === 'cheaper' && distinct.length > 2) return null;
  // So is a long page's cost, before any list is read (their seeks are what it saves): in one
  // case, from the documents FTS5 would weigh there, not the index's.
  const counts = distinct.map((word) => wordCounts(db, word));
  const range = caseId === null ? null : caseRangeSize(db, caseId);
  const seeks = counts.reduce((sum, word) => sum + documentsInScope(word, range), 0) / ROWS_PER_SEEK;
  if (several && way === 'cheaper' && SEEKS_PER_KEPT * limit > seeks) return null;
  const size = indexSize(db);
  const listed: ListedWord[] = [];
  for (const [i, word] of distinct.entries()) {
    const found = listedWord(db, word, caseId, size, counts[i] ?? { documents: 0, occurrences: 0 });
    if (found === null) return null;
    listed.push(found);
  }
  const [only] = listed;
  if (only && !several) return bestOfOne(only.stream, limit);
  const termWords = words.map((word) => distinct.indexOf(word));
  return bestOfSeveral(db, listed, termWords, limit, way === 'threshold' ? Number.POSITIVE_INFINITY : seeks);
}

/**
 * How many documents of the index hold a word and its occurrences in them all (FTS5's
 * vocabulary, which reads the word's doclist to tell).
 */
function wordCounts(db: ReadableDB, word: string): WordCounts {
  const found = cachedStatement(db, 'SELECT doc, cnt FROM search_vocabulary WHERE term = ?')
    .raw()
    .get(word) as [number, number] | undefined;
  return { documents: found?.[0] ?? 0, occurrences: found?.[1] ?? 0 };
}

/** The best of one word: its stream's first `limit` documents, unless a near tie is among them. */
function bestOfOne(stream: WordStream, limit: number): number[] | null {
  const kept: Kept[] = [];
  while (kept.length <= limit) {
    const taken = stream.take();
    if (!taken) break;
    kept.push({ doc: taken.doc, score: taken.score, numbers: [taken.freq, taken.length] });
  }
  return withoutNearTies(kept) ? kept.slice(0, limit).map((k) => k.doc) : null;
}

/** A document kept, its score and the numbers behind it (equal numbers score the same bits). */
interface Kept {
  readonly doc: number;
  readonly score: number;
  readonly numbers: readonly number[];
}

/**
 * Whether no two neighbours in `kept` (best first) with different numbers behind them score
 * within `NEAR_TIE` of each other (another platform's floating point could order them the other
 * way).
 */
function withoutNearTies(kept: readonly Kept[]): boolean {
  for (let i = 1; i < kept.length; i++) {
    const a = kept[i - 1];
    const b = kept[i];
    if (!a || !b || a.numbers.every((n, j) => n === b.numbers[j])) continue;
    if (Math.abs(a.score - b.score) <= NEAR_TIE * Math.abs(a.score)) return false;
  }
  return true;
}

/**
 * Several words give up (the full ranking runs) once this many documents read from one word's
 * list lacked another word, and they are more than half of those read: words seldom found
 * together, whose few common documents FTS5 finds for less by walking their doclists together
 * (`Lampedusa tanger` in the bench store: 2-8 ms the full way).
 */
const MISSES_TO_GIVE_UP = 128;

/**
 * Ranking every match with FTS5 costs about as much as this many rows of the words' impact lists
 * a seek (`search_impacts` is hundreds of MB, keyed by document and list: 8-18 µs a seek at load
 * 12, where FTS5 weighs the two words of `Sfax bambini` in all 17,455 of their pages in 20-40 ms at
 * load 8): the threshold algorithm gives up (null) past the words' documents (in a case, at most
 * its range of rowids) / this many seeks.
 */
const ROWS_PER_SEEK = 10;

/**
 * The threshold algorithm needs about this many seeks a document asked for (two words: 7,080
 * documents weighed for the best 2,001 of `Sfax bambini`, 565 for the best 21), so it is not
 * started when that is past its budget (the evidence list's 2,000 of two words about as common).
 */
const SEEKS_PER_KEPT = 3;

/**
 * The best documents holding every word (`termWords`: the query's terms in order, each the index
 * of its word in `words`), by FTS5's score: the sum over the terms, in their order, of each one's
 * bm25 (its word's frequency in the document, the document's length). Fagin's threshold
 * algorithm on the words' streams: the word whose next document scores most is read next; each
 * document read is looked up in the other words' lists (a seek each) and, holding them all,
 * weighed exactly; a document not read yet from any stream holds each word at most at that
 * word's next score, so once their sum (in the same order: floating-point addition is monotonic)
 * falls below the `limit + 1`-th score kept by more than a near tie, no document left can enter
 * or come near. Every match holds every word, so a stream read to its end means every match has
 * been weighed. Null when the words are seldom found together (`MISSES_TO_GIVE_UP`) or a near tie
 * is among those kept.
 */
function bestOfSeveral(
  db: ReadableDB,
  words: readonly ListedWord[],
  termWords: readonly number[],
  limit: number,
  seekBudget: number,
): number[] | null {
  const seek = db.prepare('SELECT freq FROM search_impacts WHERE doc = ? AND list = ?').pluck();
  let seeksLeft = seekBudget;
  const caseOfList = new Map<number, string>();
  for (const word of words) for (const [caseId, list] of word.listOfCase) caseOfList.set(list, caseId);
  // The `limit + 1` best so far, the worst on top.
  const kept = new BinaryHeap<Kept>((a, b) => a.score < b.score || (a.score === b.score && a.doc > b.doc));
  const weighed = new Set<number>();
  let misses = 0;
  const bounds: number[] = words.map(() => 0);
  for (;;) {
    let from = -1;
    for (const [i, word] of words.entries()) {
      const bound = word.stream.bound;
      if (bound === undefined) return finish(kept, limit);
      bounds[i] = bound;
      if (from === -1 || bound > (bounds[from] ?? 0)) from = i;
    }
    let unread = 0.0;
    for (const w of termWords) unread += bounds[w] ?? 0;
    const worst = kept.peek();
    if (worst && kept.size > limit && unread < worst.score - NEAR_TIE * Math.abs(worst.score)) {
      return finish(kept, limit);
    }
    const taken = words[from]?.stream.take();
    if (!taken || weighed.has(taken.doc)) continue;
    weighed.add(taken.doc);
    // Each word's frequency in the document, from its list in the document's case (a seek each).
    const caseId = caseOfList.get(taken.list) ?? '';
    const freqs: number[] = [];
    for (const [i, word] of words.entries()) {
      if (i === from) {
        freqs.push(taken.freq);
        continue;
      }
      const list = word.listOfCase.get(caseId);
      if (list === undefined) break; // the word is in none of the case's documents
      if (--seeksLeft < 0) return null;
      const freq = seek.get(taken.doc, list) as number | undefined;
      if (freq === undefined) break;
      freqs.push(freq);
    }
    if (freqs.length < words.length) {
      if (++misses >= MISSES_TO_GIVE_UP && misses * 2 > weighed.size) return null;
      continue;
    }
    // bm25() adds the terms' scores in the query's order, from 0.
    let score = 0.0;
    for (const w of termWords) score += words[w]?.stream.score(freqs[w] ?? 0, taken.length) ?? 0;
    if (kept.size > limit) {
      if (!worst || score < worst.score || (score === worst.score && taken.doc > worst.doc)) continue;
      kept.pop();
    }
    kept.push({ doc: taken.doc, score, numbers: [...freqs, taken.length] });
  }
}

/** The kept documents best first, unless a near tie is among them. */
function finish(kept: BinaryHeap<Kept>, limit: number): number[] | null {
  const best: Kept[] = [];
  for (let next = kept.pop(); next; next = kept.pop()) best.push(next);
  best.reverse();
  return withoutNearTies(best) ? best.slice(0, limit).map((k) => k.doc) : null;
}

/**
 * A word's lists (in the case, or every case's) and its stream; null when it has none there, or
 * when its lists of one frequency are too many (`MATCHES_PER_HEAD`, `MATCHES_PER_HEAD_IN_CASE`).
 */
function listedWord(
  db: ReadableDB,
  word: string,
  caseId: string | null,
  size: IndexSize,
  counts: WordCounts,
): ListedWord | null {
  const term = cachedStatement(db, 'SELECT id FROM search_impact_terms WHERE term = ?').pluck().get(word) as
    | number
    | undefined;
  if (term === undefined) return null;
  const listOfCase = listsOf(db, term, caseId);
  if (listOfCase === null) return null;
  const score = scorer(counts, size);
  const perHead = caseId === null ? MATCHES_PER_HEAD : MATCHES_PER_HEAD_IN_CASE;
  const maxHeads = Math.max(SMALL_MERGE, Math.floor(fullRankingCost(db, counts, caseId) / perHead));
  const heads = frequencyLists(db, [...listOfCase.values()], maxHeads);
  if (heads === null) return null;
  const next = db
    .prepare(
      `SELECT length, doc FROM search_impacts INDEXED BY search_impacts_ranked
       WHERE list = @list AND freq = @freq AND (length, doc) > (@length, @doc)
       ORDER BY length, doc LIMIT @chunk`,
    )
    .raw();
  return { listOfCase, stream: new WordStream(next, heads, score) };
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
 * most the case's range of rowids, the range FTS5 reads the word's doclist in (`caseRange` in
 * case-documents.ts: two seeks), and its occurrences their share of the word's in the index.
 */
function fullRankingCost(db: ReadableDB, word: WordCounts, caseId: string | null): number {
  const documents = documentsInScope(word, caseId === null ? null : caseRangeSize(db, caseId));
  const occurrences = word.documents === 0 ? 0 : word.occurrences * (documents / word.documents);
  return documents + occurrences / OCCURRENCES_PER_MATCH;
}

/** How many rowids the case's documents span (FTS5 reads a word's doclist there alone). */
function caseRangeSize(db: ReadableDB, caseId: string): number {
  const { first, last } = documentRange(db, caseId);
  return first === null || last === null ? 0 : last - first + 1;
}

/** At most how many of the word's documents FTS5 weighs: in all cases (null), or a case's range. */
function documentsInScope(word: WordCounts, caseRange: number | null): number {
  return caseRange === null ? word.documents : Math.min(word.documents, caseRange);
}

/**
 * The word's lists to merge, by case: its list in the case asked for, or in every case; null when
 * there is none (every document holding a listed word is written into its case's list, so there is
 * no such document; left to the full ranking all the same rather than assumed: a word migration
 * 018 carried over from 017 whose documents were all gone has no list).
 */
function listsOf(db: ReadableDB, term: number, caseId: string | null): Map<string, number> | null {
  const rows = (
    caseId === null
      ? db.prepare('SELECT case_id, id FROM search_impact_lists WHERE term = ?').raw().all(term)
      : db
          .prepare('SELECT case_id, id FROM search_impact_lists WHERE term = ? AND case_id = ?')
          .raw()
          .all(term, caseId)
  ) as [string, number][];
  return rows.length === 0 ? null : new Map(rows);
}

/**
 * The words of the index a query stands for, one a term in the terms' order, or null: each term
 * one token, no identifier's forms; a prefix only when a single word of the index starts with it
 * (`onlyWordStartingWith`), which then matches the same documents with the same occurrences as
 * the word itself.
 */
export function impactWords(db: ReadableDB, terms: readonly SearchTerm[]): string[] | null {
  const words: string[] = [];
  for (const term of terms) {
    const word = wordOf(db, term);
    if (word === null) return null;
    words.push(word);
  }
  return words.length === 0 ? null : words;
}

/** The one word of the index a term stands for, or null (see `impactWords`). */
function wordOf(db: ReadableDB, term: SearchTerm): string | null {
  if (term.tokens.length !== 1 || (term.forms?.length ?? 0) > 1) return null;
  const token = term.tokens[0] ?? '';
  return term.prefix ? onlyWordStartingWith(db, token) : token;
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

/** The index's row count and average document length in tokens, from FTS5's averages record (`search_index_data` 1). */
interface IndexSize {
  readonly rows: number;
  readonly averageLength: number;
}

function indexSize(db: ReadableDB): IndexSize {
  const averages = db.prepare('SELECT block FROM search_index_data WHERE id = 1').pluck().get() as Buffer;
  const [rows, first] = readVarint(averages, 0);
  return { rows, averageLength: sumVarints(averages, first) / rows };
}

/**
 * A document's score for the word from its frequency and length: `bm25()`'s arithmetic for one
 * term, in its order, on FTS5's own row count and average length (`indexSize`) and the
 * number of documents holding the word (`wordCounts`).
 */
function scorer(
  { documents: hits }: WordCounts,
  { rows, averageLength }: IndexSize,
): (freq: number, length: number) => number {
  let idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
  if (idf <= 0.0) idf = 1e-6;
  return (freq, length) => idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + (B * length) / averageLength)));
}
