import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SeededEvidence, seedStore } from '../../support/seed-store.js';
import { openRawDatabase, sqliteShell } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/** Every evidence table kept append-only (docs/ARCHITECTURE.md, "The evidence store"). */
const TABLES = ['ledger', 'items', 'artifacts', 'annotations'] as const;

/** An edit someone might try on each table. */
const EDITS: Record<(typeof TABLES)[number], string> = {
  ledger: "UPDATE ledger SET details = '{}'",
  items: "UPDATE items SET digest = 'x'",
  artifacts: 'UPDATE artifacts SET size = size + 1',
  annotations: "UPDATE annotations SET text = 'rewritten'",
};

describe('evidence tables are append-only in the database itself', () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  let snapshot: Record<string, unknown[]>;

  function readAll(): Record<string, unknown[]> {
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      return Object.fromEntries(
        TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()]),
      );
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'AO-1' });
    seeded = await seedStore(temp, { files: 2 });
    snapshot = readAll();
    for (const table of TABLES) expect(snapshot[table]?.length, table).toBeGreaterThan(0);
  });
  afterAll(() => temp.remove());

  test.each(TABLES)('UPDATE on %s is rejected and changes nothing', (table) => {
    const db = openRawDatabase(temp.dir);
    try {
      expect(() => db.prepare(EDITS[table]).run()).toThrow(
        `${table} is append-only: evidence records are never changed`,
      );
    } finally {
      db.close();
    }
    expect(readAll()).toEqual(snapshot);
  });

  test.each(TABLES)('DELETE on %s is rejected and removes nothing', (table) => {
    const db = openRawDatabase(temp.dir);
    try {
      expect(() => db.prepare(`DELETE FROM ${table}`).run()).toThrow(
        `${table} is append-only: evidence records are never deleted`,
      );
    } finally {
      db.close();
    }
    expect(readAll()).toEqual(snapshot);
  });

  test('the sqlite3 shell is refused too: the rule lives in the database file, not in Custos', () => {
    const item = seeded.items[0]?.id ?? '';
    expect(() => sqliteShell(temp.dir, `UPDATE items SET title = 'x' WHERE id = '${item}';`)).toThrow(
      /items is append-only/,
    );
    expect(() => sqliteShell(temp.dir, `DELETE FROM ledger WHERE seq = ${seeded.headSeq};`)).toThrow(
      /ledger is append-only/,
    );
    expect(readAll()).toEqual(snapshot);
  });

  test('new rows can still be appended', () => {
    const store = temp.open();
    try {
      store.addTag(seeded.items[1]?.id ?? '', 'appended');
    } finally {
      store.close();
    }
    const after = readAll();
    expect(after.annotations?.length).toBe((snapshot.annotations?.length ?? 0) + 1);
    expect(after.ledger?.length).toBe((snapshot.ledger?.length ?? 0) + 1);
    snapshot = after;
  });
});
