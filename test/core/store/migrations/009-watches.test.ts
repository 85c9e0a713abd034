import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 009 (watches)', () => {
  const database =
    useMigratedDatabase(`INSERT INTO investigators VALUES ('i1', 'Ana', NULL, NULL, 'f', 'pem', 't');
             INSERT INTO cases VALUES ('c1', 'BE-1', 'Boats', NULL, 't', 'i1');
             INSERT INTO items (id, case_id, kind, source, captured_at, record, digest, created_seq)
               VALUES ('it1', 'c1', 'capture', 'https://x.example/p/1', 't', '{}', 'd', 2);
             INSERT INTO watches VALUES ('w1', 'c1', 'https://x.example/p/1', 21600, 't', 'i1', 3);
             INSERT INTO watch_checks (watch_id, checked_at, state, item_id, signals, ledger_seq)
               VALUES ('w1', 't', 'live', 'it1', '{}', 4);`);

  test('a watch, its checks and its removal can never be changed or deleted', () => {
    database.db.exec("INSERT INTO watch_removals VALUES ('w1', 't2', 'i1', 5)");
    for (const sql of [
      "UPDATE watches SET url = 'https://x.example/other'",
      'DELETE FROM watches',
      "UPDATE watch_checks SET state = 'unchanged'",
      'DELETE FROM watch_checks',
      "UPDATE watch_removals SET removed_at = 't3'",
      'DELETE FROM watch_removals',
    ]) {
      expect(() => database.db.exec(sql), sql).toThrow(/append-only/);
    }
    expect(database.db.prepare('SELECT state FROM watch_checks').all()).toEqual([{ state: 'live' }]);
  });

  test('a check that captured must name its item, and an unreachable one must not', () => {
    expect(() =>
      database.db.exec(
        "INSERT INTO watch_checks (watch_id, checked_at, state, item_id, signals, ledger_seq) VALUES ('w1', 't', 'changed', NULL, '{}', 6)",
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      database.db.exec(
        "INSERT INTO watch_checks (watch_id, checked_at, state, item_id, signals, ledger_seq) VALUES ('w1', 't', 'unreachable', 'it1', '{}', 6)",
      ),
    ).toThrow(/CHECK/);
    database.db.exec(
      "INSERT INTO watch_checks (watch_id, checked_at, state, item_id, signals, error, ledger_seq) VALUES ('w1', 't', 'unreachable', NULL, '{}', 'refused', 6)",
    );
  });

  test('a state outside the known ones, or a check of no watch, is refused', () => {
    expect(() =>
      database.db.exec(
        "INSERT INTO watch_checks (watch_id, checked_at, state, item_id, signals, ledger_seq) VALUES ('w1', 't', 'gone', 'it1', '{}', 6)",
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      database.db.exec(
        "INSERT INTO watch_checks (watch_id, checked_at, state, item_id, signals, ledger_seq) VALUES ('nope', 't', 'live', 'it1', '{}', 6)",
      ),
    ).toThrow(/FOREIGN KEY/);
  });
});
