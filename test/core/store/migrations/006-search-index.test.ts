import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 006 (search index)', () => {
  const database = useMigratedDatabase();

  const matches = (query: string) =>
    (
      database.db.prepare('SELECT rowid FROM search_index WHERE search_index MATCH ?').all(query) as {
        rowid: number;
      }[]
    ).map((r) => r.rowid);

  test('the index is derived: its rows can be replaced and deleted (evidence tables cannot)', () => {
    database.db.exec(`INSERT INTO search_documents (id, item_id, case_id, title, url, body, notes, tags)
             VALUES (1, 'it1', 'c1', 'Boat', 'a.txt', 'barca grande', '', '')`);
    database.db.exec(
      "INSERT INTO search_index (rowid, title, url, body, notes, tags) VALUES (1, 'boat', 'a txt', 'barca grande', '', '')",
    );
    expect(matches('barca')).toEqual([1]);
    database.db.exec('DELETE FROM search_index WHERE rowid = 1');
    expect(matches('barca')).toEqual([]);
    database.db.exec("UPDATE search_documents SET body = 'x'");
    database.db.exec('DELETE FROM search_documents');
    expect(() => database.db.exec("UPDATE items SET title = 'x'")).toThrow(/append-only/);
  });

  test('a search document can only name an item the store holds, once', () => {
    const insert = (item: string) =>
      database.db.exec(`INSERT INTO search_documents (item_id, case_id, title, url, body, notes, tags)
               VALUES ('${item}', 'c1', '', '', '', '', '')`);
    expect(() => insert('nope')).toThrow(/FOREIGN KEY/);
    insert('it1');
    expect(() => insert('it1')).toThrow(/UNIQUE/);
  });

  test('tokens keep their combining marks and split at Ethiopic punctuation', () => {
    database.db.exec("INSERT INTO search_index (rowid, body) VALUES (7, 'नमस्ते ጉዕዞ፡ናብ።ሊብያ')");
    expect(matches('नमस्ते')).toEqual([7]);
    expect(matches('ሊብያ')).toEqual([7]);
  });
});
