import Database from 'better-sqlite3';
import type { ReadableDB, WritableDB } from './database.js';
import { MIGRATIONS } from './migrations/index.js';
import { withSqliteBinding } from './sqlite-binding.js';

/** One table, index, view or trigger of a database, as compared by the audit. */
export interface SchemaObject {
  readonly type: string;
  readonly name: string;
  /** Its SQL with every run of white space made one space; null for an FTS5 shadow table (see `schemaOf`). */
  readonly sql: string | null;
  /** A table's columns, in order (for naming what an ALTER TABLE added or dropped). */
  readonly columns: readonly string[];
}

/** A database's schema, keyed by `type name`. */
type Schema = ReadonlyMap<string, SchemaObject>;

/** The tables SQLite makes itself (AUTOINCREMENT's counters, ANALYZE's statistics). */
const SQLITE_TABLES = ['sqlite_sequence', 'sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4']
  .map((name) => `'${name}'`)
  .join(', ');

/**
 * The schema of `db` as `sqlite_schema` holds it, only what SQLite itself makes left out: the
 * tables sqlite_sequence and sqlite_stat1–sqlite_stat4 (ANALYZE or `PRAGMA optimize` may add a
 * stat table) and the automatic indexes of UNIQUE and PRIMARY KEY constraints (`sqlite_autoindex_*`
 * with no SQL), which their table's SQL already states. Any other object named `sqlite_*` is kept:
 * with `PRAGMA writable_schema` anyone can add a trigger or view so named, which SQLite loads.
 * FTS5 shadow tables (`search_index_data`, …) are compared by name alone: the SQLite that made
 * them writes their SQL, which may differ between versions of SQLite for the same migration.
 */
function schemaOf(db: ReadableDB): Schema {
  const shadow = new Set(
    (db.pragma('table_list') as { schema: string; name: string; type: string }[])
      .filter((t) => t.schema === 'main' && t.type === 'shadow')
      .map((t) => t.name),
  );
  const rows = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_schema
       WHERE NOT (type = 'table' AND name IN (${SQLITE_TABLES}))
         AND NOT (type = 'index' AND name LIKE 'sqlite\\_autoindex\\_%' ESCAPE '\\' AND sql IS NULL)
       ORDER BY type, name`,
    )
    .all() as { type: string; name: string; sql: string | null }[];
  const schema = new Map<string, SchemaObject>();
  for (const row of rows) {
    const table = row.type === 'table' && !shadow.has(row.name);
    schema.set(`${row.type} ${row.name}`, {
      type: row.type,
      name: row.name,
      sql: shadow.has(row.name) ? null : (row.sql ?? '').replace(/\s+/g, ' ').trim(),
      columns: table
        ? (db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all(row.name) as string[])
        : [],
    });
  }
  return schema;
}

let migrationSchemas: readonly Schema[] | undefined;

/**
 * The schema Custos's migrations make at each version (index = version, 0 = empty), built once
 * per process by migrating an in-memory database one migration at a time: the reference is the
 * migrations themselves, never a copy kept by hand.
 */
function schemasOfMigrations(): readonly Schema[] {
  if (migrationSchemas) return migrationSchemas;
  const db = new Database(':memory:', withSqliteBinding({})) as WritableDB;
  try {
    db.pragma('foreign_keys = ON');
    const schemas: Schema[] = [schemaOf(db)];
    for (const migration of MIGRATIONS) {
      db.transaction(() => migration.up(db))();
      schemas[migration.version] = schemaOf(db);
    }
    migrationSchemas = schemas;
    return schemas;
  } finally {
    db.close();
  }
}

/**
 * The schema the migrations make at each version (index = version, 0 = empty), normalised as the
 * audit compares it: for the golden snapshot test that keeps released migrations unedited.
 */
export function schemaOfEachVersion(): readonly (readonly SchemaObject[])[] {
  return schemasOfMigrations().map((schema) => [...schema.values()]);
}

function sameObject(a: SchemaObject, b: SchemaObject | undefined): boolean {
  return b !== undefined && a.sql === b.sql && a.columns.join('\0') === b.columns.join('\0');
}

/** The later schema version a database holds objects of, above the version it records, or null. */
interface LaterSchema {
  readonly version: number;
  /** The objects the recorded version does not make, as a later one does. */
  readonly objects: readonly string[];
}

/**
 * Whether `db`, recording schema version `recorded` in its `user_version`, holds tables, indexes,
 * views or triggers exactly as a later migration makes them: then the version was set back
 * (an upgrade would run those migrations again over them). A negative version, which no Custos
 * writes, is always set back (an upgrade would run every migration again), its `version` the one
 * the tables are at (0 when they match none).
 */
function laterSchemaHeld(actual: Schema, recorded: number): LaterSchema | null {
  const negative = recorded < 0;
  if (actual.size === 0 && !negative) return null; // a new database, about to be made
  const schemas = schemasOfMigrations();
  const base = Math.max(recorded, 0);
  const atRecorded = schemas[base];
  if (!atRecorded) return null;
  let version = 0;
  const objects: string[] = [];
  for (const [key, object] of actual) {
    if (sameObject(object, atRecorded.get(key))) continue;
    for (let later = schemas.length - 1; later > base; later--) {
      if (sameObject(object, schemas[later]?.get(key))) {
        version = Math.max(version, later);
        objects.push(`${object.type} ${object.name}`);
        break;
      }
    }
  }
  return version === 0 && !negative ? null : { version, objects };
}

/** The finding of a recorded schema version set below the schema the tables are at, in words. */
function loweredVersionFinding(recorded: number, later: LaterSchema): string {
  const named = later.objects.slice(0, 5).join(', ');
  const more = later.objects.length > 5 ? ` and ${later.objects.length - 5} more` : '';
  const holds = `it holds ${named}${more} as schema version ${later.version} makes them`;
  if (recorded < 0)
    return `the recorded schema version (PRAGMA user_version) is ${recorded}, which no Custos writes${later.objects.length > 0 ? `: ${holds}` : ''}. The version was set back; an upgrade would run every migration again${later.objects.length > 0 ? ' over a newer schema' : ''}`;
  return `the recorded schema version (PRAGMA user_version) is ${recorded}, below what the database's tables are: ${holds}. The version was set back; an upgrade would run migrations ${recorded + 1}–${later.version} again over a newer schema`;
}

/**
 * Why the schema version `db` records cannot be upgraded from (it was set below what its tables
 * are), or null. Asked before any upgrade: migrations run over a newer schema would fail half way
 * or, worse, rebuild tables the evidence is in.
 */
export function loweredSchemaVersion(db: ReadableDB, recorded: number): string | null {
  const later = laterSchemaHeld(schemaOf(db), recorded);
  return later && loweredVersionFinding(recorded, later);
}

/**
 * Every way `db`'s schema differs from the one Custos's migrations make at the version it records
 * (or, when that version was set back, at the version its tables are at), each in words saying
 * what the difference allows: a dropped append-only trigger, an added view, an altered table.
 */
export function schemaFindings(db: ReadableDB): string[] {
  const recorded = db.pragma('user_version', { simple: true }) as number;
  const schemas = schemasOfMigrations();
  const actual = schemaOf(db);
  const later = laterSchemaHeld(actual, recorded);
  const findings = later ? [loweredVersionFinding(recorded, later)] : [];
  const version = later?.version ?? recorded;
  const expected = schemas[version];
  if (!expected) return [`the recorded schema version ${version} is not one this Custos makes`];
  const atVersion = `(schema version ${version})`;
  for (const [key, object] of expected) {
    const found = actual.get(key);
    if (!found) findings.push(`the ${object.type} ${object.name} is missing${missingConsequence(object)}`);
    else if (!sameObject(found, object)) findings.push(changedFinding(found, object, atVersion));
  }
  for (const [key, object] of actual) {
    if (!expected.has(key))
      findings.push(
        `the ${object.type} ${object.name} is not one Custos's migrations make ${atVersion}: someone added it${object.sql ? ` (${object.sql})` : ''}`,
      );
  }
  return findings;
}

/** What a missing object allows, or costs: said of the append-only triggers and unique indexes. */
function missingConsequence(object: SchemaObject): string {
  const sql = object.sql ?? '';
  const trigger = /\bBEFORE (UPDATE|DELETE)\b.*?\bON (\w+)/i.exec(sql);
  if (object.type === 'trigger' && trigger && /RAISE\(ABORT/i.test(sql)) {
    const table = trigger[2] === 'ledger' ? 'the custody ledger' : `the table ${trigger[2]}`;
    const when = /\bWHEN\b/i.test(sql) ? ' where Custos keeps it unchanged' : '';
    return trigger[1]?.toUpperCase() === 'UPDATE'
      ? `: ${table} could be edited${when}`
      : `: rows of ${table} could be deleted${when}`;
  }
  if (object.type === 'index' && /^CREATE UNIQUE/i.test(sql)) return ': the uniqueness it enforces is gone';
  return '';
}

/** How an object differs from the one the migrations make, in words. */
function changedFinding(found: SchemaObject, expected: SchemaObject, atVersion: string): string {
  if (found.type === 'table' && found.columns.join('\0') !== expected.columns.join('\0')) {
    const added = found.columns.filter((c) => !expected.columns.includes(c));
    const dropped = expected.columns.filter((c) => !found.columns.includes(c));
    const parts = [
      added.length > 0 ? `it has columns Custos does not make: ${added.join(', ')}` : '',
      dropped.length > 0 ? `it lacks the columns ${dropped.join(', ')}` : '',
    ].filter((part) => part !== '');
    const how = parts.length > 0 ? parts.join('; ') : 'its columns are in another order';
    return `the table ${found.name} was altered ${atVersion}: ${how}`;
  }
  return `the ${found.type} ${found.name} differs from the one Custos's migrations make ${atVersion}: it is ${found.sql ?? 'a shadow table'}; Custos makes ${expected.sql ?? 'a shadow table'}`;
}
