import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openWritableDatabase } from '../../../../electron/core/store/database.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';

describe('migration 008 (image hashes)', () => {
  let dir: string;
  let db: Database.Database;
  const insert = (phash: string, bands = [0xc736, 0x671d, 0x192f, 0xdcdf], sha = 'a') =>
    db
      .prepare('INSERT INTO image_hashes VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('it1', sha, 'original', phash, ...bands);
  beforeEach(() => {
    dir = makeTempDir();
    db = openWritableDatabase(path.join(dir, 'custos.sqlite'));
    db.exec(`INSERT INTO investigators VALUES ('i1', 'Ana', NULL, NULL, 'f', 'pem', 't');
             INSERT INTO cases VALUES ('c1', 'BE-1', 'Boats', NULL, 't', 'i1');
             INSERT INTO items VALUES ('it1', 'c1', 'import', 'a.jpg', NULL, NULL, 't', '{}', 'd', 1);`);
  });
  afterEach(() => {
    db.close();
    removeTempDir(dir);
  });

  test('image hashes are derived data: rewritten and cleared freely, one row per item and picture', () => {
    insert('c736671d192fdcdf');
    expect(() => insert('c736671d192fdcdf')).toThrow(/UNIQUE/);
    db.exec("UPDATE image_hashes SET role = 'screenshot'");
    db.exec('DELETE FROM image_hashes');
    expect((db.prepare('SELECT count(*) AS n FROM image_hashes').get() as { n: number }).n).toBe(0);
  });

  test('a hash is 16 lower-case hex digits, its bands 16-bit, and it names an item the store holds', () => {
    expect(() => insert('c736671d192fdcd')).toThrow(/CHECK/);
    expect(() => insert('C736671D192FDCDF')).toThrow(/CHECK/);
    expect(() => insert('c736671d192fdcdf', [65536, 0, 0, 0])).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare('INSERT INTO image_hashes VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run('nope', 'a', 'original', 'c736671d192fdcdf', 1, 2, 3, 4),
    ).toThrow(/FOREIGN KEY/);
  });

  test('each band has its own index, so a near-neighbour lookup reads only matching rows', () => {
    for (let band = 0; band < 4; band++) {
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM image_hashes WHERE band${band} IN (SELECT value FROM json_each(?))`,
        )
        .all('[1,2,3]') as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toContain(
        `USING INDEX image_hashes_band${band} (band${band}=?)`,
      );
    }
  });
});
