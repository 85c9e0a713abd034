import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openReadableDatabase, openWritableDatabase } from '../../../electron/core/store/database.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('the store database', () => {
  let temp: TempStore;
  beforeAll(() => {
    temp = makeTempStore({ caseNumber: 'DB-1' });
  });
  afterAll(() => temp.remove());

  test('a writing handle uses WAL, synchronous=FULL and enforces foreign keys', () => {
    const db = openWritableDatabase(path.join(temp.dir, 'custos.sqlite'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  test('the store opened for writing has the same settings', () => {
    const store = temp.open();
    try {
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      store.close();
    }
  });

  test('WAL mode is recorded in the file, so every other connection reads through the WAL too', () => {
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  test('an artifact of an item that does not exist is refused (foreign key)', () => {
    const store = temp.open();
    try {
      expect(() =>
        store.transaction((db) =>
          db
            .prepare(
              'INSERT INTO artifacts (item_id, position, role, name, media_type, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
            )
            .run('no-such-item', 0, 'original', 'a.txt', 'text/plain', 1, 'a'.repeat(64)),
        ),
      ).toThrow(/FOREIGN KEY constraint failed/);
    } finally {
      store.close();
    }
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM artifacts').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  test('a reading handle cannot write and checks foreign keys', () => {
    const db = openReadableDatabase(path.join(temp.dir, 'custos.sqlite'));
    try {
      expect(db.readonly).toBe(true);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(() => db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run()).toThrow(
        /readonly database/,
      );
    } finally {
      db.close();
    }
  });

  test('a reading handle refuses a folder with no database rather than creating one', () => {
    const missing = path.join(temp.base, 'nothing-here.sqlite');
    expect(() => openReadableDatabase(missing)).toThrow();
    expect(fs.existsSync(missing)).toBe(false);
  });
});
