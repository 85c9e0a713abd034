import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { CustosError } from '../../../electron/core/errors.js';
import { openWritableDatabase, type WritableDB } from '../../../electron/core/store/database.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../electron/core/store/migrations/index.js';
import { loweredSchemaVersion, schemaFindings } from '../../../electron/core/store/store-schema.js';
import { schemaVersionOf } from '../../support/older-store.js';
import { committedCaseNumbers, sqliteShell } from '../../support/sqlite.js';
import { makeTempDir, makeTempStore, removeTempDir } from '../../support/temp-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

/** A database file migrated as an older Custos left it: migrations 1 to `version` only, each committed. */
function databaseAtVersion(version: number): string {
  const dir = makeTempDir();
  dirs.push(dir);
  const file = path.join(dir, 'custos.sqlite');
  const db = new Database(file) as WritableDB;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    for (const migration of MIGRATIONS.slice(0, version)) {
      db.transaction(() => {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      })();
    }
  } finally {
    db.close();
  }
  return file;
}

describe('the schema the audit expects', () => {
  test.each(MIGRATIONS.slice(0, -1).map((m) => m.version))(
    'a database left at schema version %i, then upgraded, has exactly the schema of a new one (no finding)',
    (version) => {
      const file = databaseAtVersion(version);
      const atVersion = new Database(file, { readonly: true });
      try {
        expect(schemaFindings(atVersion)).toEqual([]); // an older store matches its own version's schema
      } finally {
        atVersion.close();
      }
      const upgraded = openWritableDatabase(file);
      try {
        expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        expect(schemaFindings(upgraded)).toEqual([]);
      } finally {
        upgraded.close();
      }
    },
  );

  test("the app's upgrade of a store whose schema version was set back is refused as an integrity failure, nothing written", async () => {
    const temp = makeTempStore({ caseNumber: 'APP-1' });
    try {
      sqliteShell(temp.dir, 'PRAGMA user_version = 16;');
      const refused = await EvidenceStore.upgradeOnThread(temp.dir).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(CustosError);
      expect((refused as CustosError).kind).toBe('integrity');
      expect((refused as CustosError).message).toMatch(
        /was edited, so it was not upgraded and nothing was written: the recorded schema version \(PRAGMA user_version\) is 16, below what the database's tables are/,
      );
      expect(schemaVersionOf(temp.dir)).toBe(16);
      expect(committedCaseNumbers(temp.dir)).toEqual(['APP-1']);
    } finally {
      temp.remove();
    }
  });

  test('a schema version set back by any amount is told: every migration leaves a mark in the schema', () => {
    const file = databaseAtVersion(SCHEMA_VERSION);
    const db = new Database(file);
    try {
      for (let version = 0; version < SCHEMA_VERSION; version++) {
        db.pragma(`user_version = ${version}`);
        expect(loweredSchemaVersion(db, version)).toMatch(
          new RegExp(
            `is ${version}, below what the database's tables are: .* as schema version ${SCHEMA_VERSION} makes them`,
          ),
        );
      }
    } finally {
      db.close();
    }
  });

  test('a negative schema version (which no Custos writes) is set back: named, and refused as an integrity failure before any migration', () => {
    const file = databaseAtVersion(SCHEMA_VERSION);
    const db = new Database(file);
    db.pragma('user_version = -1');
    try {
      expect(loweredSchemaVersion(db, -1)).toMatch(
        new RegExp(`is -1, which no Custos writes: .* as schema version ${SCHEMA_VERSION} makes them`),
      );
      // The rest of the schema is compared at the version the tables are at: nothing else differs.
      expect(schemaFindings(db)).toEqual([loweredSchemaVersion(db, -1)]);
    } finally {
      db.close();
    }
    const refused = (() => {
      try {
        openWritableDatabase(file).close();
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(CustosError);
    expect((refused as CustosError).kind).toBe('integrity');
    expect((refused as CustosError).message).toMatch(
      /nothing was written: the recorded schema version \(PRAGMA user_version\) is -1/,
    );
    const after = new Database(file, { readonly: true });
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(-1);
    } finally {
      after.close();
    }
  });

  test('a schema version set to 0 over a full schema is refused too, rather than migrated from scratch', () => {
    const file = databaseAtVersion(SCHEMA_VERSION);
    const db = new Database(file);
    db.pragma('user_version = 0');
    db.close();
    expect(() => openWritableDatabase(file)).toThrow(/recorded schema version \(PRAGMA user_version\) is 0/);
  });
});
