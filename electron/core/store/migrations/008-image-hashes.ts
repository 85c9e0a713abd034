import type { WritableDB } from '../database.js';

/**
 * Perceptual hashes of every image artifact (imported photos, capture screenshots), derived data
 * of the `image-hash` deriver: rebuilt from the blobs by `custos reindex`, never evidence, so the
 * table allows UPDATE and DELETE. A row derives from the artifact named by `sha256`.
 *
 * `band0`…`band3` are the hash's four 16-bit quarters, each indexed, for multi-index hashing
 * (Norouzi et al.): two hashes within d bits differ in at most ⌊d/4⌋ bits in at least one band
 * (pigeonhole: four bands each with more than ⌊d/4⌋ differing bits would make more than d), so a
 * near-neighbour lookup only reads the rows whose band equals one of the few values within that
 * radius of the query's band (see image-hash-queries.ts), not all hashes.
 */
export function migration008ImageHashes(db: WritableDB): void {
  db.exec(`
    CREATE TABLE image_hashes (
      item_id TEXT NOT NULL REFERENCES items(id),
      sha256 TEXT NOT NULL,
      role TEXT NOT NULL,
      phash TEXT NOT NULL CHECK (length(phash) = 16 AND phash NOT GLOB '*[^0-9a-f]*'),
      band0 INTEGER NOT NULL CHECK (band0 BETWEEN 0 AND 65535),
      band1 INTEGER NOT NULL CHECK (band1 BETWEEN 0 AND 65535),
      band2 INTEGER NOT NULL CHECK (band2 BETWEEN 0 AND 65535),
      band3 INTEGER NOT NULL CHECK (band3 BETWEEN 0 AND 65535),
      PRIMARY KEY (item_id, sha256)
    ) STRICT;
    CREATE INDEX image_hashes_band0 ON image_hashes (band0);
    CREATE INDEX image_hashes_band1 ON image_hashes (band1);
    CREATE INDEX image_hashes_band2 ON image_hashes (band2);
    CREATE INDEX image_hashes_band3 ON image_hashes (band3);
  `);
}
