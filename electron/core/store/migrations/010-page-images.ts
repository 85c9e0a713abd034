import type { WritableDB } from '../database.js';

/**
 * Perceptual hashes of the images inside captured pages (the photos a capture's WARC holds), so
 * the same boat photo posted by two accounts on two differently laid-out pages is found.
 * `image_hashes` is derived data, so it is rebuilt with three more columns rather than altered,
 * and the `image-hash` deriver's state is forgotten with it: its version 2 hashes every item again.
 *
 * A `page-image` row names where its picture is: `uri` (WARC-Target-URI, the image's URL on the
 * page), `warc_sha256` (the item's WARC artifact) and `record_offset` (the byte where its record,
 * one gzip member, starts); its `sha256` is the payload's, the picture's own bytes. Any other row
 * (screenshot, viewport, original) derives from the artifact `sha256` names and has none of them.
 * `page_image_scans` says, per item, what the WARC walk found: how many image responses, how many
 * hashed, how many left out as icons and spacers or unreadable, whether the per-item cap was reached
 * and what damage was met. `image_hashes_by_picture` finds the items that hold the same picture, to
 * tell a site's furniture (a logo on every page) from a photo.
 */
export function migration010PageImages(db: WritableDB): void {
  db.exec(`
    DROP TABLE image_hashes;
    DELETE FROM derived_state WHERE deriver = 'image-hash';
    CREATE TABLE image_hashes (
      item_id TEXT NOT NULL REFERENCES items(id),
      sha256 TEXT NOT NULL,
      role TEXT NOT NULL,
      phash TEXT NOT NULL CHECK (length(phash) = 16 AND phash NOT GLOB '*[^0-9a-f]*'),
      band0 INTEGER NOT NULL CHECK (band0 BETWEEN 0 AND 65535),
      band1 INTEGER NOT NULL CHECK (band1 BETWEEN 0 AND 65535),
      band2 INTEGER NOT NULL CHECK (band2 BETWEEN 0 AND 65535),
      band3 INTEGER NOT NULL CHECK (band3 BETWEEN 0 AND 65535),
      uri TEXT,
      warc_sha256 TEXT,
      record_offset INTEGER CHECK (record_offset >= 0),
      CHECK ((role = 'page-image') = (uri IS NOT NULL AND warc_sha256 IS NOT NULL AND record_offset IS NOT NULL)),
      CHECK (uri IS NOT NULL OR (warc_sha256 IS NULL AND record_offset IS NULL)),
      PRIMARY KEY (item_id, sha256)
    ) STRICT;
    CREATE INDEX image_hashes_band0 ON image_hashes (band0);
    CREATE INDEX image_hashes_band1 ON image_hashes (band1);
    CREATE INDEX image_hashes_band2 ON image_hashes (band2);
    CREATE INDEX image_hashes_band3 ON image_hashes (band3);
    -- The same picture in other items: how many different pages show it (site logos, banners).
    CREATE INDEX image_hashes_by_picture ON image_hashes (sha256, item_id);
    CREATE TABLE page_image_scans (
      item_id TEXT PRIMARY KEY REFERENCES items(id),
      found INTEGER NOT NULL CHECK (found >= 0),
      hashed INTEGER NOT NULL CHECK (hashed >= 0),
      small INTEGER NOT NULL CHECK (small >= 0),
      unreadable INTEGER NOT NULL CHECK (unreadable >= 0),
      capped INTEGER NOT NULL CHECK (capped IN (0, 1)),
      note TEXT
    ) STRICT;
  `);
}
