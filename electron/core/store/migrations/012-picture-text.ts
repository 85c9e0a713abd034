import type { WritableDB } from '../database.js';

/**
 * Text recognised in pictures (OCR), derived data like the search index and entities:
 * `ocr_lines` holds each line read, in the item's reading order (`seq`), with the picture it was
 * read from (`picture_sha256`, its `role`, a page image's `uri`), the picture's size, the line's
 * box and Tesseract's confidence; `ocr_scans` what the deriver did per item (pictures read,
 * skipped, why). An entity found in a picture's text is an occurrence with source `picture` and
 * `picture` (JSON: sha256, role, uri, box) saying where. A number read in Eastern Arabic or
 * Persian digits is never an entity: OCR usually misreads one of its digits, so it is an
 * `entity_candidates` row, with the line's confidence, for an investigator to confirm.
 */
export function migration012PictureText(db: WritableDB): void {
  db.exec(`
    CREATE TABLE ocr_lines (
      item_id TEXT NOT NULL REFERENCES items(id),
      case_id TEXT NOT NULL REFERENCES cases(id),
      seq INTEGER NOT NULL CHECK (seq >= 0),
      picture_sha256 TEXT NOT NULL,
      role TEXT NOT NULL,
      uri TEXT,
      width INTEGER NOT NULL CHECK (width > 0),
      height INTEGER NOT NULL CHECK (height > 0),
      x0 INTEGER NOT NULL, y0 INTEGER NOT NULL, x1 INTEGER NOT NULL, y1 INTEGER NOT NULL,
      text TEXT NOT NULL,
      confidence REAL NOT NULL,
      PRIMARY KEY (item_id, seq)
    ) STRICT;
    CREATE TABLE ocr_scans (
      item_id TEXT PRIMARY KEY REFERENCES items(id),
      pictures INTEGER NOT NULL CHECK (pictures >= 0),
      read INTEGER NOT NULL CHECK (read >= 0),
      skipped INTEGER NOT NULL CHECK (skipped >= 0),
      note TEXT
    ) STRICT;
    ALTER TABLE entity_occurrences ADD COLUMN picture TEXT;
    CREATE TABLE entity_candidates (
      item_id TEXT NOT NULL REFERENCES items(id),
      case_id TEXT NOT NULL REFERENCES cases(id),
      type TEXT NOT NULL,
      value TEXT NOT NULL,
      original TEXT NOT NULL,
      confidence REAL NOT NULL,
      picture TEXT NOT NULL,
      PRIMARY KEY (item_id, type, value, picture)
    ) STRICT;
    CREATE INDEX entity_candidates_by_case ON entity_candidates(case_id);
  `);
}
