import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { LedgerEntry } from '../../../shared/domain.js';
import { badInput, CustosError, integrityFailure, operationFailure } from '../errors.js';
import { describeBusyDatabase } from '../system-errors.js';
import { sha256Hex } from './canonical-json.js';
import { fsyncFolder } from './durable-file.js';
import { EvidenceStore } from './evidence-store.js';
import { anchoredChainChecker, iterateLedger, iterateLedgerRows } from './ledger.js';
import { canonicalEntryBody } from './ledger-entry-body.js';
import { SCHEMA_VERSION } from './migrations/index.js';
import * as q from './queries.js';
import {
  removeRestorePending,
  requireAnchoredRestore,
  restorePending,
  type SettledRestore,
  settleInterruptedRestore,
  undoSwap,
  writeRestorePending,
} from './restore-pending.js';
import { ledgerFacts, ledgerHead, readAnchor, type StoreAnchorBody } from './store-anchor.js';
import { type StoreLayout, storeLayout } from './store-layout.js';
import { schemaFindings } from './store-schema.js';
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
  /**
   * What could not be checked, and why, or null when every entry the backup holds was found
   * identical to this store's history: a backup shorter than store.json (which records only its
   * head) can be compared only through a database in place that extends store.json and whose
   * entries from the backup's head to store.json's are whole; without one it can be compared with
   * nothing. Said in the output and recorded in the `store.restore` entry; only `acceptLoss`
   * restores such a backup.
   */
  readonly unchecked: string | null;
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
 * database in place, if any, is renamed aside, never deleted, and only once every check a writer's
 * open makes has passed on the copy about to replace it; a failure after that, until the restore is
 * recorded, puts it back (`undoRestore`), and a kill there is settled by the next writer through
 * the marker written before the first rename (restore-pending.ts). The restore is itself a custody
 * entry (`store.restore`: what the anchor recorded, what the backup holds, how many are lost), so
 * the history says that it happened.
 */
export async function restoreStore(
  dir: string,
  from: string,
  options: {
    readonly acceptLoss?: boolean;
    /** Told when a restore killed earlier was finished or undone before this one began. */
    readonly onInterruptedRestore?: (settled: SettledRestore) => void;
  } = {},
): Promise<RestoreOutcome> {
  const layout = storeLayout(dir);
  readStoreAnchor(layout); // a folder with no anchor is refused before a lock file is made in it
  const backupFile = backupDatabaseFile(from, layout.database);
  // Held from before the anchor is read until the restore is recorded: a writer that waited
  // meanwhile then opens a database the anchor vouches for, and one that wrote before this restore
  // took the lock has its entries counted among those the backup lacks.
  const lock = await WriterLock.acquire(layout.writerLock, layout.writerLockInfo);
  try {
    const settled = settleInterruptedRestore(layout, lock); // a restore killed earlier is finished or undone first
    if (settled) options.onInterruptedRestore?.(settled);
    const anchor = readStoreAnchor(layout);
    const live = liveLedger(layout.database, anchor);
    const inPlace = 'head' in live ? live : null;
    const reference = inPlace?.head ?? anchor.ledger;
    const backup = new Database(backupFile, { readonly: true, fileMustExist: true, timeout: 10_000 });
    let checked: CheckedBackup;
    const incoming = path.join(layout.root, `.custos.sqlite.restore-${process.pid}.tmp`);
    try {
      const liveOrWhyNot = 'head' in live ? live : live.notUsed;
      checked = readingBackup(backupFile, () =>
        checkBackup(backup, anchor, liveOrWhyNot, backupFile, options.acceptLoss ?? false),
      );
      await backup.backup(incoming); // SQLite's online backup: a consistent copy, WAL folded in
    } catch (error) {
      removeDatabaseFiles(incoming);
      throwIfBusy(error, `the backup ${backupFile}`);
      throw error;
    } finally {
      backup.close();
    }
    const backupEntries = checked.count;
    const lostEntries = Math.max(0, reference.count - backupEntries);
    const aside = setAsideName(layout.database);
    const pending = restorePending({
      incoming: path.basename(incoming),
      setAside: aside && path.basename(aside),
      backup: { count: backupEntries, headHash: checked.headHash },
      details: {
        from: path.resolve(from),
        anchored: anchor.ledger,
        ...(inPlace ? { live: inPlace.head } : { liveNotUsed: 'notUsed' in live ? live.notUsed : null }),
        backup: { count: backupEntries },
        ...(checked.unchecked ? { unchecked: checked.unchecked } : {}),
        lostEntries,
        setAside: aside && path.basename(aside),
      },
    });
    let marked = false;
    let entrySeq: number | undefined;
    try {
      // Every check a writer's open makes, on the copy: a refusal leaves the store as it was.
      const copy = EvidenceStore.restoredCopyCheck(dir, incoming, anchor.keyFingerprint);
      if ('problem' in copy)
        throw integrityFailure(`the backup ${backupFile} ${copy.problem}; nothing was restored`);
      const fd = fs.openSync(incoming, 'r+');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.chmodSync(incoming, 0o600);
      // From here until the entry is committed, the marker tells the next writer, after a kill, to
      // finish the restore (the copy is in place) or to undo it (it is not): restore-pending.ts.
      writeRestorePending(layout, pending, copy.signer);
      marked = true;
      setAsideDatabase(layout.database, aside);
      // Durable before the copy's rename replaces the name: a power cut that kept that rename and
      // lost this one would leave the database that was in place under no name at all.
      fsyncFolder(layout.root);
      fs.renameSync(incoming, layout.database);
      fsyncFolder(layout.root);
      const store = EvidenceStore.openRestored(dir, lock, settled);
      let entry: LedgerEntry;
      try {
        entry = store.recordRestore(pending.details);
        entrySeq = entry.seq;
      } finally {
        store.close(); // writes the anchor for the recorded restore; the lock is let go below
      }
      // The marker stays until store.json records the entry: the next writer rewrites it.
      requireAnchoredRestore(layout, { count: entry.seq, headHash: entry.hash }, store.anchorFailure);
      removeRestorePending(layout);
    } catch (error) {
      // Not recorded, so not restored: the database that was in place goes back, under the lock.
      if (entrySeq === undefined) {
        if (!marked) {
          removeDatabaseFiles(incoming);
          throw error;
        }
        throw undoRestore(layout, incoming, aside, error);
      }
      throw error;
    }
    return {
      backupEntries,
      anchoredEntries: anchor.ledger.count,
      live: inPlace?.head ?? null,
      liveNotUsed: 'notUsed' in live ? live.notUsed : null,
      unchecked: checked.unchecked,
      lostEntries,
      setAside: aside,
      entrySeq,
    };
  } finally {
    lock.release();
  }
}

/** Removes a database file and its write-ahead log files, when there. */
function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
}

/**
 * After a restore failed between setting the database in place aside and recording the restore:
 * removes the backup's copy (the backup itself is untouched) and puts the database that was in
 * place back, with its write-ahead log. The error to throw says which happened: the original
 * failure with "nothing was changed" once the store is as it was, or, when it could not be put
 * back, where the set-aside database is kept and how to put it back by hand.
 */
function undoRestore(
  layout: StoreLayout,
  incoming: string,
  setAside: string | null,
  error: unknown,
): CustosError {
  const why = error instanceof Error ? error.message : String(error);
  try {
    undoSwap(layout, incoming, setAside);
    removeRestorePending(layout);
  } catch (undoError) {
    const kept = setAside
      ? `it is kept as ${setAside}${fs.existsSync(`${setAside}-wal`) ? ` (with ${setAside}-wal)` : ''}`
      : 'there was none';
    return operationFailure(
      `the restore failed (${why}) after the database in place was set aside, and it could not be put back (${(undoError as Error).message}): ${kept}. With no Custos program running, remove ${layout.database} and its -wal and -shm files, rename the set-aside file(s) back to ${path.basename(layout.database)}, then run \`custos audit\``,
      { cause: error },
    );
  }
  const undone = `the restore failed (${why}) and was undone: the database that was in place is back, so nothing was changed`;
  return error instanceof CustosError
    ? new CustosError(error.kind, undone, { cause: error })
    : operationFailure(undone, { cause: error });
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

/**
 * The backup's database file: `FROM` itself, or `FROM/custos.sqlite` for a copied store folder;
 * regular files only, and not the store's own database (`database`), however it is reached (a
 * symbolic or hard link): that is no backup, and setting it aside would leave nothing to restore.
 */
function backupDatabaseFile(from: string, database: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(from);
  } catch {
    throw badInput(`backup ${from} not found; give a copy of the store folder or of its custos.sqlite`);
  }
  const file = stat.isDirectory() ? path.join(from, 'custos.sqlite') : from;
  const fileStat = fs.statSync(file, { throwIfNoEntry: false });
  if (!fileStat?.isFile())
    throw badInput(`${file} is not a regular file; give a copy of the store folder or of its custos.sqlite`);
  const own = fs.statSync(database, { throwIfNoEntry: false });
  if (own && own.dev === fileStat.dev && own.ino === fileStat.ino)
    throw badInput(
      `${file} is this store's own database, not a backup of it; give a copy of the store folder or of its custos.sqlite taken earlier (nothing was restored)`,
    );
  return file;
}

type LedgerHead = { readonly count: number; readonly headHash: string };

/** The database in place when it extends the anchor: its file, its head, and the hashes of its entries from the anchored head on. */
type LiveLedger = {
  readonly file: string;
  readonly head: LedgerHead;
  readonly hashFromAnchor: ReadonlyMap<number, string>;
};

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
    return { file, head, hashFromAnchor };
  } catch (error) {
    throwIfBusy(error);
    return { notUsed: `the database in place cannot be read (${(error as Error).message})` };
  } finally {
    live?.close();
  }
}

/** A database another program holds busy or locked stops the restore (exit 3): nothing can be checked against it, or in it. */
function throwIfBusy(error: unknown, backup?: string): void {
  const busy = backup
    ? describeBusyDatabase(error, 'it cannot be checked and nothing was restored', backup)
    : describeBusyDatabase(error, 'the backup cannot be checked against it and nothing was restored');
  if (busy) throw busy;
}

/**
 * Whether the backup's head entry (seq `head.count`, short of store.json's head) is the one the
 * database in place holds there. The entries in place after it, up to store.json's head, must each
 * hash to what they state and link to the one before, the last being the anchored head: the
 * anchored hash then covers the first one's link, which must be the backup's head hash, and through
 * the backup's verified chain every entry before it. Costs the entries lost, not the whole ledger.
 * 'same', 'differs' (another history), or why the two cannot be compared.
 */
function compareWithLive(
  live: LiveLedger,
  anchor: StoreAnchorBody,
  head: LedgerHead,
): 'same' | 'differs' | { readonly uncomparable: string } {
  let db: Database.Database | undefined;
  try {
    db = new Database(live.file, { readonly: true, fileMustExist: true, timeout: 10_000 });
    // The first entry's link is what is compared; each later one must link to the entry before it.
    let linkToBackupHead: string | undefined;
    let last = { seq: head.count, hash: head.headHash };
    for (const entry of iterateLedger(db, { afterSeq: head.count })) {
      if (entry.seq > anchor.ledger.count) break;
      linkToBackupHead ??= entry.prevHash;
      const encoded = canonicalEntryBody(entry);
      if (
        entry.seq !== last.seq + 1 ||
        (entry.seq > head.count + 1 && entry.prevHash !== last.hash) ||
        'problem' in encoded ||
        sha256Hex(encoded.canonical) !== entry.hash
      )
        return { uncomparable: `the database in place has a broken or changed entry ${entry.seq}` };
      last = { seq: entry.seq, hash: entry.hash };
    }
    if (last.seq !== anchor.ledger.count || last.hash !== anchor.ledger.headHash)
      return { uncomparable: "the database in place lacks entries up to store.json's head" };
    return linkToBackupHead === head.headHash ? 'same' : 'differs';
  } catch (error) {
    throwIfBusy(error);
    return { uncomparable: `the database in place cannot be read (${(error as Error).message})` };
  } finally {
    db?.close();
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
  const chain = anchoredChainChecker(anchor, { seq: anchor.ledger.count, hash: anchor.ledger.headHash });
  for (const entry of iterateLedger(db, { afterSeq: anchor.ledger.count })) {
    chain.check(entry);
    each(entry);
  }
  const first = chain.problems[0];
  return first ? `${first.subject} (after store.json's head) ${first.problem}` : null;
}

/**
 * The first problem of a database's custody chain (links, and signatures by the anchor's key:
 * `anchoredChainChecker`), or null.
 */
function verifiedChain(db: Database.Database, anchor: StoreAnchorBody): string | null {
  const chain = anchoredChainChecker(anchor);
  for (const entry of iterateLedgerRows(db)) {
    if ('unreadable' in entry) return `ledger entry ${entry.seq}: ${entry.unreadable}`;
    chain.check(entry);
  }
  const first = chain.problems[0];
  return first ? `${first.subject}: ${first.problem}` : null;
}

/**
 * Why a backup's investigators are not this workstation's alone, or null: a store holds one
 * investigator row, the workstation's (`workstation.investigator`), with exactly the public key
 * store.json names. Another row is someone's addition, whatever it signed.
 */
function investigatorProblem(db: Database.Database, anchor: StoreAnchorBody): string | null {
  const investigators = q.listInvestigators(db);
  const workstation = q.getSetting(db, 'workstation.investigator');
  const own = investigators.find((i) => i.id === workstation);
  if (!own)
    return `names no workstation investigator, so it does not hold this workstation's key ${anchor.keyFingerprint}`;
  if (own.keyFingerprint !== anchor.keyFingerprint || own.publicKeyPem !== anchor.publicKeyPem)
    return `names as its workstation investigator ${own.name}, whose key ${own.keyFingerprint} is not this workstation's key ${anchor.keyFingerprint} (store.json)`;
  const others = investigators.filter((i) => i !== own);
  if (others.length > 0)
    return `holds investigators this store never had (${others.map((i) => `${i.name}, key ${i.keyFingerprint}`).join('; ')}): a store has only its workstation's, so the backup was edited and cannot be used`;
  return null;
}

/**
 * Runs `read`, every read of the backup: a busy backup is another program's (exit 3), any other
 * failure to read it (a table missing, a column of another type) is the backup's (exit 1).
 */
function readingBackup<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CustosError) throw error;
    throwIfBusy(error, `the backup ${file}`);
    throw backupRefusal(file, `cannot be read as a Custos database (${(error as Error).message})`);
  }
}

/** The refusal of a backup (exit 1), saying why. */
function backupRefusal(file: string, why: string): CustosError {
  return integrityFailure(`the backup ${file} ${why}; nothing was restored`);
}

/** A backup that passed checkBackup: how many entries it holds, and what could not be checked (see RestoreOutcome). */
type CheckedBackup = {
  readonly count: number;
  readonly headHash: string;
  readonly unchecked: string | null;
};

/**
 * Checks a backup against this store (the anchor's store id and key), its entries against this
 * store's history (see below), and its length against the head it must reach: the database in place
 * when it extends the anchor, else the anchor. Whatever `acceptLoss`, every entry the backup holds
 * must be the entry at its seq in the database in place (when it extends the anchor) or, for a
 * backup that reaches it, at or before store.json's head. `live` is the database in place, or why it
 * is not used. Returns how many entries the backup holds and what could not be compared, or throws
 * (exit 1); run it inside readingBackup.
 */
function checkBackup(
  backup: Database.Database,
  anchor: StoreAnchorBody,
  liveOrWhyNot: LiveLedger | string,
  file: string,
  acceptLoss: boolean,
): CheckedBackup {
  const live = typeof liveOrWhyNot === 'string' ? null : liveOrWhyNot;
  const refuse = (why: string) => backupRefusal(file, why);
  const reference = live?.head ?? anchor.ledger;
  const quick = backup.pragma('quick_check', { simple: true });
  if (quick !== 'ok') throw refuse(`fails SQLite's quick check (${String(quick)})`);
  const version = backup.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION)
    throw badInput(
      `the backup ${file} is schema version ${version}, newer than this Custos understands (${SCHEMA_VERSION}); nothing was restored. Restore it with the newer Custos that wrote it, or update this one`,
    );
  const facts = ledgerFacts(backup, anchor.ledger.count);
  const head = ledgerHead(backup);
  if (facts.state !== 'ok' || head === null) throw refuse('holds no custody ledger');
  if (facts.storeId !== anchor.storeId)
    throw refuse(`belongs to another store (${facts.storeId}), not to this one (${anchor.storeId})`);
  const identity = investigatorProblem(backup, anchor);
  if (identity) throw refuse(identity);
  const chain = verifiedChain(backup, anchor);
  if (chain)
    throw refuse(
      `has a custody ledger that does not verify (${chain}): the backup was damaged or edited and cannot be used`,
    );
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
  // The same comparison as the audit's: a backup whose append-only triggers were dropped (or that
  // holds an added view, an altered table, a version set back) would come back as the store.
  const schema = schemaFindings(backup);
  if (schema.length > 0)
    throw refuse(
      `has a database schema that is not the one Custos makes (${schema.join('; ')}): the backup was edited and cannot be used`,
    );
  let unchecked: string | null = null;
  if (head.count < anchor.ledger.count) {
    // Shorter than store.json, which records only its head: only the database in place can show
    // that the backup is a prefix of this store's history, not a backup of another one.
    const compared =
      typeof liveOrWhyNot === 'string'
        ? { uncomparable: liveOrWhyNot }
        : compareWithLive(liveOrWhyNot, anchor, head);
    if (compared === 'differs')
      throw refuse(
        `holds another history: its entry ${head.count} is not the one the database in place holds`,
      );
    if (compared !== 'same')
      unchecked = `its ${head.count} custody entries could not be compared with this store's history: store.json records only its head (entry ${anchor.ledger.count}), and ${compared.uncomparable}`;
  }
  const holder = live ? 'the database in place holds' : 'store.json records';
  if (head.count < reference.count && !acceptLoss) {
    throw refuse(
      `holds ${head.count} of the ${reference.count} custody entries ${holder}${live ? ` (store.json, rewritten at most once a second, records ${anchor.ledger.count})` : ''}: the ${reference.count - head.count} after entry ${head.count} would be lost${unchecked ? `, and ${unchecked}` : ''}. Restore a newer backup, or run again with --accept-loss (the restore and the loss are then recorded in the ledger)`,
    );
  }
  return { count: head.count, headHash: head.headHash, unchecked };
}

/** The hash of a database's ledger entry `seq`, if it holds it. */
function hashAt(db: Database.Database, seq: number): string | undefined {
  return db.prepare('SELECT hash FROM ledger WHERE seq = ?').pluck().get(seq) as string | undefined;
}

/** The name the database in place is set aside under, or null when there is none. */
function setAsideName(database: string): string | null {
  if (!fs.existsSync(database)) return null;
  return `${database}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Renames the database in place (and its WAL) to `aside`, so that nothing it holds is lost; with
 * none in place, removes write-ahead log files left without it (SQLite would apply them to the copy).
 */
function setAsideDatabase(database: string, aside: string | null): void {
  if (aside) {
    fs.renameSync(database, aside);
    if (fs.existsSync(`${database}-wal`)) fs.renameSync(`${database}-wal`, `${aside}-wal`);
  } else fs.rmSync(`${database}-wal`, { force: true });
  fs.rmSync(`${database}-shm`, { force: true });
}
