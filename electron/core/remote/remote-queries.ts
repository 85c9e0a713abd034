/** Queries over the remotes and per-case retention settings (migration 014). */
import type { ReadableDB, WritableDB } from '../store/database.js';
import type { RemoteLocation } from './remote-url.js';

/** A configured S3 remote. Never holds a credential: those come from the AWS variables or a profile. */
export interface Remote extends RemoteLocation {
  readonly name: string;
  /** The S3 endpoint URL (null: the AWS SDK's default for the region). */
  readonly endpoint: string | null;
  readonly region: string;
  /** The AWS profile whose credentials to use (null: the usual AWS variables and default profile). */
  readonly profile: string | null;
  readonly addedAt: string;
}

/** Object Lock modes, as S3 names them. */
export const RETENTION_MODES = ['COMPLIANCE', 'GOVERNANCE'] as const;
/** An Object Lock mode. */
export type RetentionMode = (typeof RETENTION_MODES)[number];

/** A case's Object Lock retention for the objects its pushes write. */
export interface CaseRetention {
  readonly mode: RetentionMode;
  readonly days: number;
  readonly legalHold: boolean;
}

const REMOTE_COLUMNS = 'name, bucket, prefix, endpoint, region, profile, added_at AS addedAt';

/** Every remote, by name. */
export function listRemotes(db: ReadableDB): Remote[] {
  return db.prepare(`SELECT ${REMOTE_COLUMNS} FROM remotes ORDER BY name`).all() as Remote[];
}

/** The remote of this name, if any. */
export function findRemote(db: ReadableDB, name: string): Remote | undefined {
  return db.prepare(`SELECT ${REMOTE_COLUMNS} FROM remotes WHERE name = ?`).get(name) as Remote | undefined;
}

/** Adds a remote (the name is new: checked by the caller). */
export function insertRemote(db: WritableDB, remote: Remote): void {
  db.prepare(
    `INSERT INTO remotes (name, bucket, prefix, endpoint, region, profile, added_at)
     VALUES (@name, @bucket, @prefix, @endpoint, @region, @profile, @addedAt)`,
  ).run(remote);
}

/** Forgets a remote (its objects stay where they are). */
export function deleteRemote(db: WritableDB, name: string): boolean {
  return db.prepare('DELETE FROM remotes WHERE name = ?').run(name).changes > 0;
}

/** The retention a case's pushes ask for, if one was set. */
export function findCaseRetention(db: ReadableDB, caseId: string): CaseRetention | undefined {
  const row = db
    .prepare('SELECT mode, days, legal_hold AS legalHold FROM case_retention WHERE case_id = ?')
    .get(caseId) as { mode: RetentionMode; days: number; legalHold: number } | undefined;
  return row && { mode: row.mode, days: row.days, legalHold: row.legalHold === 1 };
}

/** Sets a case's retention for its later pushes. */
export function putCaseRetention(db: WritableDB, caseId: string, retention: CaseRetention, at: string): void {
  db.prepare(
    `INSERT INTO case_retention (case_id, mode, days, legal_hold, set_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (case_id) DO UPDATE SET mode = excluded.mode, days = excluded.days,
       legal_hold = excluded.legal_hold, set_at = excluded.set_at`,
  ).run(caseId, retention.mode, retention.days, retention.legalHold ? 1 : 0, at);
}
