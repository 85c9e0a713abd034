import { describe, expect, test } from 'vitest';
import { migration001Initial } from '../../../../electron/core/store/migrations/001-initial.js';
import { useBlankDatabase } from '../../../support/migrated-database.js';

const EVIDENCE_TABLES = ['ledger', 'items', 'artifacts', 'annotations', 'investigators'];

describe('migration 001 (initial schema)', () => {
  // This migration alone: later ones add their own tables, tested in their own files.
  const blank = useBlankDatabase(migration001Initial);

  test('creates every table STRICT, so a value of the wrong type is refused rather than stored', () => {
    const tables = blank.db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as {
      name: string;
      strict: number;
    }[];
    expect(tables.map((t) => t.name).sort()).toEqual([
      'annotations',
      'artifacts',
      'cases',
      'investigators',
      'items',
      'ledger',
      'settings',
      'timestamp_tokens',
    ]);
    for (const table of tables)
      expect({ table: table.name, strict: table.strict }).toEqual({ table: table.name, strict: 1 });

    blank.db.pragma('foreign_keys = OFF'); // only the column types are under test here
    expect(() =>
      blank.db
        .prepare(
          'INSERT INTO artifacts (item_id, position, role, name, media_type, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run('item', 0, 'original', 'a.txt', 'text/plain', 'twelve bytes', 'a'.repeat(64)),
    ).toThrow(/cannot store TEXT value in INTEGER column artifacts.size/);
  });

  test('puts append-only triggers (no UPDATE, no DELETE) on every evidence table', () => {
    const triggers = (
      blank.db
        .prepare(
          `SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN (${EVIDENCE_TABLES.map(() => '?').join(', ')})`,
        )
        .all(...EVIDENCE_TABLES) as {
        name: string;
        tbl_name: string;
      }[]
    )
      .map((t) => `${t.tbl_name}:${t.name}`)
      .sort();
    expect(triggers).toEqual(
      EVIDENCE_TABLES.flatMap((t) => [`${t}:${t}_no_delete`, `${t}:${t}_no_update`]).sort(),
    );
  });

  test('refuses an artifact with a negative size or a hash that is not 64 characters', () => {
    blank.db.pragma('foreign_keys = OFF'); // only the CHECK constraints are under test here
    const insert = blank.db.prepare(
      'INSERT INTO artifacts (item_id, position, role, name, media_type, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    expect(() => insert.run('i', 0, 'original', 'a', 'text/plain', -1, 'a'.repeat(64))).toThrow(
      /CHECK constraint failed/,
    );
    expect(() => insert.run('i', 1, 'original', 'a', 'text/plain', 1, 'abc')).toThrow(
      /CHECK constraint failed/,
    );
  });
});
