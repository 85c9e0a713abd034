import type { WritableDB } from '../database.js';

/**
 * The first schema: investigators, cases, items, artifacts, annotations, the custody ledger and
 * timestamp tokens. Evidence tables are append-only: triggers reject UPDATE and DELETE, so even a
 * bug in Custos cannot rewrite an original record (docs/ARCHITECTURE.md, evidence invariants 1 and 2).
 */
export function migration001Initial(db: WritableDB): void {
  db.exec(`
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE investigators (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      agency TEXT,
      badge TEXT,
      key_fingerprint TEXT NOT NULL UNIQUE,
      public_key_pem TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE cases (
      id TEXT PRIMARY KEY,
      number TEXT NOT NULL UNIQUE,
      title TEXT NOT NULL,
      description TEXT,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES investigators(id)
    ) STRICT;

    -- record: the canonical JSON of the capture record; digest: its SHA-256 (invariant 3).
    CREATE TABLE items (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases(id),
      kind TEXT NOT NULL CHECK (kind IN ('capture', 'import', 'received')),
      source TEXT NOT NULL,
      url TEXT,
      title TEXT,
      captured_at TEXT NOT NULL,
      record TEXT NOT NULL,
      digest TEXT NOT NULL,
      created_seq INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX items_by_case ON items(case_id, captured_at);

    CREATE TABLE artifacts (
      item_id TEXT NOT NULL REFERENCES items(id),
      position INTEGER NOT NULL,
      role TEXT NOT NULL,
      name TEXT NOT NULL,
      media_type TEXT NOT NULL,
      size INTEGER NOT NULL CHECK (size >= 0),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      derived_from TEXT,
      PRIMARY KEY (item_id, position)
    ) STRICT;
    CREATE INDEX artifacts_by_sha256 ON artifacts(sha256);

    CREATE TABLE annotations (
      id INTEGER PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES items(id),
      kind TEXT NOT NULL CHECK (kind IN ('note', 'tag')),
      text TEXT NOT NULL,
      created_at TEXT NOT NULL,
      investigator_id TEXT NOT NULL REFERENCES investigators(id),
      ledger_seq INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX annotations_by_item ON annotations(item_id);

    -- The custody ledger. Each row is one hashed and signed entry; details is canonical JSON.
    CREATE TABLE ledger (
      seq INTEGER PRIMARY KEY,
      time TEXT NOT NULL,
      time_zone TEXT NOT NULL,
      investigator_id TEXT NOT NULL,
      key_fingerprint TEXT NOT NULL,
      action TEXT NOT NULL,
      case_id TEXT,
      subject TEXT NOT NULL,
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE,
      signature TEXT NOT NULL
    ) STRICT;
    CREATE INDEX ledger_by_case ON ledger(case_id, seq);
    CREATE INDEX ledger_by_subject ON ledger(subject, seq);

    -- RFC 3161 tokens, requested for item digests and the ledger head (filled by the timestamp service).
    CREATE TABLE timestamp_tokens (
      id INTEGER PRIMARY KEY,
      covers TEXT NOT NULL,
      imprint TEXT NOT NULL CHECK (length(imprint) = 64),
      tsa_url TEXT,
      status TEXT NOT NULL CHECK (status IN ('pending', 'granted')),
      requested_at TEXT NOT NULL,
      token_sha256 TEXT,
      chain_sha256 TEXT,
      gen_time TEXT
    ) STRICT;
    CREATE INDEX timestamp_tokens_by_covers ON timestamp_tokens(covers);
  `);

  for (const table of ['ledger', 'items', 'artifacts', 'annotations', 'investigators']) {
    db.exec(`
      CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: evidence records are never changed'); END;
      CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: evidence records are never deleted'); END;
    `);
  }
}
