import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openWritableDatabase } from '../../../../electron/core/store/database.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';

describe('migration 004 (cases append-only)', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = makeTempDir();
    db = openWritableDatabase(path.join(dir, 'custos.sqlite'));
    db.exec(`INSERT INTO investigators VALUES ('i1', 'Ana', NULL, NULL, 'f', 'pem', 't');
             INSERT INTO cases VALUES ('c1', 'BE-1', 'Boats', NULL, 't', 'i1');`);
  });
  afterEach(() => {
    db.close();
    removeTempDir(dir);
  });

  test('a case cannot be renamed, renumbered or deleted: the database refuses and keeps it as made', () => {
    expect(() => db.prepare("UPDATE cases SET title = 'Other' WHERE id = 'c1'").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE cases SET number = 'BE-2' WHERE id = 'c1'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM cases WHERE id = 'c1'").run()).toThrow(/append-only/);
    expect(db.prepare('SELECT number, title FROM cases').all()).toEqual([{ number: 'BE-1', title: 'Boats' }]);
  });

  test('new cases can still be added', () => {
    db.exec("INSERT INTO cases VALUES ('c2', 'BE-2', 'Trucks', NULL, 't', 'i1')");
    expect((db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(2);
  });
});
