import type { LedgerEntry, LedgerEntryBody, Problem } from '../../../shared/domain.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { cachedStatement, type ReadableDB, type WritableDB } from './database.js';
import { canonicalEntryBody, ledgerEntryBody } from './ledger-entry-body.js';
import { type Signer, verifySignature } from './signing-key.js';
import type { StoreAnchorBody } from './store-anchor.js';

/** Re-exported: the store's callers take it from here; verify takes it without the database. */
export { ledgerEntryBody };

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an action records; the ledger adds sequence, time, actor and chain. */
export interface LedgerInput {
  readonly action: string;
  readonly caseId: string | null;
  readonly subject: string;
  readonly details: Readonly<Record<string, unknown>>;
}

interface LedgerRow {
  seq: number;
  time: string;
  time_zone: string;
  investigator_id: string;
  key_fingerprint: string;
  action: string;
  case_id: string | null;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
  signature: string;
}

// Asking Intl for the zone costs most of a millisecond, twice per item: an import of thousands of
// files spent seconds on it. Read again after a minute, so that a laptop that changes zone is followed.
let zoneCache: { zone: string; readAt: number } | undefined;

/** The workstation's IANA time zone, recorded beside every UTC time (invariant 6). */
export function localTimeZone(): string {
  const now = Date.now();
  if (!zoneCache || now - zoneCache.readAt > 60_000 || now < zoneCache.readAt) {
    zoneCache = { zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', readAt: now };
  }
  return zoneCache.zone;
}

/** The SHA-256 (hex) of an entry body: its canonical JSON bytes hashed. */
export function ledgerEntryHash(body: LedgerEntryBody): string {
  return sha256Hex(canonicalJson(body));
}

/**
 * Appends one signed entry to the custody ledger. Must run inside the write transaction of the
 * action it records, so that the action and its entry commit together or not at all.
 */
export function appendLedgerEntry(
  db: WritableDB,
  signer: Signer,
  input: LedgerInput,
  now = new Date(),
): LedgerEntry {
  if (!db.inTransaction) throw new Error('appendLedgerEntry must run inside the transaction of its action');
  const head = cachedStatement(db, 'SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const body: LedgerEntryBody = {
    seq: (head?.seq ?? 0) + 1,
    time: now.toISOString(),
    timeZone: localTimeZone(),
    actor: { investigatorId: signer.investigatorId, keyFingerprint: signer.keyFingerprint },
    action: input.action,
    caseId: input.caseId,
    subject: input.subject,
    details: input.details,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const canonical = canonicalJson(body);
  const entry: LedgerEntry = {
    ...body,
    hash: sha256Hex(canonical),
    signature: signer.sign(Buffer.from(canonical, 'utf8')).toString('base64'),
  };
  cachedStatement(
    db,
    `INSERT INTO ledger (seq, time, time_zone, investigator_id, key_fingerprint, action, case_id, subject, details, prev_hash, hash, signature)
     VALUES (@seq, @time, @timeZone, @investigatorId, @keyFingerprint, @action, @caseId, @subject, @details, @prevHash, @hash, @signature)`,
  ).run({
    ...entry,
    investigatorId: entry.actor.investigatorId,
    keyFingerprint: entry.actor.keyFingerprint,
    details: canonicalJson(entry.details),
  });
  return entry;
}

function rowToEntry(row: LedgerRow): LedgerEntry {
  return {
    seq: row.seq,
    time: row.time,
    timeZone: row.time_zone,
    actor: { investigatorId: row.investigator_id, keyFingerprint: row.key_fingerprint },
    action: row.action,
    caseId: row.case_id,
    subject: row.subject,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
    signature: row.signature,
  };
}

type LedgerFilter = { caseId?: string; subject?: string; afterSeq?: number };

/** Ledger entries in order, all of them, those of one case or subject, or those after a sequence number. */
export function* iterateLedger(db: ReadableDB, filter: LedgerFilter = {}): Generator<LedgerEntry> {
  for (const row of ledgerRows(db, filter)) yield rowToEntry(row);
}

/**
 * Ledger entries in order as `iterateLedger` gives them, but a row that cannot be read as an entry
 * (its details not JSON) comes as its seq and why, for a check that names the damaged entry.
 */
export function* iterateLedgerRows(
  db: ReadableDB,
  filter: LedgerFilter = {},
): Generator<LedgerEntry | { readonly seq: number; readonly unreadable: string }> {
  for (const row of ledgerRows(db, filter)) {
    try {
      yield rowToEntry(row);
    } catch (error) {
      yield { seq: row.seq, unreadable: `its details are not JSON (${(error as Error).message})` };
    }
  }
}

function ledgerRows(db: ReadableDB, filter: LedgerFilter): Iterable<LedgerRow> {
  const where: string[] = [];
  if (filter.afterSeq !== undefined) where.push('seq > @afterSeq');
  if (filter.caseId !== undefined) where.push('case_id = @caseId');
  if (filter.subject !== undefined) where.push('subject = @subject');
  const sql = `SELECT * FROM ledger ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
  return db.prepare(sql).iterate(filter) as Iterable<LedgerRow>;
}

/**
 * `caseEntriesBySubject`'s query. `+case_id` keeps SQLite on ledger_by_subject: without the plus it
 * takes ledger_by_case (which gives the ORDER BY) and reads the case's whole ledger for each call,
 * 9.6 s for an export of 20,000 items against 2.6 s one item at a time.
 */
export const CASE_ENTRIES_BY_SUBJECT_SQL =
  'SELECT * FROM ledger WHERE subject IN (SELECT value FROM json_each(?)) AND +case_id = ? ORDER BY seq';

/**
 * The entries of a case about each of some subjects (items), in order, grouped by subject: one
 * query for the lot (through `ledger_by_subject`), where `iterateLedger` by subject is one query,
 * and one statement prepared, per subject. A subject with no entry has none in the map.
 */
export function caseEntriesBySubject(
  db: ReadableDB,
  caseId: string,
  subjects: readonly string[],
): Map<string, LedgerEntry[]> {
  const rows = cachedStatement(db, CASE_ENTRIES_BY_SUBJECT_SQL).iterate(
    JSON.stringify(subjects),
    caseId,
  ) as Iterable<LedgerRow>;
  const bySubject = new Map<string, LedgerEntry[]>();
  for (const row of rows) {
    const list = bySubject.get(row.subject);
    if (list) list.push(rowToEntry(row));
    else bySubject.set(row.subject, [rowToEntry(row)]);
  }
  return bySubject;
}

/** What a page of a case's ledger asks for. */
export interface LedgerPageQuery {
  readonly caseId: string;
  readonly offset: number;
  readonly limit: number;
  /** Newest first. */
  readonly descending: boolean;
  /** Text to find in the action, subject or details (case-insensitive); empty for all. */
  readonly search: string;
  /** Actions that match too (the UI sends those whose label contains the search). */
  readonly actions: readonly string[];
}

/**
 * One page of a case's entries, and how many match: a case with 100,000 entries costs one index
 * range per page (ledger_by_case), never the whole ledger.
 */
export function ledgerPage(
  db: ReadableDB,
  query: LedgerPageQuery,
): { readonly total: number; readonly entries: LedgerEntry[] } {
  const where = ['case_id = @caseId'];
  const params: Record<string, unknown> = { caseId: query.caseId, limit: query.limit, offset: query.offset };
  const search = query.search.trim();
  if (search !== '' || query.actions.length > 0) {
    const any: string[] = [];
    if (search !== '') {
      any.push(`instr(lower(action || ' ' || subject || ' ' || details), @search) > 0`);
      params.search = search.toLowerCase();
    }
    if (query.actions.length > 0) {
      any.push('action IN (SELECT value FROM json_each(@actions))');
      params.actions = JSON.stringify(query.actions);
    }
    where.push(`(${any.join(' OR ')})`);
  }
  const filter = `FROM ledger WHERE ${where.join(' AND ')}`;
  const { total } = db.prepare(`SELECT count(*) AS total ${filter}`).get(params) as { total: number };
  const rows = db
    .prepare(
      `SELECT * ${filter} ORDER BY seq ${query.descending ? 'DESC' : 'ASC'} LIMIT @limit OFFSET @offset`,
    )
    .all(params) as LedgerRow[];
  return { total, entries: rows.map(rowToEntry) };
}

/** The entry with this sequence number, if any. */
export function getLedgerEntry(db: ReadableDB, seq: number): LedgerEntry | undefined {
  const row = db.prepare('SELECT * FROM ledger WHERE seq = ?').get(seq) as LedgerRow | undefined;
  return row && rowToEntry(row);
}

/**
 * Walks a chain of entries in order and names every break: a missing or repeated sequence number,
 * a broken link, a body whose hash differs, a signature that does not verify or an unknown key.
 * `publicKeyOf` returns the PEM of a key fingerprint, or undefined when the key is unknown.
 * `after`, when given, is an entry already trusted (an anchored head): the chain is checked from
 * the entry after it, which must link to it.
 */
export class LedgerChainChecker {
  private previous: { seq: number; hash: string } | null;
  readonly problems: Problem[] = [];
  count = 0;

  constructor(
    private readonly publicKeyOf: (fingerprint: string) => string | undefined,
    private readonly describe: (seq: number) => string = (seq) => `ledger entry ${seq}`,
    after: { readonly seq: number; readonly hash: string } | null = null,
    /** The problem of an entry signed by a key `publicKeyOf` does not know. */
    private readonly unknownKey: (fingerprint: string) => string = (fingerprint) =>
      `signed by an unknown key ${short(fingerprint)}`,
  ) {
    this.previous = after && { seq: after.seq, hash: after.hash };
  }

  /** Checks the next entry of the chain. */
  check(entry: LedgerEntry): void {
    this.count++;
    const subject = this.describe(entry.seq);
    const expectedSeq = (this.previous?.seq ?? 0) + 1;
    if (entry.seq !== expectedSeq) {
      this.problems.push({
        subject,
        problem:
          entry.seq > expectedSeq
            ? `entries ${expectedSeq}${entry.seq - 1 > expectedSeq ? `–${entry.seq - 1}` : ''} are missing: the chain jumps from ${expectedSeq - 1} to ${entry.seq}`
            : `sequence number out of order after entry ${expectedSeq - 1}`,
      });
    }
    const expectedPrev = this.previous?.hash ?? GENESIS_HASH;
    if (entry.prevHash !== expectedPrev) {
      this.problems.push({
        subject,
        problem: `chain broken: prevHash ${short(entry.prevHash)} does not match the previous entry's hash ${short(expectedPrev)} (entries removed, inserted or reordered)`,
      });
    }
    const encoded = canonicalEntryBody(entry);
    if ('problem' in encoded) {
      // No body to hash or verify: like any changed entry it keeps its place in the chain by the
      // hash it states, so the entries after it are still checked.
      this.problems.push({ subject, problem: encoded.problem });
      this.previous = { seq: entry.seq, hash: entry.hash };
      return;
    }
    const { canonical } = encoded;
    const recomputed = sha256Hex(canonical);
    if (recomputed !== entry.hash) {
      this.problems.push({
        subject,
        problem: `content changed: its hash is ${short(recomputed)}, the recorded one ${short(entry.hash)}`,
      });
    }
    const publicKey = this.publicKeyOf(entry.actor.keyFingerprint);
    if (publicKey === undefined) {
      this.problems.push({ subject, problem: this.unknownKey(entry.actor.keyFingerprint) });
    } else if (
      !verifySignature(publicKey, Buffer.from(canonical, 'utf8'), Buffer.from(entry.signature, 'base64'))
    ) {
      this.problems.push({
        subject,
        problem: `signature does not verify with the key ${short(entry.actor.keyFingerprint)}`,
      });
    }
    this.previous = { seq: entry.seq, hash: entry.hash };
  }

  /** The last entry checked (the ledger head), if any. */
  get head(): { seq: number; hash: string } | null {
    return this.previous;
  }
}

/**
 * A checker of a store's own custody chain, every signature verified with the one key store.json
 * anchors, outside the database: every entry of a store's ledger is signed by its workstation key
 * (`init` refuses a second identity; received bundles' keys are kept in `received_keys`, never as
 * investigators, and their custody entries outside the ledger), so a key the database itself lists
 * proves nothing: whoever edits the file can add one, with entries it signs. Restore checks a
 * backup with it, and the audit the store. `after`: as for LedgerChainChecker.
 */
export function anchoredChainChecker(
  anchor: Pick<StoreAnchorBody, 'keyFingerprint' | 'publicKeyPem'>,
  after: { readonly seq: number; readonly hash: string } | null = null,
): LedgerChainChecker {
  return singleKeyChainChecker(anchor, 'anchored in store.json', after);
}

/**
 * A checker of a store's custody chain against its one signing key, `whence` saying where that key
 * was found (store.json's anchor, or without one the key file in keys/: `storeSigningKey`); an
 * entry signed by any other key is named. A key with no public key at hand verifies nothing.
 */
export function singleKeyChainChecker(
  key: { readonly keyFingerprint: string; readonly publicKeyPem: string | undefined },
  whence: string,
  after: { readonly seq: number; readonly hash: string } | null = null,
): LedgerChainChecker {
  return new LedgerChainChecker(
    (fingerprint) => (fingerprint === key.keyFingerprint ? key.publicKeyPem : undefined),
    undefined,
    after,
    (fingerprint) =>
      `signed by an unknown key ${short(fingerprint)}, not this store's key ${short(key.keyFingerprint)} (${whence}): a key added to the database proves nothing`,
  );
}

function short(hex: string): string {
  return hex.length > 16 ? `${hex.slice(0, 16)}…` : hex;
}
