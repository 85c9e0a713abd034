import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { CustosError, errorSaying, integrityFailure, type NextStep, RUN_AGAIN } from '../errors.js';
import { describeBusyDatabase, describeSystemError } from '../system-errors.js';
import { closedOnFailure } from './database.js';
import { fsyncFolder, removeDurably, writeDurably } from './durable-file.js';
import { EvidenceStore } from './evidence-store.js';
import type { Signer } from './signing-key.js';
import { readAnchor, signatureVerifies, signBody } from './store-anchor.js';
import type { StoreLayout } from './store-layout.js';
import { currentLockHolder, WRITER_LOCK_WAIT_MS, type WriterLock } from './writer-lock.js';

const FORMAT = 'custos-restore-pending/1';
/** The names restore-store.ts gives the backup's copy and the set-aside database. */
const INCOMING_NAME = /^\.custos\.sqlite\.restore-\d+\.tmp$/;
const SET_ASIDE_NAME = /^custos\.sqlite\.replaced-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/;

/**
 * What `custos restore` writes (durably) before it sets the database in place aside: enough to tell,
 * after a kill, whether the backup's copy was put in place, and to record the restore if it was.
 */
export interface RestorePending {
  readonly format: typeof FORMAT;
  /** Names the restore; its `store.restore` entry carries it (`details.restoreId`). */
  readonly id: string;
  readonly startedAt: string;
  /** The backup's checked copy, in the store folder, until it is renamed into place. */
  readonly incoming: string;
  /** Where the database in place goes (a name in the store folder), or null when there was none. */
  readonly setAside: string | null;
  /** The ledger head of the backup's copy: what the database in place holds once the swap is done. */
  readonly backup: { readonly count: number; readonly headHash: string };
  /** The `store.restore` entry's details, as the restore would have recorded them. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** The marker for a restore about to swap; `write` it before anything is renamed. */
export function restorePending(fields: Omit<RestorePending, 'format' | 'id' | 'startedAt'>): RestorePending {
  const id = randomUUID();
  return {
    format: FORMAT,
    id,
    startedAt: new Date().toISOString(),
    ...fields,
    details: { ...fields.details, restoreId: id },
  };
}

/**
 * Writes the marker durably (temporary file, fsync, rename, folder fsync), signed by the
 * workstation's key as store.json is (`signBody`): the next writer acts on it only if that
 * signature verifies against the key store.json holds, since finishing a restore signs it.
 */
export function writeRestorePending(layout: StoreLayout, pending: RestorePending, signer: Signer): void {
  const signed = { ...pending, signature: signBody(pending, signer) };
  writeDurably(layout.restorePending, `${JSON.stringify(signed, null, 2)}\n`);
}

/** Removes the marker durably, once the restore is recorded or undone. */
export function removeRestorePending(layout: StoreLayout): void {
  removeDurably(layout.restorePending);
}

/** What settling an interrupted restore did. */
export type SettledRestore =
  | { readonly outcome: 'undone'; readonly removed: readonly string[]; readonly bytes: number }
  | { readonly outcome: 'finished'; readonly entrySeq: number }
  | { readonly outcome: 'already recorded' };

/**
 * Settles a restore a kill interrupted, under the writer `lock` (every writer's open, and `custos
 * restore`, call it first): with no marker, nothing. When the backup's copy was not yet renamed
 * into place (it is still there under its temporary name, or no database is in place), the restore
 * is undone: the database that was in place goes back if it was set aside, the copy is removed,
 * nothing else changed. When it was, the restore is finished: its `store.restore` entry is
 * appended as the restore would have made it, with `interrupted: true`, unless it was committed
 * already. With no copy under its temporary name and the set-aside database not aside, the swap is
 * not in effect (an undo killed before it removed the marker): only the marker is removed. The
 * marker is removed last, so that settling killed at any step is settled by the next writer. A marker that cannot be read, one written when store.json
 * recorded another head (an earlier restore's, put back: `refuseReplay`), the database, the copy and
 * the set-aside database all there, or a database in place that is neither the backup's copy nor
 * the restore's result, stops the open (exit 1): nothing is written.
 */
export function settleInterruptedRestore(layout: StoreLayout, lock: WriterLock): SettledRestore | null {
  const file = layout.restorePending;
  const text = readMarker(layout);
  if (text === null) return null;
  const { pending, anchored } = verifiedPending(layout, parsePending(layout, text));
  const incoming = path.join(layout.root, pending.incoming);
  const setAside = pending.setAside && path.join(layout.root, pending.setAside);
  if (fs.existsSync(incoming) || !fs.existsSync(layout.database)) {
    refuseReplay(layout, pending, anchored);
    if (setAside && fs.existsSync(incoming) && fs.existsSync(layout.database) && fs.existsSync(setAside))
      throw errorSaying(
        'integrity',
        (next) =>
          `${file} says a \`custos restore\` was interrupted, but ${layout.database}, the copy ${incoming} and the set-aside database ${setAside} are all there, which no restore leaves (it renames the database aside before it puts the copy in place): undoing it would put the set-aside database over the one in place. Nothing was written. Keep this folder as it is for examination; ${next.theAudit} checks the database in place against store.json`,
      );
    const bytes = fs.statSync(file).size + databaseBytes(incoming);
    const removed = undoSwap(layout, incoming, setAside);
    removeRestorePending(layout);
    return { outcome: 'undone', removed, bytes };
  }
  const inPlace = headsInPlace(layout.database, pending.backup.count + 1);
  if (isRecordedNext(inPlace.next, pending)) {
    refuseRecordedReplay(layout, pending, anchored, inPlace.head);
    // Killed after the commit: store.json may still be the one from before the restore.
    const store = EvidenceStore.openRestored(layout.root, lock);
    try {
      store.anchorRecordedRestore();
    } finally {
      store.close();
    }
    requireAnchoredRestore(layout, inPlace.head as LedgerHead, store.anchorFailure);
    removeRestorePending(layout);
    return { outcome: 'already recorded' };
  }
  refuseReplay(layout, pending, anchored);
  const { head } = inPlace;
  const isBackupCopy =
    head !== null && head.count === pending.backup.count && head.headHash === pending.backup.headHash;
  if (!isBackupCopy && setAside && !fs.existsSync(setAside)) {
    // The set-aside database is not aside, so the one in place was never moved or is back: an undo
    // killed after it removed the copy (or put the set-aside database back) left only the marker.
    // Nothing is moved; the open then checks the database in place against store.json, as always.
    const bytes = fs.statSync(file).size;
    removeRestorePending(layout);
    return { outcome: 'undone', removed: [], bytes };
  }
  if (!isBackupCopy)
    throw integrityFailure(
      `${file} says a restore was putting in place a backup whose ledger ends at entry ${pending.backup.count} (${pending.backup.headHash.slice(0, 16)}…), but the database in place ${head ? `ends at entry ${head.count} (${head.headHash.slice(0, 16)}…)` : 'holds no custody ledger'}: it was changed since. Nothing was written. Keep this folder as it is for examination${setAside ? `; the database that was in place before the restore is kept as ${setAside}` : ''}`,
    );
  const store = EvidenceStore.openRestored(layout.root, lock);
  let entry: { readonly seq: number; readonly hash: string };
  try {
    entry = store.recordRestore({ ...pending.details, interrupted: true });
  } finally {
    store.close(); // writes the anchor for the recorded restore; the lock stays the caller's
  }
  requireAnchoredRestore(layout, { count: entry.seq, headHash: entry.hash }, store.anchorFailure);
  removeRestorePending(layout);
  return { outcome: 'finished', entrySeq: entry.seq };
}

/**
 * Throws (exit 3), the marker kept, unless store.json records `entry`, the head the restore's
 * `store.restore` entry made: a rewrite that failed (`failure`: a full disk) leaves store.json at
 * the head from before the restore, which names an entry of the history the backup replaced, so
 * without the marker every open would refuse the store as replaced; with it, the next writer
 * rewrites store.json (`anchorRecordedRestore`, which `refuseRecordedReplay` lets through).
 */
export function requireAnchoredRestore(layout: StoreLayout, entry: LedgerHead, failure: unknown): void {
  const read = readAnchor(layout.anchor);
  if (read && 'anchor' in read && sameHead(read.anchor.ledger, entry)) return;
  const why = failure instanceof Error ? ` (${failure.message})` : '';
  throw errorSaying(
    'failure',
    (next) =>
      `the restore is recorded as custody entry ${entry.count}, but ${layout.anchor} could not be rewritten for it${why}, so ${layout.restorePending} is kept. Free space on the disk holding the store, then ${next.settleRestore}`,
  );
}

/**
 * What the database in place is beside a marker this store's restore wrote: the backup's copy the
 * restore was putting in place (`backup`, its ledger ending at entry `count`), that copy with the
 * restore's `store.restore` entry committed (`recorded`, as entry `count`), or neither (`other`:
 * the database that was in place, the swap not made, or one the next writer will refuse).
 */
export interface PendingRestore {
  readonly pending: 'backup' | 'recorded' | 'other';
  readonly count: number;
}

/**
 * What the audit says of the marker, without acting on it: null when there is none, what the
 * database in place is (`PendingRestore`) for one this store's restore wrote and the next writer
 * will settle, else why the next writer will refuse it (not readable, not signed by this store's
 * key, an earlier restore's put back), in `next`'s words.
 */
export function pendingRestoreState(
  layout: StoreLayout,
  next: NextStep,
): null | PendingRestore | { readonly problem: string } {
  try {
    const text = readMarker(layout);
    if (text === null) return null;
    const { pending, anchored } = verifiedPending(layout, parsePending(layout, text));
    const inPlace = headsInPlace(layout.database, pending.backup.count + 1);
    if (isRecordedNext(inPlace.next, pending)) {
      refuseRecordedReplay(layout, pending, anchored, inPlace.head);
      return { pending: 'recorded', count: pending.backup.count + 1 };
    }
    refuseReplay(layout, pending, anchored);
    const isBackup = inPlace.head !== null && sameHead(inPlace.head, pending.backup);
    return { pending: isBackup ? 'backup' : 'other', count: pending.backup.count };
  } catch (error) {
    return { problem: error instanceof CustosError ? error.messageSaying(next) : (error as Error).message };
  }
}

/** How often a reader waiting for a restore to be settled looks again (a writer asks for its lock as often). */
const SETTLE_POLL_MS = 50;

/**
 * What a reader saw of a restore just before it read the store: whether the marker was there,
 * whether another process then held the writer lock, and which file was the database (its device
 * and inode: a restore renames another file in; a settle's finish appends to the one in place).
 * `restoreMovedSince` compares it with the store after the read.
 */
export interface RestoreWatch {
  readonly marked: boolean;
  readonly held: boolean;
  readonly database: string | null;
}

/**
 * For a reader (it takes no lock and settles nothing), before it reads the store: while the
 * marker is there and another process holds the writer lock, that process is settling it (every
 * writer's open does so first, under the lock) or is the restore itself, about to record it, so
 * the reader waits for the marker to go, looking every 50 ms, for up to the wait a writer gives
 * another's lock (`WRITER_LOCK_WAIT_MS`), and then reads what is there: the settled store. Still
 * there after the wait, with the lock still held, a marker this store's restore wrote (`pending`)
 * is a restore in progress, not a fault: the reader is refused as a writer is past the same wait
 * (exit 3, "in use", naming the holder; nothing read). A marker the next writer would refuse
 * (forged, an earlier restore's) is left for the reader to report (exit 1). Returns at once with
 * no marker, or with no one holding the lock (nothing is settling it: the reader reports it),
 * saying what it saw last (`RestoreWatch`), for `restoreMovedSince` after the read.
 * `onWait` is told once, when the reader starts waiting, who holds the lock. Nothing is written,
 * no lock is taken.
 */
export async function untilRestoreSettled(
  layout: StoreLayout,
  wait: {
    readonly waitMs?: number;
    readonly onWait?: (holder: string | null) => void;
    /** What the refusal past the wait says of the read ("nothing was read" before one). */
    readonly unread?: string;
  } = {},
): Promise<RestoreWatch> {
  const deadline = performance.now() + (wait.waitMs ?? WRITER_LOCK_WAIT_MS);
  let told = false;
  for (;;) {
    // The database's identity first: a restore that renames a file in after it is seen leaves the
    // marker there, or the lock held, when the marker and the lock are looked at next.
    const database = fileIdentity(layout.database);
    if (!fs.existsSync(layout.restorePending)) return { marked: false, held: false, database };
    const held = currentLockHolder(layout.writerLock, layout.writerLockInfo);
    if (!held) return { marked: true, held: false, database };
    if (!told) wait.onWait?.(held.holder);
    told = true;
    const left = deadline - performance.now();
    if (left <= 0) {
      const state = pendingRestoreState(layout, RUN_AGAIN);
      if (state && 'pending' in state) throw restoreInProgress(held.holder, wait.unread);
      return { marked: true, held: true, database };
    }
    await sleep(Math.min(SETTLE_POLL_MS, left));
  }
}

/**
 * Whether a restore, or another process's settle of one, moved the store since `before` was seen
 * (`untilRestoreSettled`): the marker came or went, another file is the database, or another
 * process took the writer lock while the marker is there. Looked at after the read, so that a
 * settle or a restore that began at any moment between the two is seen: it holds the lock still,
 * or it is done, and then the marker or the database is not what it was. A reader that found the
 * marker with the lock free read a restore nobody was settling only if none of that happened.
 */
export function restoreMovedSince(layout: StoreLayout, before: RestoreWatch): boolean {
  if (fileIdentity(layout.database) !== before.database) return true;
  const marked = fs.existsSync(layout.restorePending);
  if (marked !== before.marked) return true;
  return marked && !before.held && currentLockHolder(layout.writerLock, layout.writerLockInfo) !== null;
}

/**
 * `restoreMovedSince` for a read that is done (the audit's end): when all that moved is another
 * process taking the writer lock beside the marker, nothing renamed and the marker still there, it
 * waits for that process as a reader's open does (`untilRestoreSettled`, `onWait` told) and looks
 * again: a settle that went on to finish or undo the restore moved the store, but a write that
 * refused the marker, or failed before it changed anything, and let the lock go left the store as
 * the read found it (an interrupted restore nobody settles, reported as such), not restored.
 */
export async function restoreMovedAfter(
  layout: StoreLayout,
  before: RestoreWatch,
  wait: { readonly onWait?: (holder: string | null) => void } = {},
): Promise<boolean> {
  if (!restoreMovedSince(layout, before)) return false;
  if (!before.marked || fileIdentity(layout.database) !== before.database) return true;
  if (!fs.existsSync(layout.restorePending)) return true;
  const after = await untilRestoreSettled(layout, {
    ...wait,
    unread:
      'the audit may have checked a store that is no longer there, so its report is left out; nothing was written',
  });
  return !after.marked || after.held || after.database !== before.database;
}

/**
 * Opens the store for a reader with `open` once any restore another process is settling is
 * settled (`untilRestoreSettled`), and opens it once more, after waiting again, when a restore or
 * its settle moved the store while it opened (`restoreMovedSince`): a reader that found the marker
 * with the lock free, just before a writer took the lock to settle it, refused the store as
 * "interrupted" (exit 1) a moment before it was settled. A refusal of the open is thrown as it is
 * when nothing moved. `open` is given what was seen before it (`RestoreWatch`), for a long read
 * (the audit) to look again at its end.
 */
export async function openWhenSettled<T extends { close(): void }>(
  layout: StoreLayout,
  open: (watch: RestoreWatch) => T,
  wait: { readonly onWait?: (holder: string | null) => void } = {},
): Promise<T> {
  const before = await untilRestoreSettled(layout, wait);
  let store: T | undefined;
  try {
    store = open(before);
  } catch (error) {
    if (!restoreMovedSince(layout, before)) throw error;
  }
  if (store && !closedOnFailure(store, () => restoreMovedSince(layout, before))) return store;
  store?.close();
  return open(await untilRestoreSettled(layout, wait));
}

/**
 * A file's device and inode, or null when there is none: as bigints, since a file system may number
 * inodes past 2^53 (64-bit NFS file ids), where two numbers a restore's copy and the database it
 * replaced were given could round to one double.
 */
function fileIdentity(file: string): string | null {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return null;
  }
}

/** A reader's refusal past its wait of a restore another live process is still recording or undoing (exit 3). */
function restoreInProgress(holder: string | null, unread = 'nothing was read'): CustosError {
  return errorSaying(
    'failure',
    (next) =>
      `the store is in use by another Custos process${holder ? ` (${holder})` : ''}, which is finishing or undoing a \`custos restore\` (restore-pending.json is there) and still holds the store's writer lock after a few seconds; ${unread}. Wait for it to finish, then ${next.again}`,
  );
}

/**
 * Puts the store back as it was before a restore's swap: the database that was set aside (and its
 * write-ahead log, whether or not it had followed) back under its name, the backup's copy removed.
 * Returns the names of what was removed.
 */
export function undoSwap(layout: StoreLayout, incoming: string, setAside: string | null): string[] {
  // The copy is in place once its temporary name is gone; until then the database there (if any)
  // is the one that was in place, and a -wal beside it is that database's, not yet moved aside.
  const copyInPlace = !fs.existsSync(incoming) && fs.existsSync(layout.database);
  const removed: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!fs.existsSync(`${incoming}${suffix}`)) continue;
    fs.rmSync(`${incoming}${suffix}`, { force: true });
    removed.push(path.basename(`${incoming}${suffix}`));
  }
  // The copy's write-ahead log must go before the original returns: SQLite would apply it to it.
  if (copyInPlace)
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
  if (setAside && fs.existsSync(setAside)) {
    // Never over a database: under the writer lock nothing else puts one there meanwhile.
    if (fs.existsSync(layout.database))
      throw errorSaying(
        'integrity',
        (next) =>
          `${layout.database} is there, so the set-aside database ${setAside} was not put back over it; with no Custos program running, see which of the two is this store's (${next.theAudit})`,
      );
    fs.rmSync(`${layout.database}-shm`, { force: true });
    if (fs.existsSync(`${setAside}-wal`)) fs.renameSync(`${setAside}-wal`, `${layout.database}-wal`);
    fs.renameSync(setAside, layout.database);
  }
  fsyncFolder(layout.root);
  return removed;
}

/**
 * Removes the copies of a backup that a `custos restore` killed before it wrote its marker left in
 * the store folder (`.custos.sqlite.restore-PID.tmp`, with its -wal and -shm): a writer's sweep,
 * under the writer lock (which a restore holds from before its copy is made) and after the marker
 * is settled, so no restore is making one and no marker names one. Returns what it removed, for
 * the sweep record.
 */
export function sweepRestoreCopies(layout: StoreLayout): { name: string; bytes: number }[] {
  const swept: { name: string; bytes: number }[] = [];
  for (const name of fs.readdirSync(layout.root)) {
    if (!INCOMING_NAME.test(name)) continue;
    const copy = path.join(layout.root, name);
    const bytes = databaseBytes(copy);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${copy}${suffix}`, { force: true });
    swept.push({ name: `${name} (the copy of a restore killed before it began: nothing had moved)`, bytes });
  }
  if (swept.length > 0) fsyncFolder(layout.root);
  return swept;
}

/** The marker's text, or null when there is none; a disk error is worded as store.json's read (exit 3). */
function readMarker(layout: StoreLayout): string | null {
  try {
    return fs.readFileSync(layout.restorePending, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A failing disk or a refused permission says nothing about the marker: exit 3, as store.json's read.
    throw (
      describeSystemError(error, layout.restorePending, { access: 'read' }) ??
      unreadable(layout, (error as Error).message)
    );
  }
}

function isRecordedNext(next: { action: string; details: string } | undefined, pending: RestorePending) {
  return next?.action === 'store.restore' && restoreIdOf(next.details) === pending.id;
}

/** The size of a database file and its write-ahead log files, as far as they are there. */
function databaseBytes(file: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal', '-shm'])
    bytes += fs.statSync(`${file}${suffix}`, { throwIfNoEntry: false })?.size ?? 0;
  return bytes;
}

function unreadable(layout: StoreLayout, why: string): Error {
  return errorSaying(
    'integrity',
    (next) =>
      `${layout.restorePending}, left by a \`custos restore\` that was interrupted, cannot be read (${why}), so whether it had put the backup in place cannot be told. Nothing was written. Keep this folder as it is for examination: ${next.theAudit} checks the database in place against store.json, and a database set aside by the restore is kept as custos.sqlite.replaced-…`,
  );
}

/**
 * The marker without its signature, and the head store.json records, once that signature verifies
 * against the workstation key store.json holds (the key the anchor check uses); else the refusal:
 * anyone able to write the store folder
 * could otherwise put an older genuine database in place with a marker naming it, and the next
 * writer would sign a restore that turns the rollback the anchor catches into a recorded one.
 */
function verifiedPending(
  layout: StoreLayout,
  marker: RestorePending & { signature?: unknown },
): { pending: RestorePending; anchored: LedgerHead } {
  const { signature, ...pending } = marker;
  const read = readAnchor(layout.anchor);
  const why =
    read === null
      ? 'there is no store.json to check its signature with'
      : 'problem' in read
        ? `store.json, whose key would check its signature, ${read.problem}`
        : signature === undefined
          ? 'it is not signed'
          : signatureVerifies(read.anchor.publicKeyPem, pending, signature)
            ? null
            : "its signature does not verify with this store's workstation key (store.json)";
  if (read !== null && 'anchor' in read && !why) return { pending, anchored: read.anchor.ledger };
  throw errorSaying(
    'integrity',
    (next) =>
      `${layout.restorePending} says a \`custos restore\` was interrupted, but ${why}: it was not written by Custos, so the store folder was changed by something other than Custos. Nothing was written. Keep everything in this folder as it is, and ask whoever can write to it (or your examiner) what was put there; ${next.theAudit} checks the database in place against store.json`,
  );
}

type LedgerHead = { readonly count: number; readonly headHash: string };

/**
 * Refuses a marker written when store.json recorded another head than it records now: a restore
 * leaves store.json as it was until its entry is committed, so such a marker is an older one (a
 * copy kept from an earlier interrupted restore, put back) and must not act on the store as it is
 * since: undoing would remove or put back files of that earlier restore, finishing would sign a
 * database put in place by hand. Not for a restore whose entry is committed (store.json may then
 * already name it).
 */
function refuseReplay(layout: StoreLayout, pending: RestorePending, anchored: LedgerHead): void {
  const marked = pending.details.anchored as LedgerHead;
  if (sameHead(marked, anchored)) return;
  throw errorSaying(
    'integrity',
    (next) =>
      `${layout.restorePending} was written by a \`custos restore\` when store.json recorded custody entry ${marked.count} (${marked.headHash.slice(0, 16)}…), but store.json now records entry ${anchored.count} (${anchored.headHash.slice(0, 16)}…): it is a marker from an earlier restore, put back, and does not describe this store. Nothing was written. Keep this folder as it is for examination; ${next.theAudit} checks the database in place against store.json`,
  );
}

/**
 * Refuses a marker whose restore the database in place records (its `store.restore` entry follows
 * the backup's head, `head` its ledger head) unless the folder is as a kill after that commit
 * leaves it: nothing after that entry, and store.json recording either the head from before the
 * restore (killed before it was rewritten) or that entry. Else the marker was kept and put back
 * with a copy of that database after later writes, and catching store.json up to it would sign
 * the rollback (the entries since lost, the audit clean).
 */
function refuseRecordedReplay(
  layout: StoreLayout,
  pending: RestorePending,
  anchored: LedgerHead,
  head: LedgerHead | null,
): void {
  const recordedHead = head?.count === pending.backup.count + 1;
  if (recordedHead && head && sameHead(head, anchored)) return;
  refuseReplay(layout, pending, anchored);
  if (recordedHead) return;
  throw errorSaying(
    'integrity',
    (next) =>
      `${layout.restorePending} says a \`custos restore\` was recorded as custody entry ${pending.backup.count + 1}, but the database in place goes on to entry ${head?.count} while store.json records the head from before that restore: the store folder was changed since. Nothing was written. Keep this folder as it is for examination; ${next.theAudit} checks the database in place against store.json`,
  );
}

function sameHead(a: LedgerHead, b: LedgerHead): boolean {
  return a.count === b.count && a.headHash === b.headHash;
}

/** The marker, or the refusal of one that is not what `writeRestorePending` writes. */
function parsePending(layout: StoreLayout, text: string): RestorePending {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw unreadable(layout, `not JSON: ${(error as Error).message}`);
  }
  const v = value as Partial<RestorePending> | null;
  // Only names a restore makes: an undo removes the one and renames the other over the database,
  // so a marker naming custos.sqlite or store.json must never be acted on.
  if (
    typeof v !== 'object' ||
    v === null ||
    v.format !== FORMAT ||
    typeof v.id !== 'string' ||
    typeof v.incoming !== 'string' ||
    !INCOMING_NAME.test(v.incoming) ||
    !(v.setAside === null || (typeof v.setAside === 'string' && SET_ASIDE_NAME.test(v.setAside))) ||
    typeof v.backup !== 'object' ||
    v.backup === null ||
    !Number.isSafeInteger(v.backup.count) ||
    typeof v.backup.headHash !== 'string' ||
    typeof v.details !== 'object' ||
    v.details === null ||
    !isLedgerHead((v.details as { anchored?: unknown }).anchored)
  )
    throw unreadable(layout, `not a ${FORMAT} record`);
  return v as RestorePending;
}

function isLedgerHead(value: unknown): value is LedgerHead {
  const head = value as Partial<LedgerHead> | null;
  return (
    typeof head === 'object' &&
    head !== null &&
    Number.isSafeInteger(head.count) &&
    typeof head.headHash === 'string'
  );
}

/** The ledger head of the database in place, and its entry `nextSeq` (action and details), if any. */
function headsInPlace(
  file: string,
  nextSeq: number,
): {
  head: { count: number; headHash: string } | null;
  next: { action: string; details: string } | undefined;
} {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
    const row = db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: string }
      | undefined;
    const next = db.prepare('SELECT action, details FROM ledger WHERE seq = ?').get(nextSeq) as
      | { action: string; details: string }
      | undefined;
    return { head: row ? { count: row.seq, headHash: row.hash } : null, next };
  } catch (error) {
    // Another program's lock says nothing about what the database holds: exit 3, never "changed".
    const busy = describeBusyDatabase(
      error,
      'the interrupted `custos restore` cannot be settled and nothing was written',
    );
    if (busy) throw busy;
    return { head: null, next: undefined };
  } finally {
    db?.close();
  }
}

function restoreIdOf(details: string): unknown {
  try {
    return (JSON.parse(details) as { restoreId?: unknown }).restoreId;
  } catch {
    return undefined;
  }
}
