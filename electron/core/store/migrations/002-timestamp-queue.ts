import type { WritableDB } from '../database.js';

/**
 * The timestamp queue: why each pending request is still waiting (attempts, last try, last error),
 * the authority's name on granted tokens, at most one pending request per subject, and granted
 * tokens made as unchangeable as evidence (only a pending request may be updated).
 */
export function migration002TimestampQueue(db: WritableDB): void {
  db.exec(`
    ALTER TABLE timestamp_tokens ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE timestamp_tokens ADD COLUMN last_attempt_at TEXT;
    ALTER TABLE timestamp_tokens ADD COLUMN last_error TEXT;
    ALTER TABLE timestamp_tokens ADD COLUMN tsa_name TEXT;
    CREATE UNIQUE INDEX timestamp_tokens_one_pending ON timestamp_tokens(covers) WHERE status = 'pending';

    CREATE TRIGGER timestamp_tokens_granted_no_update BEFORE UPDATE ON timestamp_tokens WHEN OLD.status = 'granted'
    BEGIN SELECT RAISE(ABORT, 'a granted timestamp token is never changed'); END;
    CREATE TRIGGER timestamp_tokens_granted_no_delete BEFORE DELETE ON timestamp_tokens WHEN OLD.status = 'granted'
    BEGIN SELECT RAISE(ABORT, 'a granted timestamp token is never deleted'); END;
  `);
}
