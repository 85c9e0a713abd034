import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { CustosError } from '../../../../electron/core/errors.js';
import { openWritableDatabase, type WritableDB } from '../../../../electron/core/store/database.js';
import { EvidenceStore } from '../../../../electron/core/store/evidence-store.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../../../electron/core/store/migrations/index.js';
import { runCustos } from '../../../support/run-custos.js';
import { makeTempDir, makeTempStore, removeTempDir } from '../../../support/temp-store.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

function tableNames(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

describe('migrate', () => {
  test('numbers its migrations 1 to N with no gap, each file named after its number, so every store reaches the same schema', () => {
    // Branches merged in any order must still give one sequence: a gap or a repeat would let two
    // stores at the same user_version hold different schemas.
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    const files = fs
      .readdirSync(path.join(import.meta.dirname, '../../../../electron/core/store/migrations'))
      .filter((name) => /^\d{3}-.*\.ts$/.test(name))
      .sort();
    expect(files).toEqual(MIGRATIONS.map((m) => `${String(m.version).padStart(3, '0')}-${m.name}.ts`));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  test('brings an empty database to the current schema version, every table STRICT (FTS5 virtual tables and their shadow tables cannot be)', () => {
    const file = path.join(tempDir(), 'custos.sqlite');
    const db = openWritableDatabase(file);
    try {
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(tableNames(db)).toEqual(
        expect.arrayContaining([
          'annotations',
          'artifacts',
          'cases',
          'investigators',
          'items',
          'ledger',
          'timestamp_tokens',
        ]),
      );
      const strict = db
        .prepare(
          "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .all() as { name: string; strict: number }[];
      expect(strict.filter((t) => t.strict !== 1).map((t) => t.name)).toEqual([]);
    } finally {
      db.close();
    }
  });

  test('running it again on a current database changes nothing', () => {
    const file = path.join(tempDir(), 'custos.sqlite');
    openWritableDatabase(file).close();
    const db = new Database(file) as WritableDB;
    try {
      const schemaBefore = db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
      migrate(db);
      expect(db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(
        schemaBefore,
      );
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  test('applies all its migrations in one transaction: a failure half-way leaves the database as it was', () => {
    const file = path.join(tempDir(), 'custos.sqlite');
    // A table the first migration creates near its end already exists: its CREATE fails after the
    // earlier tables were created, and every one of them must be rolled back with it.
    const setup = new Database(file);
    setup.exec('CREATE TABLE timestamp_tokens (x INTEGER) STRICT');
    setup.close();

    expect(() => openWritableDatabase(file)).toThrow(/timestamp_tokens already exists/);

    const db = new Database(file, { readonly: true });
    try {
      expect(tableNames(db)).toEqual(['timestamp_tokens']);
      expect(db.pragma('user_version', { simple: true })).toBe(0);
    } finally {
      db.close();
    }
  });

  test('refuses a database from a newer Custos as bad input, with a message saying to use the newer Custos, and leaves it untouched', () => {
    const file = path.join(tempDir(), 'custos.sqlite');
    const setup = new Database(file);
    setup.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    setup.close();
    const before = fs.readFileSync(file);

    let thrown: unknown;
    try {
      openWritableDatabase(file).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CustosError);
    expect((thrown as CustosError).kind).toBe('bad-input');
    expect((thrown as CustosError).message).toBe(
      `this store's database is schema version ${SCHEMA_VERSION + 1}, newer than this Custos understands (${SCHEMA_VERSION}); nothing was written. Use the newer Custos that wrote it, or update this one`,
    );

    const db = new Database(file, { readonly: true });
    try {
      expect(tableNames(db)).toEqual([]);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    } finally {
      db.close();
    }
    expect(fs.readFileSync(file).subarray(100)).toEqual(before.subarray(100)); // past the header WAL mode may touch
  });

  test('custos refuses a store from a newer version, for writing and for reading, with exit 2 (bad input, nothing written) and says to use the newer Custos', async () => {
    const temp = makeTempStore({ caseNumber: 'MIG-1' });
    dirs.push(temp.base);
    const db = new Database(path.join(temp.dir, 'custos.sqlite'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();

    const [write, read] = await Promise.all([
      runCustos(['case', 'create', '--number', 'MIG-2', '--title', 'refused'], { store: temp.dir }),
      runCustos(['case', 'list'], { store: temp.dir }),
    ]);
    for (const result of [write, read]) {
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(
        `schema version ${SCHEMA_VERSION + 5}, newer than this Custos understands`,
      );
      expect(result.stderr).toContain('Use the newer Custos that wrote it');
    }
    const db2 = new Database(path.join(temp.dir, 'custos.sqlite'), { readonly: true });
    expect(db2.prepare("SELECT count(*) FROM cases WHERE number = 'MIG-2'").pluck().get()).toBe(0);
    db2.close();
    expect(() => EvidenceStore.openForReading(temp.dir)).toThrow(/newer than this Custos understands/);
  });
});
