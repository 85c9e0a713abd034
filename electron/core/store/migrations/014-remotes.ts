import type { WritableDB } from '../database.js';

/**
 * S3 remotes (`custos remote add`): where a case is shared (bucket, prefix, endpoint, region and
 * the name of an AWS profile; never a credential), and each case's Object Lock retention for its
 * pushes. Both are settings, not evidence: what a push or pull did is in the custody ledger.
 */
export function migration014Remotes(db: WritableDB): void {
  db.exec(`
    CREATE TABLE remotes (
      name TEXT PRIMARY KEY,
      bucket TEXT NOT NULL,
      prefix TEXT NOT NULL,
      endpoint TEXT,
      region TEXT NOT NULL,
      profile TEXT,
      added_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE case_retention (
      case_id TEXT PRIMARY KEY REFERENCES cases(id),
      mode TEXT NOT NULL CHECK (mode IN ('COMPLIANCE', 'GOVERNANCE')),
      days INTEGER NOT NULL CHECK (days > 0),
      legal_hold INTEGER NOT NULL CHECK (legal_hold IN (0, 1)),
      set_at TEXT NOT NULL
    ) STRICT;
  `);
}
