import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 008 (image hashes)', () => {
  const database = useMigratedDatabase();
  const insert = (phash: string, bands = [0xc736, 0x671d, 0x192f, 0xdcdf], sha = 'a') =>
    database.db
      .prepare(
        'INSERT INTO image_hashes (item_id, sha256, role, phash, band0, band1, band2, band3) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run('it1', sha, 'original', phash, ...bands);

  test('image hashes are derived data: rewritten and cleared freely, one row per item and picture', () => {
    insert('c736671d192fdcdf');
    expect(() => insert('c736671d192fdcdf')).toThrow(/UNIQUE/);
    database.db.exec("UPDATE image_hashes SET role = 'screenshot'");
    database.db.exec('DELETE FROM image_hashes');
    expect((database.db.prepare('SELECT count(*) AS n FROM image_hashes').get() as { n: number }).n).toBe(0);
  });

  test('a hash is 16 lower-case hex digits, its bands 16-bit, and it names an item the store holds', () => {
    expect(() => insert('c736671d192fdcd')).toThrow(/CHECK/);
    expect(() => insert('C736671D192FDCDF')).toThrow(/CHECK/);
    expect(() => insert('c736671d192fdcdf', [65536, 0, 0, 0])).toThrow(/CHECK/);
    expect(() =>
      database.db
        .prepare(
          'INSERT INTO image_hashes (item_id, sha256, role, phash, band0, band1, band2, band3) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run('nope', 'a', 'original', 'c736671d192fdcdf', 1, 2, 3, 4),
    ).toThrow(/FOREIGN KEY/);
  });

  test('each band has its own index, so a near-neighbour lookup reads only matching rows', () => {
    for (let band = 0; band < 4; band++) {
      const plan = database.db
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
