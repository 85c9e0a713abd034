import { asSentence, errorCode, type NextStep } from '../errors.js';
import type { ReadableDB } from './database.js';

/** What to do about a damaged database, said wherever SQLite reports one, in the CLI's words or the window's. */
export function damagedDatabaseHint(next: NextStep): string {
  return `${asSentence(next.audit)} to see which tables are affected, and ${next.restore}`;
}

/** Which of SQLite's checks: `quick_check` (each b-tree's pages) or `integrity_check` (also every index against its table). */
export type IntegrityPragma = 'quick_check' | 'integrity_check';

/**
 * What SQLite's own check finds, each finding naming the table or index it affects; empty when
 * the database is sound. SQLite reports most damage as rows ("Tree 10 page 69 …"), whose tree
 * number is put beside the table's name; but damage it meets while comparing a table with its
 * indexes aborts the whole pragma with "database disk image is malformed", naming nothing. Then
 * each table is checked on its own (with its indexes), so the answer still says which ones are
 * affected. With `tables`, only those are checked (a writer's open).
 */
export function integrityFindings(
  db: ReadableDB,
  pragma: IntegrityPragma,
  tables?: readonly string[],
): string[] {
  const names = treeNames(db);
  if (tables === undefined) {
    try {
      return findingsOf(db.pragma(pragma) as Record<string, string>[], names);
    } catch (error) {
      if (!isCorruption(error)) throw error;
      // The whole-database check gave up: find which tables it gave up on.
      return checkEachTable(db, pragma, allTables(db), names);
    }
  }
  return checkEachTable(db, pragma, tables, names);
}

function checkEachTable(
  db: ReadableDB,
  pragma: IntegrityPragma,
  tables: readonly string[],
  names: ReadonlyMap<number, string>,
): string[] {
  const findings: string[] = [];
  for (const table of tables) {
    try {
      findings.push(
        ...findingsOf(db.pragma(`${pragma}(${quoteIdentifier(table)})`) as Record<string, string>[], names),
      );
    } catch (error) {
      if (!isCorruption(error)) throw error;
      const indexes = indexNames(db, table);
      findings.push(
        `table ${table}${indexes.length > 0 ? ` (or one of its indexes: ${indexes.join(', ')})` : ''} cannot be read: ${(error as Error).message}`,
      );
    }
  }
  return findings;
}

/** The rows of a check, "ok" left out, each tree number given its table's or index's name. */
function findingsOf(rows: readonly Record<string, string>[], names: ReadonlyMap<number, string>): string[] {
  return rows
    .map((row) => String(Object.values(row)[0]))
    .filter((text) => text !== 'ok')
    .map((text) =>
      text.replace(/\bTree (\d+)\b/g, (match, root: string) => {
        const name = names.get(Number(root));
        return name ? `${match} (${name})` : match;
      }),
    );
}

/** Each b-tree's root page and what it holds ("table items", "index items_by_case"). */
function treeNames(db: ReadableDB): Map<number, string> {
  const rows = db
    .prepare(
      "SELECT type, name, rootpage FROM sqlite_schema WHERE type IN ('table', 'index') AND rootpage > 0",
    )
    .all() as { type: string; name: string; rootpage: number }[];
  return new Map(rows.map((row) => [row.rootpage, `${row.type} ${row.name}`]));
}

function allTables(db: ReadableDB): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY rootpage")
    .pluck()
    .all() as string[];
}

function indexNames(db: ReadableDB, table: string): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? ORDER BY name")
    .pluck()
    .all(table) as string[];
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The largest database a writer checks with `PRAGMA quick_check` every time it opens. Measured
 * with bench/integrity (100,000 items, a 232 MB database, load average 17 on two cores):
 * quick_check 0.36 s, integrity_check 1.38 s, the ten evidence tables one by one 0.46 s (a pass per
 * table). So the whole-file quick_check is both the
 * cheapest and the widest; it grows with the file (about 1.5 s at 1 GB), which every write
 * command and every write burst of the app would pay. Up to this size it runs at every open
 * (under a second); above it, a write that meets a damaged page still fails with exit 1 (SQLite's
 * SQLITE_CORRUPT is an integrity failure, `damagedDatabase`) and `custos audit` checks it all.
 */
export const WRITER_CHECK_MAX_BYTES = 512 * 1024 * 1024;

/**
 * What a writer's open finds wrong with the database (SQLite's quick_check, findings naming the
 * table or index), or empty; nothing is checked above `WRITER_CHECK_MAX_BYTES`.
 */
export function writerIntegrityFindings(db: ReadableDB, databaseBytes: number): string[] {
  if (databaseBytes > WRITER_CHECK_MAX_BYTES) return [];
  return integrityFindings(db, 'quick_check');
}

/** Whether an error is SQLite meeting a damaged database file (SQLITE_CORRUPT, SQLITE_NOTADB). */
export function isCorruption(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}
