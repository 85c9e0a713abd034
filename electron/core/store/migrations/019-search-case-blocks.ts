import type { WritableDB } from '../database.js';

/** 2^32: the rowids of one case's block (electron/core/search/case-blocks.ts, `BLOCK_SIZE`). */
const BLOCK_SIZE = 4_294_967_296;

/** The most blocks whose ids stay exact JavaScript numbers (below 2^53; case-blocks.ts, `MAX_BLOCK`). */
const MAX_BLOCK = 2_097_151;

/**
 * Each case's search documents in its own block of rowids (electron/core/search/case-blocks.ts):
 * `search_case_blocks` gives each case with documents a block (1, 2, … in the order of each case's
 * first document), and every document is numbered again `block · 2^32 + n`, n = 1, 2, … in the
 * order of its old id within its case, in `search_documents`, in the rowids of `search_index` and
 * in `search_impacts.doc`. Before, ids were one sequence for all cases, so cases captured into by
 * turns (or an old item noted after a later case was captured) interleaved, and a search in one
 * case read, weighed and dropped the other's matches in its range (the code that dropped them
 * was removed once every store is numbered so).
 *
 * Derived data only, every document kept exactly: the same text in the same columns, FTS5's
 * statistics (row count, token totals, each document's sizes) the same, so every bm25() score is
 * the same bits; only ties between equal scores, broken by rowid, now follow the new ids (within
 * a case, the same order as before). An index row or impact row with no document (never written
 * so: all three go in one transaction) is dropped, as no search could show it.
 *
 * Each of the three tables is copied in the new order into a table made again from its own CREATE
 * statement (`renumber`: its SQL unchanged, which the audit's schema check compares), writing each
 * b-tree once, in order: the bench store's 100,500 documents took 24 s at load 7-8 (FTS5's copy
 * 7 s, the impact lists' 4 million rows and their index 8 s, the merge below about 1 s), where
 * FTS5's rowid UPDATE, which deletes and inserts every token of each row, took 34 s for the index
 * alone.
 */
export function migration019SearchCaseBlocks(db: WritableDB): void {
  db.exec(`
    CREATE TABLE search_case_blocks (
      case_id TEXT PRIMARY KEY REFERENCES cases(id),
      block INTEGER NOT NULL UNIQUE
    ) STRICT;
    INSERT INTO search_case_blocks (case_id, block)
      SELECT case_id, row_number() OVER (ORDER BY min(id)) FROM search_documents GROUP BY case_id;
  `);
  const blocks = db.prepare('SELECT count(*) FROM search_case_blocks').pluck().get() as number;
  if (blocks > MAX_BLOCK) {
    throw new Error(`the search index's ${blocks} cases are more than its ${MAX_BLOCK} blocks of numbers`);
  }
  // (No case has 2^32 documents: n stays inside its block.)
  db.exec(`
    CREATE TEMP TABLE search_renumbered (old INTEGER PRIMARY KEY, new INTEGER NOT NULL UNIQUE) STRICT;
    INSERT INTO temp.search_renumbered (old, new)
      SELECT d.id, b.block * ${BLOCK_SIZE} + row_number() OVER (PARTITION BY d.case_id ORDER BY d.id)
      FROM search_documents d JOIN search_case_blocks b ON b.case_id = d.case_id;
  `);
  renumber(
    db,
    'search_documents',
    `SELECT r.new, o.item_id, o.case_id, o.title, o.url, o.body, o.notes, o.tags
     FROM temp.search_renumbered r JOIN OLD o ON o.id = r.old ORDER BY r.new`,
  );
  renumber(
    db,
    'search_index',
    `SELECT r.new, o.title, o.url, o.body, o.notes, o.tags
     FROM temp.search_renumbered r JOIN OLD o ON o.rowid = r.old ORDER BY r.new`,
    '(rowid, title, url, body, notes, tags)',
  );
  // Merged into one segment: as the bulk copy leaves it, each later write of a document (its
  // delete and insert flush FTS5's pending data) merged more: 0.31 against 0.13 ms in the index
  // before, 0.14-0.20 ms once merged (bench store, load 4-5); the merge took about 1 s.
  db.exec("INSERT INTO search_index (search_index) VALUES ('optimize')");
  renumber(
    db,
    'search_impacts',
    `SELECT r.new, o.list, o.freq, o.length
     FROM temp.search_renumbered r JOIN OLD o ON o.doc = r.old ORDER BY r.new, o.list`,
  );
  db.exec('DROP TABLE temp.search_renumbered');
}

/**
 * Copies `table` into a table made again from its own CREATE statement as the store has it (its
 * SQL unchanged: the schema's check compares it), its rows those `select` reads from the old one
 * (`OLD`), then drops the old one and makes its indexes again from their own statements. (For the
 * FTS5 index, its shadow tables go with it; its vocabulary tables, `fts5vocab` over it by name,
 * read the new one.)
 */
function renumber(db: WritableDB, table: string, select: string, columns = ''): void {
  const objects = db
    .prepare('SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL')
    .raw()
    .all(table) as [string, string][];
  const statements = (type: string) => objects.flatMap(([t, sql]) => (t === type ? [`${sql};`] : []));
  const old = `${table}_018`;
  db.exec(`
    ALTER TABLE ${table} RENAME TO ${old};
    ${statements('table').join('\n')}
    INSERT INTO ${table} ${columns} ${select.replace('OLD', old)};
    DROP TABLE ${old};
    ${statements('index').join('\n')}
  `);
}
