import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { WritableDB } from '../../../../electron/core/store/database.js';
import { migration001Initial } from '../../../../electron/core/store/migrations/001-initial.js';
import { migrate, SCHEMA_VERSION } from '../../../../electron/core/store/migrations/index.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';

const IMPRINT = 'ab'.repeat(32);

describe('migration 002 (timestamp queue)', () => {
  let dir: string;
  let db: WritableDB;
  beforeEach(() => {
    dir = makeTempDir();
    db = new Database(path.join(dir, 'custos.sqlite')) as WritableDB;
  });
  afterEach(() => {
    db.close();
    removeTempDir(dir);
  });

  const insert = (covers: string, status: 'pending' | 'granted') =>
    db
      .prepare(
        "INSERT INTO timestamp_tokens (covers, imprint, status, requested_at) VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z')",
      )
      .run(covers, IMPRINT, status).lastInsertRowid;

  test('keeps the requests a version-1 store already queued, with no attempt recorded yet', () => {
    migration001Initial(db);
    db.pragma('user_version = 1');
    insert('item-1', 'pending');
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT covers, status, attempts, last_error FROM timestamp_tokens').all()).toEqual([
      { covers: 'item-1', status: 'pending', attempts: 0, last_error: null },
    ]);
  });

  test('allows one pending request per subject, beside any number of granted tokens', () => {
    migrate(db);
    insert('item-1', 'pending');
    expect(() => insert('item-1', 'pending')).toThrow(/UNIQUE constraint failed/);
    insert('item-1', 'granted');
    insert('item-1', 'granted');
    expect(db.prepare("SELECT count(*) AS n FROM timestamp_tokens WHERE covers = 'item-1'").get()).toEqual({
      n: 3,
    });
  });

  test('a pending request may be updated or dropped, a granted token never', () => {
    migrate(db);
    const pending = insert('item-1', 'pending');
    const granted = insert('item-2', 'granted');
    db.prepare('UPDATE timestamp_tokens SET attempts = 1 WHERE id = ?').run(pending);
    expect(() => db.prepare("UPDATE timestamp_tokens SET gen_time = 'x' WHERE id = ?").run(granted)).toThrow(
      /a granted timestamp token is never changed/,
    );
    expect(() => db.prepare('DELETE FROM timestamp_tokens WHERE id = ?').run(granted)).toThrow(
      /a granted timestamp token is never deleted/,
    );
    db.prepare('DELETE FROM timestamp_tokens WHERE id = ?').run(pending);
  });
});
