import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { errorCode } from '../errors.js';
import { describeSystemError } from '../system-errors.js';
import { canonicalJson } from './canonical-json.js';
import { cachedStatement, OPEN_CHECK_BUSY_MS, type ReadableDB } from './database.js';
import { writeDurably } from './durable-file.js';
import { keyFingerprint, type Signer, verifySignature } from './signing-key.js';

/** The signed part of `store.json`: what the database must still hold. */
export interface StoreAnchorBody {
  readonly format: 'custos.store-anchor';
  readonly version: 1;
  readonly storeId: string;
  readonly keyFingerprint: string;
  /** The public key that signs the anchor, so that it can be checked with no database at all. */
  readonly publicKeyPem: string;
  /** The ledger when the anchor was written: its entries are numbered 1..count, the last with headHash. */
  readonly ledger: { readonly count: number; readonly headHash: string };
  readonly writtenAt: string;
}

/** `store.json` as stored: the body and its Ed25519 signature (base64, over the body's canonical JSON). */
export interface StoreAnchor extends StoreAnchorBody {
  readonly signature: string;
}

/** The setting that says an anchor was written for this database, so a deleted `store.json` is noticed. */
export const ANCHORED_SETTING = 'store.anchored';

/** What a store's database holds, as far as the anchor is concerned. */
export interface LedgerFacts {
  /**
   * `missing` (no file), `empty` (no ledger table: 0 bytes or never initialised), `unreadable`
   * (damaged: SQLite finds no database, or a corrupt one, in the file), or `ok`.
   */
  readonly state: 'missing' | 'empty' | 'unreadable' | 'ok';
  /** Why it is unreadable: SQLite's text. */
  readonly detail?: string;
  /** SQLite's code for why it is unreadable (SQLITE_NOTADB, SQLITE_CORRUPT…). */
  readonly code?: string;
  /** Entries in the ledger (they are numbered 1..count). */
  readonly count: number;
  readonly storeId: string | undefined;
  /** Whether an anchor was ever written for this database. */
  readonly anchored: boolean;
  /** The hash of the entry whose number the anchor gives as its head, if the database holds it. */
  readonly hashAtAnchorHead: string | undefined;
}

/** Far more than any anchor (a few hundred bytes of JSON). */
const ANCHOR_MAX_BYTES = 1024 * 1024;

/**
 * Reads `store.json`: null when there is none, a problem when its content is wrong (forged, another
 * key's, not an anchor, a folder). A read the system refuses or fails (permission, a failing disk)
 * says nothing about the content: it is thrown as `describeSystemError` words it (exit 3).
 */
export function readAnchor(file: string): { anchor: StoreAnchor } | { problem: string } | null {
  let text: string;
  try {
    // Not a file (a folder, a named pipe, which a read would wait on for ever): not an anchor. Nor
    // a file far larger than an anchor (a few hundred bytes), which is not read whole at every open.
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { problem: 'is not a file' };
    if (stat.size > ANCHOR_MAX_BYTES)
      return { problem: `is ${stat.size} bytes, far too large to be an anchor` };
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const described = describeSystemError(error, undefined, { access: 'read' });
    if (described) throw described;
    return { problem: `cannot be read (${(error as Error).message})` };
  }
  let anchor: StoreAnchor;
  try {
    anchor = JSON.parse(text) as StoreAnchor;
  } catch {
    return { problem: 'is not valid JSON' };
  }
  if (anchor?.format !== 'custos.store-anchor' || anchor.version !== 1 || !anchor.ledger)
    return { problem: 'is not a Custos store anchor' };
  const { signature, ...body } = anchor;
  let fingerprint: string | null = null;
  try {
    fingerprint = keyFingerprint(anchor.publicKeyPem);
  } catch {
    fingerprint = null;
  }
  if (fingerprint !== anchor.keyFingerprint)
    return { problem: `holds a public key without the fingerprint ${anchor.keyFingerprint} it names` };
  if (!signatureVerifies(anchor.publicKeyPem, body, signature))
    return { problem: 'has a signature that does not verify: it was edited' };
  return { anchor };
}

/**
 * Signs and writes `store.json` atomically (`writeDurably`): a crash leaves the old anchor or the
 * new one, never half of one.
 */
export function writeAnchor(file: string, body: StoreAnchorBody, signer: Signer): void {
  const anchor: StoreAnchor = { ...body, signature: signBody(body, signer) };
  writeDurably(file, `${JSON.stringify(anchor, null, 2)}\n`);
}

/**
 * The Ed25519 signature (base64) over a record's canonical JSON, as `store.json` carries it; the
 * restore's marker (restore-pending.ts) is signed the same way.
 */
export function signBody(body: object, signer: Signer): string {
  return signer.sign(Buffer.from(canonicalJson(body), 'utf8')).toString('base64');
}

/** Whether `signature` is `signBody`'s over `body` by the key `publicKeyPem`. */
export function signatureVerifies(publicKeyPem: string, body: object, signature: unknown): boolean {
  if (typeof signature !== 'string') return false;
  let data: Buffer;
  try {
    data = Buffer.from(canonicalJson(body), 'utf8');
  } catch {
    return false; // a value canonical JSON cannot encode (1e400 parses to Infinity) was never signed
  }
  return verifySignature(publicKeyPem, data, Buffer.from(signature, 'base64'));
}

/** The ledger's length and head of an open database. */
export function ledgerHead(db: ReadableDB): { count: number; headHash: string } | null {
  // The statement appendLedgerEntry runs too; asked after every commit, so prepared once per handle.
  const row = cachedStatement(db, 'SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  return row ? { count: row.seq, headHash: row.hash } : null;
}

const NO_LEDGER = { count: 0, storeId: undefined, anchored: false, hashAtAnchorHead: undefined } as const;

/** What an open database holds for the anchor check (a database with no ledger table is `empty`). */
export function ledgerFacts(db: ReadableDB, anchorCount?: number): LedgerFacts {
  const hasLedger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger'").get();
  if (!hasLedger) return { state: 'empty', ...NO_LEDGER };
  const setting = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  return {
    state: 'ok',
    count: ledgerHead(db)?.count ?? 0,
    storeId: setting.get('store.id') as string | undefined,
    anchored: setting.get(ANCHORED_SETTING) !== undefined,
    hashAtAnchorHead:
      anchorCount === undefined
        ? undefined
        : (db.prepare('SELECT hash FROM ledger WHERE seq = ?').pluck().get(anchorCount) as
            | string
            | undefined),
  };
}

/**
 * The same facts read from the database file without changing it (it may be missing, empty or not
 * SQLite). What the file holds is a fact: `unreadable` when it is not a file, or SQLite finds no
 * database, a corrupt one, or not the store's tables (a table or a column missing: an edit). A
 * database another program holds, a permission refused or a failing disk say nothing about what
 * the file holds, and are thrown as `describeSystemError` words them (exit 3; ENVIRONMENT_CODES).
 * A lock is waited for `OPEN_CHECK_BUSY_MS` only.
 */
export function probeDatabase(file: string, anchorCount?: number): LedgerFacts {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: 'missing', ...NO_LEDGER };
    if (code === 'ELOOP') return unreadableFile('is a loop of symbolic links, not a file', code);
    throw describeSystemError(error, undefined, { access: 'read' }) ?? error;
  }
  // A folder or a device where the database belongs was put there: what SQLite would say of it
  // (an I/O error) would blame the disk.
  if (!stat.isFile()) return unreadableFile('is not a file', 'ENOTFILE');
  if (stat.size === 0) return { state: 'empty', ...NO_LEDGER };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: OPEN_CHECK_BUSY_MS });
    return ledgerFacts(db, anchorCount);
  } catch (error) {
    // A folder, a pipe or a link loop put where SQLite keeps its log or shared memory makes it fail
    // as the disk or a permission would: an edit of the folder, not the environment.
    const strangeSibling = isEnvironmentFailure(error) ? sidecarNotAFile(file) : null;
    if (strangeSibling)
      return unreadableFile(`${path.basename(strangeSibling)} beside it is not a file`, 'ENOTFILE');
    if (isEnvironmentFailure(error)) throw describeSystemError(error, undefined, { access: 'read' }) ?? error;
    const { code, message } = error as { code?: string; message: string };
    return { state: 'unreadable', detail: message, code: code ?? 'SQLITE_ERROR', ...NO_LEDGER };
  } finally {
    db?.close();
  }
}

/** SQLite's files beside the database (-wal, -shm, -journal): the first that exists but is not a file. */
function sidecarNotAFile(database: string): string | null {
  for (const suffix of ['-wal', '-shm', '-journal']) {
    const sidecar = `${database}${suffix}`;
    try {
      if (!fs.statSync(sidecar).isFile()) return sidecar;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') return sidecar;
    }
  }
  return null;
}

function unreadableFile(detail: string, code: string): LedgerFacts {
  return { state: 'unreadable', detail, code, ...NO_LEDGER };
}

/**
 * SQLite's codes for what keeps it from reading a database, whatever the file holds: a lock another
 * program holds, a permission, a disk that fails or is full. Any other error reading the store's own
 * tables (a table or a column missing, a malformed file) says the file is not what Custos wrote:
 * damage or an edit, an integrity finding (invariant 5: `audit` exits 1 when anything differs).
 */
const ENVIRONMENT_CODES =
  /^SQLITE_(BUSY|LOCKED|PERM|CANTOPEN|IOERR|FULL|NOMEM|PROTOCOL|NOLFS|INTERRUPT|READONLY_(DIRECTORY|CANTINIT|RECOVERY|CANTLOCK))/;

function isEnvironmentFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && ENVIRONMENT_CODES.test(code);
}

/**
 * How the database falls short of the anchor, as a sentence, or null when it holds everything the
 * anchor records. A database ahead of the anchor is fine: a writer that died between its commit and
 * the anchor's rewrite leaves exactly that, and the next writer catches the anchor up.
 */
export function anchorDifference(
  anchor: StoreAnchorBody,
  facts: LedgerFacts,
  databaseFile: string,
): string | null {
  const was = `the ledger was ${anchor.ledger.count} entries at ${anchor.ledger.headHash.slice(0, 16)}… (store.json, ${anchor.writtenAt})`;
  const name = path.basename(databaseFile);
  if (facts.state === 'missing') return `${was}; the database has 0: ${name} is missing`;
  if (facts.state === 'unreadable')
    return `${was}; ${name} cannot be read as a SQLite database (${facts.detail})`;
  if (facts.state === 'empty') return `${was}; the database has 0: ${name} is empty`;
  if (facts.storeId !== undefined && facts.storeId !== anchor.storeId)
    return `${name} belongs to another store (${facts.storeId}), not to the store this folder's store.json names (${anchor.storeId})`;
  if (facts.count < anchor.ledger.count)
    return `${was}; the database has ${facts.count}: it was replaced by an older copy or truncated`;
  if (facts.hashAtAnchorHead !== anchor.ledger.headHash)
    return `${was}; the database's entry ${anchor.ledger.count} has another hash (${String(facts.hashAtAnchorHead).slice(0, 16)}…): its history was replaced`;
  return null;
}
