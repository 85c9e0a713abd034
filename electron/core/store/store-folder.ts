import fs from 'node:fs';
import path from 'node:path';
import {
  asSentence,
  badInput,
  errorSaying,
  type Finding,
  integrityFailure,
  type NextStep,
} from '../errors.js';
import { anchorDifference, type LedgerFacts, probeDatabase, readAnchor } from './store-anchor.js';
import { type StoreLayout, storeLayout } from './store-layout.js';
import { currentLockHolder } from './writer-lock.js';

/**
 * What to do when the database does not match what the folder holds, in the CLI's words or the
 * window's: restore it from a backup, or, while a restore's marker is there, finish or undo that
 * restore with a write command (restore-pending.ts).
 */
export function restoreHint(next: NextStep, layout: StoreLayout): string {
  if (fs.existsSync(layout.restorePending)) {
    const marker = `A \`custos restore\` was interrupted before it was recorded (${layout.restorePending} is there)`;
    return `${marker}.${settlerNow(layout, next)} Nothing was written. ${asSentence(next.settleRestore)}`;
  }
  return `Nothing was written. ${asSentence(next.restore)}, or keep this folder as it is for examination`;
}

/**
 * Who may be settling a pending restore now, in a sentence, or '': another process holding the
 * writer lock (a writer's open settles the marker first, under it), which a reader's wait
 * (`untilRestoreSettled`) did not see finish. A writer's own lock is no one else's
 * (`currentLockHolder`), and it has settled the marker before it checks the folder anyway.
 */
export function settlerNow(layout: StoreLayout, next: NextStep): string {
  const held = currentLockHolder(layout.writerLock, layout.writerLockInfo);
  if (!held) return '';
  return ` Another Custos process holds the store's writer lock${held.holder ? ` (${held.holder})` : ''} and may be finishing or undoing that restore now: wait for it to finish, then ${next.again}.`;
}

/**
 * Makes the store folder (for `init`) and tightens it to its owner: the folder, `blobs/` and
 * `keys/` 0700, the database, lock and anchor files 0600. Case titles, names and the key are no
 * one else's business; a folder made by hand or by an older Custos is tightened at the next open.
 */
export function prepareStoreFolder(layout: StoreLayout, create: boolean): void {
  if (create) {
    try {
      fs.mkdirSync(layout.root, { recursive: true, mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') throw notAFolder(layout);
      throw error;
    }
  }
  refuseNonFolder(layout);
  fs.mkdirSync(layout.blobs, { recursive: true, mode: 0o700 });
  tightenStoreModes(layout);
}

/** Refuses a store path that exists and is not a folder (a file, a pipe): bad input, nothing touched. */
function refuseNonFolder(layout: StoreLayout): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(layout.root);
  } catch {
    return; // missing or unreadable: the checks that follow say which
  }
  if (!stat.isDirectory()) throw notAFolder(layout);
}

function notAFolder(layout: StoreLayout): Error {
  return badInput(
    `${layout.root} is a file, not a folder; pass --store with a folder (new or a Custos store)`,
  );
}

/** Sets the owner-only modes; a file owned by someone else (a shared read-only store) is left alone. */
export function tightenStoreModes(layout: StoreLayout): void {
  const modes: [string, number][] = [
    [layout.root, 0o700],
    [layout.blobs, 0o700],
    [layout.blobTemp, 0o700],
    [layout.keys, 0o700],
    [layout.temp, 0o700],
    [layout.database, 0o600],
    [`${layout.database}-wal`, 0o600],
    [`${layout.database}-shm`, 0o600],
    [layout.writerLock, 0o600],
    [layout.writerLockInfo, 0o600],
    [layout.anchor, 0o600],
  ];
  for (const [file, mode] of modes) {
    try {
      if ((fs.statSync(file).mode & 0o777) !== mode) fs.chmodSync(file, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw error;
    }
  }
}

/**
 * Checks the database against the folder before anything opens it for writing (which would create
 * or migrate it): the signed anchor must verify, and the database must still hold the ledger it
 * records; a database that is missing, emptied, truncated, older or another store's is refused
 * with exit 1. Without an anchor (a store from before anchors), a folder whose database is gone but
 * which still holds evidence is refused the same way, and `init` never starts a new ledger over it.
 * For the audit, a readable database is let through whatever it holds (the anchor check names
 * the differences). What keeps the files from being read (a lock another program holds, a
 * permission, a failing disk) is no finding about them: `readAnchor` and `probeDatabase` throw it
 * as the failure it is (exit 3). Returns the facts read, or throws.
 */
export function checkDatabaseAgainstFolder(
  layout: StoreLayout,
  purpose: 'init' | 'open' | 'audit',
): LedgerFacts {
  // A file given as the store is a wrong --store (exit 2), not a store whose anchor was damaged.
  refuseNonFolder(layout);
  const read = readAnchor(layout.anchor);
  if (purpose === 'audit') {
    // The audit's anchor check names any difference; only a database with nothing to audit is refused here.
    const facts = probeDatabase(
      layout.database,
      read && 'anchor' in read ? read.anchor.ledger.count : undefined,
    );
    if (facts.state === 'ok') return facts;
  }
  if (read && 'problem' in read) {
    const what = `this store's anchor ${layout.anchor} ${read.problem}`;
    throw errorSaying('integrity', (next) => `${what}. ${restoreHint(next, layout)}`, { finding: { what } });
  }
  const anchor = read?.anchor;
  const facts = probeDatabase(layout.database, anchor?.ledger.count);
  if (anchor) {
    const difference = anchorDifference(anchor, facts, layout.database);
    if (difference)
      throw errorSaying('integrity', (next) => `${difference}. ${restoreHint(next, layout)}`, {
        finding: facts.state === 'unreadable' ? unreadableFinding(layout, facts) : { what: difference },
      });
    return facts;
  }
  if (facts.state === 'unreadable')
    throw errorSaying(
      'integrity',
      (next) =>
        `${layout.database} cannot be read as a SQLite database (${facts.detail}). ${restoreHint(next, layout)}`,
      { finding: unreadableFinding(layout, facts) },
    );
  if (facts.anchored) {
    const what = `this store's anchor ${layout.anchor} is missing, though its database records that it was written`;
    throw integrityFailure(`${what}. Restore store.json from a backup; nothing was written`, {
      finding: { what },
    });
  }
  if (facts.count === 0) {
    const evidence = evidenceInFolder(layout, facts.state === 'ok');
    if (evidence.length > 0) {
      const what = `${layout.root} holds evidence (${evidence.join(', ')}) but its database ${facts.state === 'ok' ? 'has no custody ledger' : `is ${facts.state}`}: the store's history is missing`;
      throw errorSaying(
        'integrity',
        (next) =>
          `${what}. ${purpose === 'init' ? 'A new store is not started over it. ' : ''}${restoreHint(next, layout)}`,
        { finding: { what } },
      );
    }
  }
  return facts;
}

/**
 * For a folder whose database is not there (the app's first run, it would seem): refuses, as an
 * open would (exit 1), when store.json or evidence in the folder shows that a store was there, so
 * that its lost history is reported, never taken for a workstation to set up; returns when the
 * folder holds no store yet.
 */
export function requireNoLostStore(dir: string): void {
  checkDatabaseAgainstFolder(storeLayout(dir), 'open');
}

/** A database SQLite cannot read, in words, SQLite's own text apart. */
function unreadableFinding(layout: StoreLayout, facts: LedgerFacts): Finding {
  return { what: `${layout.database} cannot be read as a database`, details: facts.detail };
}

/**
 * What in the folder is evidence a new ledger must not be started over: blobs, and key files
 * (unless the database exists and simply was never initialised: an `init` that died after writing
 * its key signed nothing with it).
 */
function evidenceInFolder(layout: StoreLayout, databaseExists: boolean): string[] {
  const found: string[] = [];
  const blobs = countBlobFiles(layout.blobs);
  if (blobs > 0) found.push(`${blobs}${blobs >= BLOB_COUNT_LIMIT ? ' or more' : ''} blob files`);
  if (!databaseExists) {
    const keys = readdirOrEmpty(layout.keys).filter((name) => /\.(pem|sealed)$/.test(name));
    if (keys.length > 0) found.push(`${keys.length} signing key file(s)`);
  }
  return found;
}

const BLOB_COUNT_LIMIT = 1000;

/** Blob files under the fan-out folders, counted up to a limit (enough to say there are some). */
function countBlobFiles(blobsDir: string): number {
  let count = 0;
  for (const first of readdirOrEmpty(blobsDir)) {
    if (!/^[0-9a-f]{2}$/.test(first)) continue;
    for (const second of readdirOrEmpty(path.join(blobsDir, first))) {
      count += readdirOrEmpty(path.join(blobsDir, first, second)).length;
      if (count >= BLOB_COUNT_LIMIT) return count;
    }
  }
  return count;
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
