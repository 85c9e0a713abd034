import { describe, expect, test } from 'vitest';
import { migration001Initial } from '../../../../electron/core/store/migrations/001-initial.js';
import { migrate, SCHEMA_VERSION } from '../../../../electron/core/store/migrations/index.js';
import { useBlankDatabase } from '../../../support/migrated-database.js';

const IMPRINT = 'ab'.repeat(32);

describe('migration 002 (timestamp queue)', () => {
  const blank = useBlankDatabase();

  const insert = (covers: string, status: 'pending' | 'granted') =>
    blank.db
      .prepare(
        "INSERT INTO timestamp_tokens (covers, imprint, status, requested_at) VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z')",
      )
      .run(covers, IMPRINT, status).lastInsertRowid;

  test('keeps the requests a version-1 store already queued, with no attempt recorded yet', () => {
    migration001Initial(blank.db);
    blank.db.pragma('user_version = 1');
    insert('item-1', 'pending');
    migrate(blank.db);
    expect(blank.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(
      blank.db.prepare('SELECT covers, status, attempts, last_error FROM timestamp_tokens').all(),
    ).toEqual([{ covers: 'item-1', status: 'pending', attempts: 0, last_error: null }]);
  });

  test('allows one pending request per subject, beside any number of granted tokens', () => {
    migrate(blank.db);
    insert('item-1', 'pending');
    expect(() => insert('item-1', 'pending')).toThrow(/UNIQUE constraint failed/);
    insert('item-1', 'granted');
    insert('item-1', 'granted');
    expect(
      blank.db.prepare("SELECT count(*) AS n FROM timestamp_tokens WHERE covers = 'item-1'").get(),
    ).toEqual({
      n: 3,
    });
  });

  test('a pending request may be updated or dropped, a granted token never', () => {
    migrate(blank.db);
    const pending = insert('item-1', 'pending');
    const granted = insert('item-2', 'granted');
    blank.db.prepare('UPDATE timestamp_tokens SET attempts = 1 WHERE id = ?').run(pending);
    expect(() =>
      blank.db.prepare("UPDATE timestamp_tokens SET gen_time = 'x' WHERE id = ?").run(granted),
    ).toThrow(/a granted timestamp token is never changed/);
    expect(() => blank.db.prepare('DELETE FROM timestamp_tokens WHERE id = ?').run(granted)).toThrow(
      /a granted timestamp token is never deleted/,
    );
    blank.db.prepare('DELETE FROM timestamp_tokens WHERE id = ?').run(pending);
  });
});
