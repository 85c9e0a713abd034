import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import type { WritableDB } from '../../../../electron/core/store/database.js';
import { MIGRATIONS, migrate } from '../../../../electron/core/store/migrations/index.js';
import { SEED_CASE_AND_ITEM, useMigratedDatabase } from '../../../support/migrated-database.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';

const PHASH = 'c736671d192fdcdf';
const BANDS = [0xc736, 0x671d, 0x192f, 0xdcdf];
const WARC = 'b'.repeat(64);

describe('migration 010 (page images)', () => {
  const database = useMigratedDatabase();
  const insert = (
    sha: string,
    role: string,
    uri: string | null,
    warc: string | null,
    offset: number | null,
  ) =>
    database.db
      .prepare(
        `INSERT INTO image_hashes (item_id, sha256, role, phash, band0, band1, band2, band3, uri, warc_sha256, record_offset)
         VALUES ('it1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(sha, role, PHASH, ...BANDS, uri, warc, offset);

  test('a page image row says where its picture is (its URL, the WARC and the record offset); other pictures say nothing of a WARC', () => {
    insert('a', 'page-image', 'https://example.test/boat.jpg', WARC, 1786);
    insert('b', 'screenshot', null, null, null);
    expect(() => insert('c', 'page-image', 'https://example.test/x.jpg', WARC, null)).toThrow(/CHECK/);
    expect(() => insert('d', 'page-image', null, WARC, 10)).toThrow(/CHECK/);
    expect(() => insert('e', 'screenshot', 'https://example.test/x.jpg', WARC, 10)).toThrow(/CHECK/);
    expect(() => insert('f', 'original', null, WARC, null)).toThrow(/CHECK/);
    expect(() => insert('g', 'page-image', 'https://example.test/y.jpg', WARC, -1)).toThrow(/CHECK/);
    expect(
      database.db.prepare('SELECT sha256, uri, record_offset AS o FROM image_hashes ORDER BY sha256').all(),
    ).toEqual([
      { sha256: 'a', uri: 'https://example.test/boat.jpg', o: 1786 },
      { sha256: 'b', uri: null, o: null },
    ]);
  });

  test('the band indexes are still used by lookups', () => {
    const plan = database.db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM image_hashes WHERE band2 IN (SELECT value FROM json_each(?))',
      )
      .all('[1]') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toContain('USING INDEX image_hashes_band2 (band2=?)');
  });

  test('the WARC scan summary of an item is derived data: one row per item, counts not negative, capped 0 or 1', () => {
    const scan = database.db.prepare(
      'INSERT INTO page_image_scans (item_id, found, hashed, small, unreadable, capped, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    scan.run('it1', 5, 2, 2, 1, 0, null);
    expect(() => scan.run('it1', 5, 2, 2, 1, 0, null)).toThrow(/UNIQUE/);
    database.db.exec('DELETE FROM page_image_scans');
    expect(() => scan.run('it1', -1, 0, 0, 0, 0, null)).toThrow(/CHECK/);
    expect(() => scan.run('it1', 1, 0, 0, 0, 2, null)).toThrow(/CHECK/);
    expect(() => scan.run('nope', 1, 0, 0, 0, 0, null)).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 010 on a store made before it', () => {
  let dir = '';
  afterEach(() => removeTempDir(dir));

  test('drops the old hashes and the image-hash derivation state only, so every item is hashed again with its page images', () => {
    dir = makeTempDir();
    const db = new Database(path.join(dir, 'custos.sqlite')) as WritableDB;
    try {
      db.pragma('foreign_keys = ON');
      for (const migration of MIGRATIONS.filter((m) => m.version <= 9)) migration.up(db);
      db.pragma('user_version = 9');
      db.exec(SEED_CASE_AND_ITEM);
      db.prepare('INSERT INTO image_hashes VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        'it1',
        'a',
        'original',
        PHASH,
        ...BANDS,
      );
      db.exec(`INSERT INTO derived_state (item_id, deriver, version, derived_at) VALUES
        ('it1', 'image-hash', 1, 't'), ('it1', 'search', 3, 't'), ('it1', 'entities', 2, 't')`);

      migrate(db);

      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(10);
      expect(db.prepare('SELECT count(*) AS n FROM image_hashes').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT deriver FROM derived_state ORDER BY deriver').all()).toEqual([
        { deriver: 'entities' },
        { deriver: 'search' },
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});
