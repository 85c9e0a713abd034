/**
 * Impact lists of the index's common words (migration 017), kept so that a word found on most of a
 * case's pages is ranked without weighing every match (`impact-ranking.ts`).
 *
 * For one word, BM25 orders documents by f / (f + k1·(1 − b + b·D / avgdl)): f the word's
 * weighted frequency in the document (a title occurrence 8, a tag 6, a note 4, the address 2, the
 * text 1), D the document's length in tokens, avgdl the index's average length. Among documents of
 * the same f, the shorter ranks better whatever avgdl is, so `search_impacts` (one row per common
 * word and document holding it) is indexed by (list, f, D, document), a list being one word in one
 * case (`search_impact_lists`): each list's f is already in rank order, and the ranking merges a
 * few of them. Nothing is stored that depends on avgdl, so no list goes stale when documents are
 * added or removed.
 *
 * Which words have lists: those in at least `COMMON_WORD_DOCS` documents when the lists were last
 * extended (`extendCommonWords`: when the store is migrated, and each time a case's documents have grown by
 * about a tenth, `extendsAt`); a word keeps its list once it has one. A word without a list is
 * ranked the full way, so the choice costs speed, never exactness; `custos reindex` keeps the words
 * and writes their lists again as it writes each document. Each list is complete: every
 * write of a search document writes its rows (f and D as FTS5 counts them, by FTS5's own
 * tokenizer on a scratch table) in the same transaction, and every removal removes them.
 */
import type { WritableDB } from '../store/database.js';
import { cachedStatement } from '../store/database.js';
import { numberInBlock } from './case-blocks.js';
import { sumVarints } from './fts5-varints.js';
import { COLUMN_WEIGHTS, SEARCH_COLUMNS, type SearchColumn } from './search-columns.js';

/**
 * A word found in this many documents gets an impact list: a case past the list's cap of 2,000
 * matches holds a word at least that common, and half of it leaves room for the words that grow
 * between two extensions.
 */
export const COMMON_WORD_DOCS = 1_000;

/** Lists are extended from this many documents on (a smaller index ranks every match in a few ms). */
const FIRST_EXTENSION = 1_024;

/**
 * Whether writing a case's `written`th document (the number in its case's block, case-blocks.ts:
 * each write of one of the case's documents takes the next) extends the lists: at every multiple
 * of a step that doubles as the case doubles, about each tenth of its growth, so that the
 * vocabulary scan (0.2 s at 100,000 documents) costs a few µs a document. By case since migration
 * 019 (before, by the index's rowid, which counted every case's writes): a store of many small
 * cases, none past `FIRST_EXTENSION`, has its lists extended when it is migrated and by reindex
 * only, and a case under it ranks every match in a few ms.
 */
export function extendsAt(written: number): boolean {
  if (written < FIRST_EXTENSION) return false;
  const step = Math.max(FIRST_EXTENSION, 2 ** Math.floor(Math.log2(written / 8)));
  return written % step === 0;
}

/** The scratch table's names (per connection, in the temp schema). */
const SCRATCH = 'temp.search_impact_scratch';
const SCRATCH_TERMS = 'temp.search_impact_scratch_terms';

/**
 * A one-document FTS5 table with the index's own tokenizer (read from its definition, so the two
 * never differ), and its vocabulary by column: how FTS5 itself counts a document's words. Looked
 * for at each use: made inside a transaction that was rolled back, it is gone.
 */
function ensureScratch(db: WritableDB): void {
  const exists = cachedStatement(
    db,
    "SELECT EXISTS (SELECT 1 FROM temp.sqlite_master WHERE name = 'search_impact_scratch_terms')",
  )
    .pluck()
    .get();
  if (exists) return;
  const definition = db
    .prepare("SELECT sql FROM sqlite_master WHERE name = 'search_index' AND type = 'table'")
    .pluck()
    .get() as string;
  const tokenizer = /tokenize\s*=\s*("[^"]*"|'[^']*')/.exec(definition)?.[1];
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS ${SCRATCH} USING fts5(${SEARCH_COLUMNS.join(', ')}, content = ''
      ${tokenizer ? `, tokenize = ${tokenizer}` : ''});
    CREATE VIRTUAL TABLE IF NOT EXISTS ${SCRATCH_TERMS} USING fts5vocab(temp, search_impact_scratch, col);
  `);
}

/**
 * Each common word's weighted frequency in one document of the case, by the word's list in that
 * case (the list made when it is the case's first document holding the word), and the document's
 * length in tokens.
 */
function countWords(
  db: WritableDB,
  caseId: string,
  columns: readonly string[],
): { readonly frequencies: Map<number, number>; readonly length: number } {
  ensureScratch(db);
  // Emptied first: a write that failed after its insert (and was caught) must not count here.
  cachedStatement(db, `INSERT INTO ${SCRATCH} (search_impact_scratch) VALUES ('delete-all')`).run();
  cachedStatement(
    db,
    `INSERT INTO ${SCRATCH} (rowid, ${SEARCH_COLUMNS.join(', ')}) VALUES (1, ?, ?, ?, ?, ?)`,
  ).run(...columns);
  // (The case's list of each word is looked up in the same statement: a JavaScript call a word
  // cost more than the list's own rows.)
  const counts = cachedStatement(
    db,
    `SELECT s.col, s.cnt, t.id, l.id FROM ${SCRATCH_TERMS} s LEFT JOIN search_impact_terms t ON t.term = s.term
     LEFT JOIN search_impact_lists l ON l.term = t.id AND l.case_id = ?`,
  )
    .raw()
    .all(caseId) as [SearchColumn, number, number | null, number | null][];
  const frequencies = new Map<number, number>();
  let length = 0;
  for (const [column, count, term, found] of counts) {
    length += count;
    if (term === null) continue;
    const list = found ?? newList(db, term, caseId);
    frequencies.set(list, (frequencies.get(list) ?? 0) + COLUMN_WEIGHTS[column] * count);
  }
  return { frequencies, length };
}

/** The list of a word in a case, made at the case's first document holding the word (or found). */
function newList(db: WritableDB, term: number, caseId: string): number {
  cachedStatement(db, 'INSERT OR IGNORE INTO search_impact_lists (term, case_id) VALUES (?, ?)').run(
    term,
    caseId,
  );
  return cachedStatement(db, 'SELECT id FROM search_impact_lists WHERE term = ? AND case_id = ?')
    .pluck()
    .get(term, caseId) as number;
}

/**
 * Writes a new search document's rows in the impact lists (`columns`: the index row's normalised
 * columns, in `SEARCH_COLUMNS` order; `caseId`: the document's case), then extends the lists when
 * the index has grown enough.
 */
export function writeImpacts(db: WritableDB, doc: number, caseId: string, columns: readonly string[]): void {
  if (cachedStatement(db, 'SELECT EXISTS (SELECT 1 FROM search_impact_terms)').pluck().get()) {
    const { frequencies, length } = countWords(db, caseId, columns);
    const insert = cachedStatement(
      db,
      'INSERT INTO search_impacts (doc, list, freq, length) VALUES (?, ?, ?, ?)',
    );
    for (const [list, freq] of frequencies) insert.run(doc, list, freq, length);
  }
  if (extendsAt(numberInBlock(doc))) extendCommonWords(db);
}

/** Removes a search document's rows from the impact lists. */
export function removeImpacts(db: WritableDB, doc: number): void {
  cachedStatement(db, 'DELETE FROM search_impacts WHERE doc = ?').run(doc);
}

/**
 * Empties every list before the index is rebuilt. The words keep their lists: each document
 * written again writes its rows, so the rebuilt index has its lists whole from its first document.
 */
export function clearImpacts(db: WritableDB): void {
  db.exec('DELETE FROM search_impacts');
}

/**
 * Gives an impact list to every word of the index found in at least `minDocs` documents that has
 * none yet, from FTS5's own vocabulary (each occurrence's document and column) and document sizes.
 */
export function extendCommonWords(db: WritableDB, minDocs = COMMON_WORD_DOCS): void {
  const words = db
    .prepare(
      `SELECT term FROM search_vocabulary WHERE doc >= ?
       AND term NOT IN (SELECT term FROM search_impact_terms)`,
    )
    .pluck()
    .all(minDocs) as string[];
  if (words.length === 0) return;
  const lengths = documentLengths(db);
  const cases = documentCases(db);
  const addWord = db.prepare('INSERT INTO search_impact_terms (term) VALUES (?)');
  const addList = db.prepare('INSERT INTO search_impact_lists (term, case_id) VALUES (?, ?)');
  const occurrences = db
    .prepare('SELECT doc, col, count(*) FROM search_vocabulary_instances WHERE term = ? GROUP BY doc, col')
    .raw();
  const insert = db.prepare('INSERT INTO search_impacts (doc, list, freq, length) VALUES (?, ?, ?, ?)');
  for (const word of words) {
    const term = Number(addWord.run(word).lastInsertRowid);
    const frequencies = new Map<number, number>();
    for (const [doc, column, count] of occurrences.all(word) as [number, SearchColumn, number][]) {
      frequencies.set(doc, (frequencies.get(doc) ?? 0) + COLUMN_WEIGHTS[column] * count);
    }
    const lists = new Map<string, number>();
    for (const [doc, freq] of frequencies) {
      const caseId = cases.get(doc);
      // An index row without its document (never written so: both go in one transaction) is in
      // no case, and no search shows it.
      if (caseId === undefined) continue;
      let list = lists.get(caseId);
      if (list === undefined) {
        list = Number(addList.run(term, caseId).lastInsertRowid);
        lists.set(caseId, list);
      }
      insert.run(doc, list, freq, lengths.get(doc) ?? 0);
    }
  }
}

/** Every search document's case (from `search_documents_by_case`, without reading the text). */
function documentCases(db: WritableDB): Map<number, string> {
  const rows = db
    .prepare('SELECT id, case_id FROM search_documents INDEXED BY search_documents_by_case')
    .raw()
    .all() as [number, string][];
  return new Map(rows);
}

/** Every document's length in tokens, as FTS5 keeps it (`search_index_docsize`: a varint a column). */
function documentLengths(db: WritableDB): Map<number, number> {
  const lengths = new Map<number, number>();
  for (const [id, sizes] of db.prepare('SELECT id, sz FROM search_index_docsize').raw().iterate() as Iterable<
    [number, Buffer]
  >) {
    lengths.set(id, sumVarints(sizes));
  }
  return lengths;
}
