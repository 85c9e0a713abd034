import type { Problem } from '../../../shared/domain.js';
import { throwIfCancelled } from '../cancel.js';
import type { AuditCheck } from './audit/audit-check.js';
import type { BlobStore } from './blob-store.js';
import type { ReadableDB } from './database.js';
import { iterateLedger } from './ledger.js';

interface GrantedRow {
  id: number;
  covers: string;
  imprint: string;
  gen_time: string | null;
  token_sha256: string | null;
  chain_sha256: string | null;
}

/**
 * The audit's part for granted timestamp tokens (docs/TIMESTAMPS.md): each token and chain blob
 * re-hashed, each token row matched against the `timestamp.granted` custody entry that recorded it,
 * and each item token over the item's current digest. Returns the problems, and the blobs the tokens
 * reference (so that they are not reported as left over). Aborted (`signal`, the audit's cancel),
 * it stops at its next token or blob (`Cancelled`).
 */
export async function auditTimestampTokens(
  db: ReadableDB,
  blobs: BlobStore,
  signal?: AbortSignal,
): Promise<{ problems: Problem[]; referencedBlobs: Set<string> }> {
  const problems: Problem[] = [];
  const referencedBlobs = new Set<string>();
  const rows = db
    .prepare("SELECT * FROM timestamp_tokens WHERE status = 'granted' ORDER BY id")
    .all() as GrantedRow[];
  const digestOf = db.prepare('SELECT digest FROM items WHERE id = ?');
  for (const row of rows) {
    throwIfCancelled(signal);
    const subject = `timestamp token ${row.id} of ${row.covers}`;
    for (const [role, sha256] of [
      ['token', row.token_sha256],
      ['chain', row.chain_sha256],
    ] as const) {
      if (!sha256) {
        problems.push({ subject, problem: `a granted token without its ${role} blob` });
        continue;
      }
      referencedBlobs.add(sha256);
      const found = await blobs.rehash(sha256, undefined, signal);
      if (!found)
        problems.push({ subject, problem: `its ${role} blob ${sha256} is missing from the blob folder` });
      else if (found.sha256 !== sha256)
        problems.push({
          subject,
          problem: `its ${role} blob ${sha256} changed: it now hashes to ${found.sha256}`,
        });
    }
    const item = digestOf.get(row.covers) as { digest: string } | undefined;
    if (item && item.digest !== row.imprint) {
      problems.push({ subject, problem: `covers ${row.imprint}, not the item's digest ${item.digest}` });
    }
    const recorded = [...iterateLedger(db, { subject: row.covers })].some(
      (entry) =>
        entry.action === 'timestamp.granted' &&
        entry.details.tokenSha256 === row.token_sha256 &&
        entry.details.chainSha256 === row.chain_sha256 &&
        entry.details.imprint === row.imprint &&
        entry.details.genTime === row.gen_time,
    );
    if (!recorded)
      problems.push({
        subject,
        problem: 'does not match the timestamp.granted custody entry that recorded it',
      });
  }
  return { problems, referencedBlobs };
}

/** The timestamp tokens' part of the audit, as a check; their blobs count as referenced. */
export const timestampTokenCheck: AuditCheck = {
  name: 'timestamp tokens',
  run: async ({ db, blobs, referencedBlobs, signal }) => {
    const found = await auditTimestampTokens(db, blobs, signal);
    for (const sha256 of found.referencedBlobs) referencedBlobs.add(sha256);
    return { problems: found.problems };
  },
};
