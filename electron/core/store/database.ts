import Database from 'better-sqlite3';
import { asSentence, errorCode, errorSaying } from '../errors.js';
import { migrate, SCHEMA_VERSION, type UpgradeListener } from './migrations/index.js';
import { withSqliteBinding } from './sqlite-binding.js';
import { loweredSchemaVersion } from './store-schema.js';

/** A handle that may write. */
export type WritableDB = Database.Database & { readonly __writable: true };
/** A handle opened read-only: the type keeps writes out of query functions that take it. */
export type ReadableDB = Database.Database | WritableDB;

/**
 * Opens the store's database for writing: WAL with synchronous=FULL (a committed transaction
 * survives power loss), foreign keys on, migrated to the current schema (`onUpgrade` told first
 * when an existing database is upgraded).
 */
export function openWritableDatabase(file: string, onUpgrade?: UpgradeListener): WritableDB {
  const db = new Database(file, withSqliteBinding({ timeout: 10_000 })) as WritableDB;
  // A refused store (from a newer Custos, or its version set back) is left as it was, and not held open.
  return closedOnFailure(db, () => {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    requireUpgradableVersion(db);
    migrate(db, onUpgrade);
    return db;
  });
}

/**
 * What `use` makes of the database just opened, `db`; `db` is closed when `use` throws, so that
 * an open refused (or failing) after its database was opened holds no handle on the file: every
 * open of the store goes through it. What `use` threw is what the caller is told, even when the
 * close fails too: that is why the store was refused, and what the user can act on.
 */
export function closedOnFailure<D extends { close(): void }, T>(db: D, use: () => T): T {
  try {
    return use();
  } catch (error) {
    try {
      db.close();
    } catch {
      // The refusal above is the answer; a close that fails as well changes nothing it says.
    }
    throw error;
  }
}

/**
 * Refuses, as an integrity failure, a database whose recorded schema version (`user_version`) is
 * below what its tables are (someone set it back): an upgrade would run migrations over a newer
 * schema, failing half way or rebuilding the tables the evidence is in. So is one whose schema
 * SQLite cannot read to tell (a virtual table of a module it lacks: SQLITE_ERROR), which the
 * audit names as a `database schema` problem: thrown as it was, "no such module" made every
 * other command fail as if it, not the store, were at fault (exit 3). A damaged file is thrown as
 * it is (`describeSystemError` words it, exit 1), as are another program's lock and the disk.
 * Asked only of a database that would be upgraded (a version set to 0 included), by every open:
 * a reader's, a writer's and the app's upgrade; a current one costs nothing.
 */
export function requireUpgradableVersion(db: Database.Database): void {
  const recorded = db.pragma('user_version', { simple: true }) as number;
  if (recorded >= SCHEMA_VERSION) return;
  let lowered: string | null;
  try {
    lowered = loweredSchemaVersion(db, recorded);
  } catch (error) {
    if (errorCode(error) !== 'SQLITE_ERROR') throw error;
    lowered = `its schema cannot be read (SQLite: ${(error as Error).message}), and it records schema version ${recorded} (PRAGMA user_version), below this Custos's ${SCHEMA_VERSION}: an upgrade would run migrations over tables SQLite cannot read`;
  }
  if (lowered)
    throw errorSaying(
      'integrity',
      (next) =>
        `this store's database was edited, so it was not upgraded and nothing was written: ${lowered}. ${asSentence(next.audit)} to see what else differs, and ${next.restore}`,
    );
}

/**
 * How long the checks made when a store is opened wait for a lock on its database. A Custos reader
 * is never locked out for long under WAL: only while a closing connection checkpoints (a moment)
 * or the first one after a crash recovers the log. A lock held longer is another program's (a
 * database browser, a backup tool, in exclusive locking mode), which the open reports at once
 * (exit 3) rather than blocking the thread (the app's main process) for SQLite's usual 10 s.
 */
export const OPEN_CHECK_BUSY_MS = 1_000;

/**
 * Opens the store's database read-only (for listing, showing and auditing); `busyTimeoutMs` is how
 * long a statement waits for a lock another connection holds.
 */
export function openReadableDatabase(file: string, busyTimeoutMs = 10_000): ReadableDB {
  const db = new Database(
    file,
    withSqliteBinding({ readonly: true, fileMustExist: true, timeout: busyTimeoutMs }),
  );
  return closedOnFailure(db, () => {
    db.pragma('foreign_keys = ON');
    return db;
  });
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The statement for `sql`, prepared once per database handle: preparing costs more than running a
 * small query, and an import commits a thousand items in one transaction. Only for statements
 * that are run, got or listed whole (an `iterate` in progress keeps its statement busy).
 */
export function cachedStatement(db: ReadableDB, sql: string): Database.Statement {
  let statements = statementCache.get(db);
  if (!statements) {
    statements = new Map();
    statementCache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
