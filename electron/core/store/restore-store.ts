import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { LedgerEntry } from '../../../shared/domain.js';
import { badInput, CustosError, integrityFailure, operationFailure } from '../errors.js';
import { fsyncFolder } from './durable-file.js';
import { EvidenceStore } from './evidence-store.js';
import { iterateLedger, LedgerChainChecker } from './ledger.js';
import * as q from './queries.js';
import { ledgerFacts, ledgerHead, readAnchor, type StoreAnchorBody } from './store-anchor.js';
import { type StoreLayout, storeLayout } from './store-layout.js';
import { WriterLock } from './writer-lock.js';

/** What `custos restore` did. */
export interface RestoreOutcome {
  /** Entries the backup holds. */
  readonly backupEntries: number;
  /** Entries `store.json` recorded before the restore. */
  readonly anchoredEntries: number;
  /**
   * The ledger of the database that was in place, when it extends the anchor (store.json is
   * rewritten at most once a second, so after a crash it can lag the database by a few entries);
   * the backup was then checked against it. Null when it was missing, unreadable or did not extend
   * the anchor: see `liveNotUsed`.
   */
  readonly live: { readonly count: number; readonly headHash: string } | null;
  /** Why the backup was checked against store.json rather than the database in place, or null when it was not. */
  readonly liveNotUsed: string | null;
  /** Entries the reference (the database in place, else the anchor) held that the backup does not (0 for a complete backup). */
  readonly lostEntries: number;
  /** Where the database that was in place went (kept, never deleted), or null when there was none. */
  readonly setAside: string | null;
  /** The `store.restore` custody entry that records the restore. */
  readonly entrySeq: number;
}

/**
 * Puts a backup of the database back in place, after checking it against the store's anchor
 * (`store.json`): the backup must be this store's (store id, key), pass SQLite's quick check, hold
 * a ledger whose chain and signatures verify, and either reach the anchored head with the same
 * hash or, with `acceptLoss`, be shorter (the entries after it are then lost, and said so). The
 * database in place, if any, is renamed aside, never deleted. The restore is itself a custody
 * entry (`store.restore`: what the anchor recorded, what the backup holds, how many are lost), so
 * the history says that it happened.
 */
export async function restoreStore(
  dir: string,
  from: string,
  options: { readonly acceptLoss?: boolean } = {},
): Promise<RestoreOutcome> {
  const layout = storeLayout(dir);
  readStoreAnchor(layout); // a folder with no anchor is refused before a lock file is made in it
  const backupFile = backupDatabaseFile(from);
  // Held from before the anchor is read until the restore is recorded: a writer that waited
  // meanwhile then opens a database the anchor vouches for, and one that wrote before this restore
  // took the lock has its entries counted among those the backup lacks.
  const lock = await WriterLock.acquire(layout.writerLock, layout.writerLockInfo);
  try {
    const anchor = readStoreAnchor(layout);
    const live = liveLedger(layout.database, anchor);
    const inPlace = 'head' in live ? live : null;
    const reference = inPlace?.head ?? anchor.ledger;
    const backup = new Database(backupFile, { readonly: true, fileMustExist: true });
    let backupEntries: number;
    let setAside: string | null = null;
    try {
      backupEntries = checkBackup(backup, anchor, inPlace, backupFile, options.acceptLoss ?? false);
      const incoming = path.join(layout.root, `.custos.sqlite.restore-${process.pid}.tmp`);
      try {
        await backup.backup(incoming); // SQLite's online backup: a consistent copy, WAL folded in
        const fd = fs.openSync(incoming, 'r+');
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fs.chmodSync(incoming, 0o600);
        setAside = setAsideDatabase(layout.database);
        fs.renameSync(incoming, layout.database);
        fsyncFolder(layout.root);
      } finally {
        fs.rmSync(incoming, { force: true });
      }
    } finally {
      backup.close();
    }
    const lostEntries = Math.max(0, reference.count - backupEntries);
    const store = EvidenceStore.openRestored(dir, lock);
    try {
      const entry = store.recordRestore({
        from: path.resolve(from),
        anchored: anchor.ledger,
        ...(inPlace ? { live: inPlace.head } : { liveNotUsed: 'notUsed' in live ? live.notUsed : null }),
        backup: { count: backupEntries },
        lostEntries,
        setAside: setAside && path.basename(setAside),
      });
      return {
        backupEntries,
        anchoredEntries: anchor.ledger.count,
        live: inPlace?.head ?? null,
        liveNotUsed: 'notUsed' in live ? live.notUsed : null,
        lostEntries,
        setAside,
        entrySeq: entry.seq,
      };
    } finally {
      store.close(); // writes the anchor for the recorded restore, then lets the lock go
    }
  } finally {
    lock.release();
  }
}

/** The anchor a backup is checked against; bad input without one, an integrity failure for a bad one. */
function readStoreAnchor(layout: StoreLayout): StoreAnchorBody {
  const read = readAnchor(layout.anchor);
  if (read === null)
    throw badInput(
      `${layout.root} has no store.json to check a backup against (a store from before anchors); copy the backup's custos.sqlite into place by hand and run \`custos audit\``,
    );
  if ('problem' in read) throw integrityFailure(`this store's anchor ${layout.anchor} ${read.problem}`);
  return read.anchor;
}

/** The backup's database file: `FROM` itself, or `FROM/custos.sqlite` for a copied store folder; regular files only. */
function backupDatabaseFile(from: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(from);
  } catch {
    throw badInput(`backup ${from} not found; give a copy of the store folder or of its custos.sqlite`);
  }
  const file = stat.isDirectory() ? path.join(from, 'custos.sqlite') : from;
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw badInput(`${file} is not a regular file; give a copy of the store folder or of its custos.sqlite`);
  return file;
}

type LedgerHead = { readonly count: number; readonly headHash: string };

/** The database in place when it extends the anchor: its head, and the hashes of its entries from the anchored head on. */
type LiveLedger = { readonly head: LedgerHead; readonly hashFromAnchor: ReadonlyMap<number, string> };

/**
 * The ledger of the database in place, read under the writer lock, when it extends the anchor:
 * this store's, holding the anchored head's entry with the anchored hash, and entries after it
 * that link to it and are signed by the anchor's own key (a key added to the database's
 * investigators table proves nothing: whoever edits the file can add one). Otherwise why the anchor
 * stays what the backup must reach. A database another program holds busy is an error (exit 3),
 * not a reason to fall back to the anchor.
 */
function liveLedger(file: string, anchor: StoreAnchorBody): LiveLedger | { notUsed: string } {
  if (!fs.existsSync(file)) return { notUsed: 'no database was in place' };
  let live: Database.Database | undefined;
  try {
    live = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
    const facts = ledgerFacts(live, anchor.ledger.count);
    const head = ledgerHead(live);
    if (facts.state !== 'ok' || head === null)
      return { notUsed: 'the database in place holds no custody ledger' };
    if (facts.storeId !== anchor.storeId || facts.hashAtAnchorHead !== anchor.ledger.headHash)
      return {
        notUsed:
          'the database in place does not extend store.json (another store or history, or fewer entries)',
      };
    const hashFromAnchor = new Map([[anchor.ledger.count, anchor.ledger.headHash]]);
    const problem = anchorExtensionProblem(live, anchor, (entry) =>
      hashFromAnchor.set(entry.seq, entry.hash),
    );
    if (problem) return { notUsed: `the database in place does not extend store.json: its ${problem}` };
    return { head, hashFromAnchor };
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      throw operationFailure(
        `the store's database is busy (${code}): another program holds it; try again once it is closed`,
        { cause: error },
      );
    return { notUsed: `the database in place cannot be read (${(error as Error).message})` };
  } finally {
    live?.close();
  }
}

/**
 * The first problem of the entries after the anchored head, or null: they must link to that head and
 * be signed by the anchor's key, the one key this workstation signs with. Only the entries the
 * anchor has not vouched for are read, so the cost is that of the lag, not of the whole ledger.
 */
function anchorExtensionProblem(
  db: Database.Database,
  anchor: StoreAnchorBody,
  each: (entry: LedgerEntry) => void = () => {},
): string | null {
  const chain = new LedgerChainChecker(
    (fingerprint) => (fingerprint === anchor.keyFingerprint ? anchor.publicKeyPem : undefined),
    undefined,
    { seq: anchor.ledger.count, hash: anchor.ledger.headHash },
  );
  for (const entry of iterateLedger(db, { afterSeq: anchor.ledger.count })) {
    chain.check(entry);
    each(entry);
  }
  const first = chain.problems[0];
  return first ? `${first.subject} (after store.json's head) ${first.problem}` : null;
}

/** The first problem of a database's custody chain (links and signatures, by its own investigators' keys), or null. */
function verifiedChain(db: Database.Database): string | null {
  const keys = new Map(q.listInvestigators(db).map((i) => [i.keyFingerprint, i.publicKeyPem]));
  const chain = new LedgerChainChecker((fingerprint) => keys.get(fingerprint));
  for (const entry of iterateLedger(db)) chain.check(entry);
  const first = chain.problems[0];
  return first ? `${first.subject}: ${first.problem}` : null;
}

/**
 * Checks a backup against this store (the anchor's store id and key), against the anchored head
 * (whenever it is long enough to hold it), and against the head it must reach: the database in
 * place when it extends the anchor, else the anchor. Returns how many entries it holds, or throws
 * (exit 1).
 */
function checkBackup(
  backup: Database.Database,
  anchor: StoreAnchorBody,
  live: LiveLedger | null,
  file: string,
  acceptLoss: boolean,
): number {
  const refuse = (why: string) => integrityFailure(`the backup ${file} ${why}; nothing was restored`);
  const reference = live?.head ?? anchor.ledger;
  let facts: ReturnType<typeof ledgerFacts>;
  let head: LedgerHead | null;
  try {
    const quick = backup.pragma('quick_check', { simple: true });
    if (quick !== 'ok') throw refuse(`fails SQLite's quick check (${String(quick)})`);
    facts = ledgerFacts(backup, anchor.ledger.count);
    head = ledgerHead(backup);
  } catch (error) {
    if (error instanceof CustosError) throw error;
    throw refuse(`cannot be read as a Custos database (${(error as Error).message})`);
  }
  if (facts.state !== 'ok' || head === null) throw refuse('holds no custody ledger');
  if (facts.storeId !== anchor.storeId)
    throw refuse(`belongs to another store (${facts.storeId}), not to this one (${anchor.storeId})`);
  if (!q.listInvestigators(backup).some((i) => i.keyFingerprint === anchor.keyFingerprint))
    throw refuse(`does not hold this workstation's key ${anchor.keyFingerprint}`);
  const chain = verifiedChain(backup);
  if (chain) throw refuse(`has a custody ledger that does not verify (${chain})`);
  // Whatever the reference and whatever --accept-loss: a backup long enough to hold the anchored
  // head must hold that very entry, and what it holds after it must be signed by this workstation.
  if (head.count >= anchor.ledger.count) {
    if (facts.hashAtAnchorHead !== anchor.ledger.headHash)
      throw refuse(
        `holds another history: its entry ${anchor.ledger.count} is not the one store.json records`,
      );
    const extension = anchorExtensionProblem(backup, anchor);
    if (extension) throw refuse(`holds another history: its ${extension}`);
  }
  if (live && head.count > anchor.ledger.count) {
    // The backup must be a prefix of the database in place, or extend it.
    const at = Math.min(head.count, live.head.count);
    const backupHash = at === head.count ? head.headHash : hashAt(backup, at);
    if (backupHash !== live.hashFromAnchor.get(at))
      throw refuse(`holds another history: its entry ${at} is not the one the database in place holds`);
  }
  const holder = live ? 'the database in place holds' : 'store.json records';
  if (head.count < reference.count && !acceptLoss) {
    throw refuse(
      `holds ${head.count} of the ${reference.count} custody entries ${holder}${live ? ` (store.json, rewritten at most once a second, records ${anchor.ledger.count})` : ''}: the ${reference.count - head.count} after entry ${head.count} would be lost. Restore a newer backup, or run again with --accept-loss (the restore and the loss are then recorded in the ledger)`,
    );
  }
  return head.count;
}

/** The hash of a database's ledger entry `seq`, if it holds it. */
function hashAt(db: Database.Database, seq: number): string | undefined {
  return db.prepare('SELECT hash FROM ledger WHERE seq = ?').pluck().get(seq) as string | undefined;
}

/** Renames the database in place (and its WAL) aside, so that nothing it holds is lost; returns its new name. */
function setAsideDatabase(database: string): string | null {
  if (!fs.existsSync(database)) {
    fs.rmSync(`${database}-wal`, { force: true });
    fs.rmSync(`${database}-shm`, { force: true });
    return null;
  }
  const aside = `${database}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(database, aside);
  if (fs.existsSync(`${database}-wal`)) fs.renameSync(`${database}-wal`, `${aside}-wal`);
  fs.rmSync(`${database}-shm`, { force: true });
  return aside;
}
