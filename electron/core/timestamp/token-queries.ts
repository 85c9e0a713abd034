/**
 * Plain queries over `timestamp_tokens` (migrations 001 and 002): the database comes first, writes
 * take a WritableDB. A row is a pending request until an authority grants it; then it is fixed.
 */
import { cachedStatement, type ReadableDB, type WritableDB } from '../store/database.js';

/** What `covers` holds for a token over the custody ledger's head (bundle format: the same word). */
export const LEDGER_HEAD = 'ledger-head';

/** One request or token, as stored. Token and chain bytes are blobs named by their SHA-256. */
export interface TimestampToken {
  readonly id: number;
  /** An item id, or `ledger-head`. */
  readonly covers: string;
  /** The SHA-256 imprint (hex): the item's digest, or the hash of the ledger entry that was the head. */
  readonly imprint: string;
  readonly status: 'pending' | 'granted';
  readonly requestedAt: string;
  readonly tsaUrl: string | null;
  /** The signing certificate's subject, e.g. `CN=…, O=…`. */
  readonly tsaName: string | null;
  /** The authority's time (UTC, ISO 8601). */
  readonly genTime: string | null;
  /** The DER TimeStampResp as received, and the PEM chain (signing certificate first) that validated it. */
  readonly tokenSha256: string | null;
  readonly chainSha256: string | null;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly lastError: string | null;
}

interface TokenRow {
  id: number;
  covers: string;
  imprint: string;
  status: 'pending' | 'granted';
  requested_at: string;
  tsa_url: string | null;
  tsa_name: string | null;
  gen_time: string | null;
  token_sha256: string | null;
  chain_sha256: string | null;
  attempts: number;
  last_attempt_at: string | null;
  last_error: string | null;
}

const toToken = (row: TokenRow): TimestampToken => ({
  id: row.id,
  covers: row.covers,
  imprint: row.imprint,
  status: row.status,
  requestedAt: row.requested_at,
  tsaUrl: row.tsa_url,
  tsaName: row.tsa_name,
  genTime: row.gen_time,
  tokenSha256: row.token_sha256,
  chainSha256: row.chain_sha256,
  attempts: row.attempts,
  lastAttemptAt: row.last_attempt_at,
  lastError: row.last_error,
});

/**
 * Queues a request for `covers` over `imprint`, unless one is already pending; a pending request
 * of the ledger head moves on to the newer head. Returns the pending row.
 */
export function queueRequest(db: WritableDB, covers: string, imprint: string, now: string): TimestampToken {
  // Statements prepared once per handle: an import queues a request for each of thousands of items.
  cachedStatement(
    db,
    `INSERT INTO timestamp_tokens (covers, imprint, status, requested_at) VALUES (?, ?, 'pending', ?)
     ON CONFLICT (covers) WHERE status = 'pending' DO UPDATE SET imprint = excluded.imprint`,
  ).run(covers, imprint, now);
  return toToken(
    cachedStatement(db, "SELECT * FROM timestamp_tokens WHERE covers = ? AND status = 'pending'").get(
      covers,
    ) as TokenRow,
  );
}

/** Queues every item that has no request or token yet (say, one committed just before a crash). */
export function queueUnstampedItems(db: WritableDB, now: string): number {
  return db
    .prepare(
      `INSERT INTO timestamp_tokens (covers, imprint, status, requested_at)
       SELECT id, digest, 'pending', ? FROM items
       WHERE id NOT IN (SELECT covers FROM timestamp_tokens) ORDER BY created_seq`,
    )
    .run(now).changes;
}

/** Pending requests, items first in the order they were queued, the ledger head last. */
export function listPending(db: ReadableDB): TimestampToken[] {
  return (
    db
      .prepare(
        `SELECT * FROM timestamp_tokens WHERE status = 'pending' ORDER BY covers = '${LEDGER_HEAD}', id`,
      )
      .all() as TokenRow[]
  ).map(toToken);
}

/** A request or token by its row id. */
export function getToken(db: ReadableDB, id: number): TimestampToken | undefined {
  const row = db.prepare('SELECT * FROM timestamp_tokens WHERE id = ?').get(id) as TokenRow | undefined;
  return row && toToken(row);
}

/** Requests and tokens covering any of these subjects (item ids or `ledger-head`), oldest first. */
export function listTokensCovering(db: ReadableDB, covers: readonly string[]): TimestampToken[] {
  const select = db.prepare('SELECT * FROM timestamp_tokens WHERE covers = ? ORDER BY id');
  return covers.flatMap((subject) => (select.all(subject) as TokenRow[]).map(toToken));
}

/** Granted tokens over the ledger head whose imprint is one of these ledger entry hashes. */
export function ledgerHeadTokens(db: ReadableDB, entryHashes: readonly string[]): TimestampToken[] {
  const select = db.prepare(
    `SELECT * FROM timestamp_tokens WHERE covers = '${LEDGER_HEAD}' AND status = 'granted' AND imprint = ? ORDER BY id`,
  );
  return entryHashes.flatMap((hash) => (select.all(hash) as TokenRow[]).map(toToken));
}

/** The first token granted for this subject, if any. */
export function grantedToken(db: ReadableDB, covers: string): TimestampToken | undefined {
  const row = cachedStatement(
    db,
    "SELECT * FROM timestamp_tokens WHERE covers = ? AND status = 'granted' ORDER BY id LIMIT 1",
  ).get(covers) as TokenRow | undefined;
  return row && toToken(row);
}

/** How many requests wait and how many tokens were granted. */
export function countTokens(db: ReadableDB): { pending: number; granted: number } {
  const rows = db.prepare('SELECT status, count(*) AS n FROM timestamp_tokens GROUP BY status').all() as {
    status: string;
    n: number;
  }[];
  return {
    pending: rows.find((r) => r.status === 'pending')?.n ?? 0,
    granted: rows.find((r) => r.status === 'granted')?.n ?? 0,
  };
}

/** Records a run that left a request pending, and why. */
export function recordAttempt(db: WritableDB, id: number, at: string, error: string): void {
  db.prepare(
    "UPDATE timestamp_tokens SET attempts = attempts + 1, last_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'",
  ).run(at, error, id);
}

/** Turns a pending request into a granted token (after which the row can no longer change). */
export function markGranted(
  db: WritableDB,
  id: number,
  token: {
    readonly at: string;
    readonly tsaUrl: string;
    readonly tsaName: string;
    readonly genTime: string;
    readonly tokenSha256: string;
    readonly chainSha256: string;
  },
): void {
  const changes = db
    .prepare(
      `UPDATE timestamp_tokens SET status = 'granted', tsa_url = @tsaUrl, tsa_name = @tsaName, gen_time = @genTime,
       token_sha256 = @tokenSha256, chain_sha256 = @chainSha256, attempts = attempts + 1, last_attempt_at = @at,
       last_error = NULL WHERE id = @id AND status = 'pending'`,
    )
    .run({ ...token, id }).changes;
  if (changes !== 1) throw new Error(`timestamp request ${id} is no longer pending`);
}

/** The ledger's last entry. */
export function ledgerHead(db: ReadableDB): { seq: number; hash: string } | undefined {
  return db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
}

/**
 * True when the ledger holds entries, other than timestamp bookkeeping, after the last head that
 * was stamped: stamping a head appends an entry itself, which must not call for yet another stamp.
 */
export function ledgerHeadNeedsStamp(db: ReadableDB): boolean {
  const stamped = db
    .prepare(
      `SELECT max(l.seq) AS seq FROM ledger l JOIN timestamp_tokens t ON t.imprint = l.hash
       WHERE t.covers = '${LEDGER_HEAD}' AND t.status = 'granted'`,
    )
    .get() as { seq: number | null };
  return (
    db
      .prepare("SELECT 1 FROM ledger WHERE seq > ? AND action NOT LIKE 'timestamp.%' LIMIT 1")
      .get(stamped.seq ?? 0) !== undefined
  );
}

/** The ledger entry with this hash (to name the head a token covers). */
export function ledgerSeqOf(db: ReadableDB, hash: string): number | undefined {
  return (db.prepare('SELECT seq FROM ledger WHERE hash = ?').get(hash) as { seq: number } | undefined)?.seq;
}

/** Whether an authority has vouched for each item (`granted`), it waits (`pending`) or was never asked (`none`). */
export function timestampStatuses(
  db: ReadableDB,
  itemIds: readonly string[],
): Record<string, 'granted' | 'pending' | 'none'> {
  const select = db.prepare(
    `SELECT CASE WHEN sum(status = 'granted') > 0 THEN 'granted' WHEN count(*) > 0 THEN 'pending' ELSE 'none' END
       AS status FROM timestamp_tokens WHERE covers = ?`,
  );
  return Object.fromEntries(
    itemIds.map((id) => [id, (select.get(id) as { status: 'granted' | 'pending' | 'none' }).status]),
  );
}
