import type { WritableDB } from '../database.js';

/**
 * Received bundles (`custos receive`): which bundle came from which signer and when, the sender's
 * manifest and signature as received, the sender's custody entries kept as received history, and
 * the public keys that signed them. Append-only like the other evidence tables.
 */
export function migration003Received(db: WritableDB): void {
  db.exec(`
    -- zip_sha256: SHA-256 of the bundle ZIP (inside the age seal when sealed); receiving it again changes nothing.
    CREATE TABLE received_bundles (
      zip_sha256 TEXT PRIMARY KEY CHECK (length(zip_sha256) = 64),
      file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
      file_name TEXT NOT NULL,
      received_at TEXT NOT NULL,
      ledger_seq INTEGER NOT NULL,
      case_id TEXT NOT NULL REFERENCES cases(id),
      signer_fingerprint TEXT NOT NULL,
      signer_pem TEXT NOT NULL,
      exporter TEXT NOT NULL,
      exported_at TEXT NOT NULL,
      manifest TEXT NOT NULL,
      manifest_sig TEXT NOT NULL
    ) STRICT;

    -- The sender's custody.jsonl, line by line: entry is the full signed entry, NULL for an omitted one.
    CREATE TABLE received_custody (
      zip_sha256 TEXT NOT NULL REFERENCES received_bundles(zip_sha256),
      line INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      hash TEXT NOT NULL,
      entry TEXT,
      PRIMARY KEY (zip_sha256, line)
    ) STRICT;

    CREATE TABLE received_keys (
      key_fingerprint TEXT PRIMARY KEY,
      public_key_pem TEXT NOT NULL,
      first_bundle TEXT NOT NULL REFERENCES received_bundles(zip_sha256)
    ) STRICT;
  `);
  for (const table of ['received_bundles', 'received_custody', 'received_keys']) {
    db.exec(`
      CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: received evidence is never changed'); END;
      CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: received evidence is never deleted'); END;
    `);
  }
}
