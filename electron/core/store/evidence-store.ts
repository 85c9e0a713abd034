import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { UpgradeStepAfterCommit } from '../../../shared/api.js';
import type {
  Annotation,
  ArtifactRecord,
  CaptureRecord,
  Case,
  Investigator,
  ItemKind,
  ItemSummary,
  LedgerEntry,
} from '../../../shared/domain.js';
import type { CaseCreateInput, InvestigatorProfile } from '../../../shared/schemas.js';
import {
  CASE_CREATE_RULES,
  type CheckedFields,
  checkFields,
  type FieldRules,
  INVESTIGATOR_PROFILE_RULES,
  NOTE_RULES,
  TAG_RULES,
} from '../../../shared/text-rules.js';
import { TOOL_NAME, TOOL_VERSION } from '../../../shared/version.js';
import { badInput, CustosError, errorCode, errorSaying, operationFailure } from '../errors.js';
import { sweepSystemTemp } from '../system-temp.js';
import { BlobStore } from './blob-store.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import {
  closedOnFailure,
  OPEN_CHECK_BUSY_MS,
  openReadableDatabase,
  openWritableDatabase,
  type ReadableDB,
  requireUpgradableVersion,
  type WritableDB,
} from './database.js';
import { damagedDatabaseHint, isCorruption, writerIntegrityFindings } from './integrity.js';
import { appendLedgerEntry, iterateLedger, type LedgerInput, localTimeZone } from './ledger.js';
import { newerStoreError, SCHEMA_VERSION, type UpgradeListener } from './migrations/index.js';
import * as q from './queries.js';
import {
  openWhenSettled,
  type RestoreWatch,
  type SettledRestore,
  settleInterruptedRestore,
  sweepRestoreCopies,
} from './restore-pending.js';
import {
  generateSigningKey,
  type KeyProtection,
  type KeyProtector,
  keyProtection,
  loadSigner,
  type Signer,
  savePrivateKey,
  setKeyProtection,
} from './signing-key.js';
import { ANCHORED_SETTING, ledgerHead, readAnchor, writeAnchor } from './store-anchor.js';
import { checkDatabaseAgainstFolder, prepareStoreFolder, tightenStoreModes } from './store-folder.js';
import { investigatorDifferences, keyFileDifference } from './store-identity.js';
import { type StoreLayout, storeLayout } from './store-layout.js';
import { loweredSchemaVersion } from './store-schema.js';
import { sweepStoreTemp } from './store-temp.js';
import { MigrationFailed, type MigrationSite, migrateOnThread } from './store-upgrade.js';
import { StoreUpgradeFailed } from './store-upgrade-failure.js';
import { type LockWait, WriterLock } from './writer-lock.js';

const WORKSTATION_INVESTIGATOR = 'workstation.investigator';
/** How often `upgradeOnThread` asks again for a writer lock another process holds. */
const UPGRADE_LOCK_RETRY_MS = 1_000;

/** What the caller of `EvidenceStore.upgradeOnThread` is told, and asked, while it runs. */
export interface UpgradeWatch {
  /** Told (and awaited) with the versions once the writer lock is held, before the migration starts. */
  readonly onUpgrade?: (fromVersion: number, toVersion: number) => Promise<void> | void;
  /** Told, each time it finds another process holding the writer lock, who that is (null when unknown). */
  readonly onLockHeld?: (fromVersion: number, toVersion: number, holder: string | null) => void;
  /**
   * Aborted when the caller stops (the app is closing): a wait for the lock ends at once, holding
   * nothing, and no new try for it is made.
   */
  readonly signal?: AbortSignal;
}

/** How a writer's open is asked for. */
export interface WriterOpenOptions {
  /** Makes the folder and database if they are missing (for `init`). */
  readonly create?: boolean;
  readonly keyProtector?: KeyProtector;
  /** Told before an older database is upgraded. */
  readonly onUpgrade?: UpgradeListener;
  /** Told, once the store is open, that a restore killed before it was recorded was finished or undone (restore-pending.ts). */
  readonly onInterruptedRestore?: (settled: SettledRestore) => void;
  /** How long, and how, to wait for another process's writer lock (`WriterLock.acquire`). */
  readonly lockWait?: LockWait;
  /** Tests only (the app and the command pass none): how the blob store fsyncs (see BlobSyncHooks). */
  readonly blobSync?: BlobSyncHooks;
}

/**
 * How the writer's BlobStore makes its files and folders durable, in place of the real fsyncs:
 * tests pass hooks that fail (an fsync error cannot be caused otherwise) or record what was synced.
 */
export interface BlobSyncHooks {
  readonly syncFolder?: (dir: string) => Promise<void>;
  readonly syncFile?: (file: string) => Promise<void>;
}

/** What the last writer swept, a `SweepRecord`. */
export const LAST_SWEEP_SETTING = 'store.lastSweep';

/** Leftovers of killed writes a writer removed: how many, their bytes, and what they were. */
export interface SweepRecord {
  readonly at: string;
  readonly files: number;
  readonly bytes: number;
  /** `blobs/tmp (N file(s))`, `tmp/export-PID-XXXXXX`, an export's `.partial` file (absent in records from before folders were swept). */
  readonly swept?: readonly string[];
}
/** The anchor is rewritten at most this often during a batch of commits (and always at close). */
const ANCHOR_INTERVAL_MS = 1_000;

/** An item about to be committed: its blobs are already in the blob store. */
export interface NewItem {
  readonly caseId: string;
  readonly kind: ItemKind;
  readonly source: string;
  readonly url?: string | null;
  readonly title?: string | null;
  readonly capturedAt?: Date;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly artifacts: readonly ArtifactRecord[];
  /** The ledger action recorded (default `item.<kind>`). */
  readonly action?: string;
}

/** An item with everything `item show` displays. */
export interface ItemDetail extends ItemSummary {
  readonly record: CaptureRecord;
  readonly notes: readonly {
    readonly text: string;
    readonly createdAt: string;
    readonly investigatorId: string;
  }[];
  readonly custody: readonly LedgerEntry[];
}

/**
 * The evidence store: one folder holding the SQLite database, the content-addressed blobs and the
 * workstation's signing key. Every change to evidence goes through here, and each one commits
 * together with its custody entry in one transaction (docs/ARCHITECTURE.md, evidence invariants 2 and 4).
 */
export class EvidenceStore {
  readonly blobs: BlobStore;
  private signerCache: Signer | undefined;
  /** The ledger head the anchor was last written with by this handle, and when. */
  private anchoredHead: string | undefined;
  private anchorWrittenAt = 0;
  /** A commit since the last anchor write that the anchor does not yet record. */
  private anchorBehind = false;
  /** What this handle swept, so that a later sweep of the same command adds to the record. */
  private sweptThisOpen: SweepRecord | undefined;
  /** The writer lock is the opener's to let go (`openRestored`), not this handle's. */
  private lockHeldByCaller = false;
  /** Why the last write of the anchor failed (a full disk), or undefined when it did not. */
  private lastAnchorFailure: unknown;
  private readonly keyProtector: KeyProtector | undefined;
  /** What a reader's open saw of a restore before it opened (`openForReadingWhenSettled`), else null. */
  private readonly watch: RestoreWatch | null;

  private constructor(
    readonly layout: StoreLayout,
    private readonly database: ReadableDB,
    private readonly lock: WriterLock | null,
    extras: {
      readonly keyProtector?: KeyProtector;
      readonly blobSync?: BlobSyncHooks;
      readonly restoreWatch?: RestoreWatch;
    } = {},
  ) {
    const { syncFolder, syncFile } = extras.blobSync ?? {};
    this.blobs = new BlobStore(layout.blobs, layout.blobTemp, syncFolder, syncFile);
    this.keyProtector = extras.keyProtector;
    this.watch = extras.restoreWatch ?? null;
  }

  /**
   * Opens a store to change it, the one way the app and the `custos` command do: takes the writer
   * lock (one writing process per store), waiting for another process's write to finish without
   * blocking the thread (`WriterLock.acquire`: in the app, the main process keeps answering its
   * windows meanwhile), within `lockWait` (5 s by default), then a clear error naming the holder.
   * The database is checked against the anchor under the lock: what the holder left (a restored
   * database, say) is what is checked, never re-anchored unseen. With `create`, makes the folder
   * and database if they are missing (for `init`).
   */
  static async openForWritingWhenFree(dir: string, options: WriterOpenOptions = {}): Promise<EvidenceStore> {
    const layout = writerLayout(dir, options.create ?? false);
    const lock = await WriterLock.acquire(layout.writerLock, layout.writerLockInfo, options.lockWait);
    return EvidenceStore.openWriter(layout, lock, options);
  }

  /**
   * Opens a store to change it when its writer lock is free, at once (else the error
   * `openForWritingWhenFree` gives past its wait): for a process that holds the store alone (a
   * test's or a benchmark's setup, a child that holds the lock), never for one that shares it.
   */
  static openForWriting(dir: string, options: Omit<WriterOpenOptions, 'lockWait'> = {}): EvidenceStore {
    const layout = writerLayout(dir, options.create ?? false);
    const lock = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
    return EvidenceStore.openWriter(layout, lock, options);
  }

  /**
   * Opens the store whose database `restoreStore` has just put back under `lock`, which it has held
   * since before it read the anchor: the one open that does not compare the database with the
   * anchor (the restore checked the backup against it, and records the loss it accepted). The lock
   * stays the caller's, neither closing nor a failed open lets it go: a failed restore is undone under it.
   * `settledBefore` is what the restore settled first (an earlier restore a kill interrupted): an
   * undo is recorded among what this writer swept (`store.lastSweep`), as any writer's open records it.
   */
  static openRestored(
    dir: string,
    lock: WriterLock,
    settledBefore: SettledRestore | null = null,
  ): EvidenceStore {
    const layout = storeLayout(dir);
    return EvidenceStore.openWriter(layout, lock, { restored: true, settledBefore });
  }

  /**
   * What a writer's open would refuse in `file`, a copy of a backup `restoreStore` is about to put in
   * place of `dir`'s database, or null: checked (and an older schema migrated) on the copy, before
   * anything is renamed, so that a refusal leaves the store as it was. Besides the open's own checks
   * (SQLite's integrity, the identity the signed ledger vouches for, the key file), its workstation
   * investigator must hold `keyFingerprint`, the key store.json names. With none, the signer of that
   * investigator (its key file read, so a missing key stops the restore here): the restore signs its
   * marker with it (restore-pending.ts).
   */
  static restoredCopyCheck(
    dir: string,
    file: string,
    keyFingerprint: string,
  ): { readonly problem: string } | { readonly signer: Signer } {
    const layout = { ...storeLayout(dir), database: file };
    const database = openWritableDatabase(file);
    const store = closedOnFailure(database, () => new EvidenceStore(layout, database, null));
    try {
      const findings = writerIntegrityFindings(store.database, fs.statSync(file).size);
      if (findings.length > 0) return { problem: `is damaged: ${findings.slice(0, 5).join('; ')}` };
      const investigator = store.investigator;
      if (!investigator) return { problem: 'names no workstation investigator (workstation.investigator)' };
      if (investigator.keyFingerprint !== keyFingerprint)
        return {
          problem: `names as its workstation investigator ${investigator.name}, whose key ${investigator.keyFingerprint} is not this workstation's key ${keyFingerprint} (store.json)`,
        };
      const identity = store.identityProblem(investigator);
      if (identity)
        return { problem: `has an identity that does not match its signed custody ledger: ${identity}` };
      return { signer: store.signer() };
    } finally {
      store.close();
    }
  }

  /** Opens the database under the writer lock just taken, and checks it; the lock is let go on any error. */
  private static openWriter(
    layout: StoreLayout,
    lock: WriterLock,
    options: WriterOpenOptions & {
      readonly restored?: boolean;
      readonly settledBefore?: SettledRestore | null;
    },
  ): EvidenceStore {
    try {
      // A restore killed before it was recorded is finished or undone first (restore-pending.ts);
      // a restore's own open was settled by the restore, before it began.
      const settled = options.restored
        ? (options.settledBefore ?? null)
        : settleInterruptedRestore(layout, lock);
      // Checked again under the lock: the database may have been replaced while this open waited.
      if (options.create) checkDatabaseAgainstFolder(layout, 'init');
      else if (!options.restored) requireExistingStore(layout);
      prepareStoreFolder(layout, false);
      const database = openWritableDatabase(layout.database, options.onUpgrade);
      const store = closedOnFailure(database, () => {
        const store = new EvidenceStore(layout, database, lock, {
          keyProtector: options.keyProtector,
          blobSync: options.blobSync,
        });
        tightenStoreModes(layout); // the database and lock files this open may have created
        store.requireSoundDatabase();
        store.requireTrustedIdentity();
        // A restored database is anchored by the commit that records the restore, never before it.
        if (!options.restored) store.catchUpAnchor();
        store.sweepLeftovers();
        if (settled?.outcome === 'undone')
          store.recordSweep({
            files: settled.removed.length + 1,
            bytes: settled.bytes,
            swept: [
              `${path.basename(layout.restorePending)} and ${settled.removed.join(', ') || 'no copy'} (a restore interrupted before the backup was put in place: undone, ${options.restored ? 'before the restore that followed began' : 'the database in place is the one that was there'})`,
            ],
          });
        return store;
      });
      store.lockHeldByCaller = options.restored ?? false;
      if (settled) options.onInterruptedRestore?.(settled);
      return store;
    } catch (error) {
      if (!options.restored) lock.release();
      throw error;
    }
  }

  /**
   * `openForReading`, once a `custos restore` that another process is settling now is settled: a
   * reader that met its marker while that process's write held the lock would report the restore
   * as pending (exit 1) though it is a moment from settled, so it waits for the marker to go, for
   * as long as a writer waits for another's lock (`untilRestoreSettled`; `onWait` is told who
   * holds it), then reads what is there; and one that found the marker with the lock free opens
   * again, after that wait, when a writer took the lock to settle it while it opened
   * (`openWhenSettled`). No lock is taken, nothing is written.
   */
  static async openForReadingWhenSettled(
    dir: string,
    options: { readonly forAudit?: boolean; readonly onWait?: (holder: string | null) => void } = {},
  ): Promise<EvidenceStore> {
    const layout = storeLayout(dir);
    return await openWhenSettled(layout, (watch) => EvidenceStore.openReader(layout, options, watch), {
      onWait: options.onWait,
    });
  }

  /**
   * What a reader's open saw of a restore before it opened (`openForReadingWhenSettled`), for the
   * audit to look again at its end (`restoreMovedAfter`); null for any other open.
   */
  get restoreWatch(): RestoreWatch | null {
    return this.watch;
  }

  /**
   * Opens a store to read it; no lock, and nothing can be written through this handle. With
   * `forAudit`, a database that no longer matches its anchor still opens (when it is readable at
   * all), so that the audit names the difference among everything else it finds.
   */
  static openForReading(dir: string, options: { forAudit?: boolean } = {}): EvidenceStore {
    return EvidenceStore.openReader(storeLayout(dir), options, null);
  }

  /** `openForReading`, keeping what the reader saw of a restore before it opened (`restoreWatch`). */
  private static openReader(
    layout: StoreLayout,
    options: { readonly forAudit?: boolean },
    restoreWatch: RestoreWatch | null,
  ): EvidenceStore {
    requireExistingStore(layout, options.forAudit ? 'audit' : 'open');
    const db = openReadableDatabase(layout.database);
    return closedOnFailure(db, () => {
      const version = db.pragma('user_version', { simple: true }) as number;
      // A version set back below the tables' is the audit's to name (it reads, never upgrades);
      // any other read is refused as a writer's open is.
      const auditedAsSetBack =
        version < SCHEMA_VERSION && options.forAudit && setBackOrUnreadableSchema(db, version);
      if (version !== SCHEMA_VERSION && !auditedAsSetBack) {
        if (version > SCHEMA_VERSION) throw newerStoreError(version);
        requireUpgradableVersion(db);
        throw operationFailure(
          `this store's database is schema version ${version}; run any write command (such as \`custos init\`) once to upgrade it`,
        );
      }
      return new EvidenceStore(layout, db, null, restoreWatch ? { restoreWatch } : {});
    });
  }

  /**
   * Upgrades a store an older Custos wrote as a writer's open would, but with the migration on a
   * worker thread (`migrateOnThread`), so that the calling thread stays free while it runs: the
   * database checked against its anchor and the folder tightened first, the check made again
   * under the writer lock (as a writer's open does), the lock held throughout, `watch.onUpgrade` told (and awaited) before
   * it starts. The lock is asked for without waiting: while another process holds it,
   * `watch.onLockHeld` is told who, and it is asked again every second, so that the calling thread
   * (the app's main process) is never blocked by the wait. Resolves with where the migration ran,
   * or null, having touched nothing, when the store is not older (or not there: the open that
   * follows says what is wrong). Any failure once an upgrade is due is a `StoreUpgradeFailed`, but
   * for the store's checks' own refusals (integrity, bad input), thrown as they are.
   */
  static async upgradeOnThread(dir: string, watch: UpgradeWatch = {}): Promise<MigrationSite | null> {
    const layout = storeLayout(dir);
    const found = schemaVersionOnDisk(layout);
    if (found === null || found >= SCHEMA_VERSION) return null;
    let from = found;
    let lock: WriterLock | null = null;
    // Set once the migration has committed: the step that runs next, which a failure did not finish.
    let unfinished: UpgradeStepAfterCommit | null = null;
    try {
      requireExistingStore(layout);
      prepareStoreFolder(layout, false);
      // Tried in this turn first: a free lock lets the versions be told before startUpgrade answers.
      lock =
        WriterLock.tryAcquire(layout.writerLock, layout.writerLockInfo) ??
        (await WriterLock.acquire(layout.writerLock, layout.writerLockInfo, {
          waitMs: Number.POSITIVE_INFINITY, // the window says whom it waits for, and the user decides
          retryMs: UPGRADE_LOCK_RETRY_MS,
          onHeld: (holder) => watch.onLockHeld?.(found, SCHEMA_VERSION, holder),
          signal: watch.signal, // its timer is cleared at the abort: nothing outlasts the caller's close
        }));
      // Checked and asked again under the lock: another process may have replaced or upgraded it in between.
      requireExistingStore(layout);
      const now = schemaVersionOnDisk(layout);
      if (now === null || now >= SCHEMA_VERSION) return null;
      from = now;
      requireUpgradableOnDisk(layout); // a version set back is refused here, as the integrity failure it is
      await watch.onUpgrade?.(from, SCHEMA_VERSION);
      const site = await migrateOnThread(layout.database);
      unfinished = 'file-modes';
      tightenStoreModes(layout); // the write-ahead log files the migration may have created
      return site;
    } catch (error) {
      // Whether the migration committed is asked of the database on disk (a fresh connection, its
      // thread's gone), not of where it failed: a COMMIT whose fsync failed (SQLITE_IOERR_FSYNC) can
      // leave frames in the write-ahead log that the next open applies, the store then upgraded.
      // Three answers: committed, not committed (still at `from`), or unknown (unreadable after the
      // failure, a failing disk say, or at another version): a guess would tell the user
      // "nothing was changed" about a store that may have been updated.
      let appliedUnknown = false;
      if (error instanceof MigrationFailed) {
        const onDisk = schemaVersionOnDisk(layout);
        if (onDisk === SCHEMA_VERSION) unfinished = 'closing';
        else if (onDisk !== from) appliedUnknown = true;
      }
      // A store that fails its checks (tampered, or no store) is said to be so, as a current one
      // is, never as an update to try again; nor is a stop at shutdown a failed upgrade.
      if (watch.signal?.aborted || isRefusal(error)) throw error;
      // Told apart from every other failure of the reads that wait for it.
      throw new StoreUpgradeFailed(from, SCHEMA_VERSION, error, unfinished, appliedUnknown);
    } finally {
      lock?.release();
    }
  }

  /** Closes the database and releases the writer lock (unless its opener holds it), writing the anchor first if it is behind. */
  close(): void {
    if (this.anchorBehind && this.database.open) this.writeAnchorNow();
    if (this.database.open) this.database.close();
    if (!this.lockHeldByCaller) this.lock?.release();
  }

  private get writable(): WritableDB {
    if (!this.lock) throw new Error('this store was opened for reading');
    return this.database as WritableDB;
  }

  /** The read-only view of the database, for services that query it (search, export). */
  get db(): ReadableDB {
    return this.database;
  }

  /** The investigator of this workstation, or undefined before `init`. */
  get investigator(): Investigator | undefined {
    const id = q.getSetting(this.database, WORKSTATION_INVESTIGATOR);
    return id === undefined ? undefined : q.getInvestigator(this.database, id);
  }

  /** The investigator of this workstation; a clear error before `init`. */
  requireInvestigator(): Investigator {
    const investigator = this.investigator;
    if (!investigator) throw notInitialised(this.layout);
    return investigator;
  }

  /**
   * Refuses to write to a database SQLite finds damaged (its quick_check, on stores up to
   * `WRITER_CHECK_MAX_BYTES`; see there for the figures): appending to a damaged b-tree can spread
   * the damage to the evidence around it.
   */
  private requireSoundDatabase(): void {
    const findings = writerIntegrityFindings(this.database, fs.statSync(this.layout.database).size);
    if (findings.length === 0) return;
    throw errorSaying(
      'integrity',
      (next) =>
        `this store's database is damaged, so nothing was written: ${findings.slice(0, 5).join('; ')}${findings.length > 5 ? `; and ${findings.length - 5} more` : ''}. ${damagedDatabaseHint(next)}`,
    );
  }

  /**
   * Refuses to write with an identity the ledger does not vouch for: the workstation's
   * investigator row must match the signed `store.init` entry that introduced it, and its key file
   * must hold the recorded key. Otherwise every later entry would be signed by the wrong key (and
   * fail every audit from then on) or every bundle name someone else as exporter.
   */
  private requireTrustedIdentity(): void {
    const investigator = this.investigator;
    const problem = investigator && this.identityProblem(investigator);
    if (!problem) return;
    throw errorSaying(
      'integrity',
      (next) =>
        `this store's identity does not match its signed custody ledger, so nothing was written. ${problem}. Restore the original key file or database from a backup, then ${next.audit}`,
    );
  }

  /** How the investigator row and its key file differ from the signed `store.init` entry, in one sentence naming them, or null. */
  private identityProblem(investigator: Investigator): string | null {
    const differences = investigatorDifferences(this.database, investigator);
    const key = keyFileDifference(this.layout.keys, investigator, this.keyProtector);
    if (key) differences.push(key);
    if (differences.length === 0) return null;
    return `Investigator ${investigator.name} (${investigator.id}): ${differences.join('; ')}`;
  }

  /** The signer of this workstation's custody entries. */
  signer(): Signer {
    this.signerCache ??= loadSigner(this.layout.keys, this.requireInvestigator(), this.keyProtector);
    return this.signerCache;
  }

  /** How the private key is kept: a file any Custos program signs with, or sealed by the app's keychain. */
  keyProtection(): KeyProtection {
    return keyProtection(this.layout.keys, this.requireInvestigator().keyFingerprint);
  }

  /** Seals the key with the app's keychain (`keychain`) or turns it back into a file (`file`); crash-safe. */
  setKeyProtection(wanted: 'file' | 'keychain'): KeyProtection {
    this.writable; // only the writer may change the key
    if (!this.keyProtector) {
      throw badInput('key protection is set in the Custos desktop app, which has the OS keychain');
    }
    const now = setKeyProtection(
      this.layout.keys,
      this.requireInvestigator().keyFingerprint,
      wanted,
      this.keyProtector,
    );
    this.signerCache = undefined;
    return now;
  }

  /**
   * Creates this workstation's signing key and investigator identity. Safe to repeat: a second
   * run with the same identity changes nothing; with another identity it is refused.
   */
  init(profile: InvestigatorProfile): { investigator: Investigator; created: boolean } {
    const parsed = checked(profile, INVESTIGATOR_PROFILE_RULES);
    const wanted = {
      name: parsed.name,
      agency: parsed.agency ?? null,
      badge: parsed.badge ?? null,
    };
    const existing = this.investigator;
    if (existing) {
      if (
        existing.name === wanted.name &&
        existing.agency === wanted.agency &&
        existing.badge === wanted.badge
      ) {
        this.signer(); // proves the private key is still there and readable
        return { investigator: existing, created: false };
      }
      throw badInput(
        `this store is already initialised for ${existing.name}${existing.agency ? ` (${existing.agency})` : ''}; its identity signs every custody entry and cannot be changed. Use another --store for another investigator`,
      );
    }
    const key = generateSigningKey();
    savePrivateKey(this.layout.keys, key.fingerprint, key.privateKeyPem);
    const investigator: Investigator = {
      id: randomUUID(),
      ...wanted,
      keyFingerprint: key.fingerprint,
      publicKeyPem: key.publicKeyPem,
      createdAt: new Date().toISOString(),
    };
    const db = this.writable;
    this.commit(() => {
      q.insertInvestigator(db, investigator);
      q.putSetting(db, WORKSTATION_INVESTIGATOR, investigator.id);
      if (q.getSetting(db, 'store.id') === undefined) q.putSetting(db, 'store.id', randomUUID());
      this.signerCache = undefined;
      this.appendInTransaction(db, {
        action: 'store.init',
        caseId: null,
        subject: investigator.id,
        details: {
          investigator: wanted,
          keyFingerprint: key.fingerprint,
          publicKeyPem: key.publicKeyPem,
          tool: `${TOOL_NAME} ${TOOL_VERSION}`,
        },
      });
    });
    return { investigator, created: true };
  }

  /**
   * Signs the anchor for the ledger head of a database opened with `openRestored` whose restore is
   * already recorded (a restore killed after its commit and before store.json was rewritten).
   */
  anchorRecordedRestore(): void {
    this.catchUpAnchor();
  }

  /**
   * Why this handle's last write of the anchor failed, or undefined: a restore keeps its marker
   * until store.json records its entry (`requireAnchoredRestore` in restore-pending.ts).
   */
  get anchorFailure(): unknown {
    return this.lastAnchorFailure;
  }

  /** Records in the ledger that the database was restored from a backup (`store.restore`), with what was lost. */
  recordRestore(details: Readonly<Record<string, unknown>>): LedgerEntry {
    const db = this.writable;
    const storeId = q.getSetting(db, 'store.id') ?? '';
    return this.commit(() =>
      this.appendInTransaction(db, { action: 'store.restore', caseId: null, subject: storeId, details }),
    );
  }

  /** Creates a case; refuses an empty title or a number already in use. */
  createCase(input: CaseCreateInput): Case {
    const parsed = checked(input, CASE_CREATE_RULES);
    const investigator = this.requireInvestigator();
    const db = this.writable;
    const created: Case = {
      id: randomUUID(),
      number: parsed.number,
      title: parsed.title,
      description: parsed.description ?? null,
      createdAt: new Date().toISOString(),
      createdBy: investigator.id,
    };
    this.commit(() => {
      if (q.findCase(db, created.number)) {
        throw errorSaying(
          'bad-input',
          (next) => `a case numbered ${created.number} already exists; ${next.cases} shows cases`,
        );
      }
      q.insertCase(db, created);
      this.appendInTransaction(db, {
        action: 'case.create',
        caseId: created.id,
        subject: created.id,
        details: { number: created.number, title: created.title, description: created.description },
      });
    });
    return created;
  }

  /** All cases, newest first. */
  listCases(): Case[] {
    return q.listCases(this.database);
  }

  /** A case by id or number; a clear error when there is none. */
  getCase(ref: string): Case {
    const found = q.findCase(this.database, ref);
    if (!found) throw errorSaying('bad-input', (next) => `case ${ref} not found; ${next.cases} shows cases`);
    return found;
  }

  /** How many items a case (or the whole store) holds. */
  countItems(caseId?: string): number {
    return q.countItems(this.database, caseId);
  }

  /**
   * Commits an item whose artifacts are already stored as blobs: the item, its artifacts and its
   * custody entry in one transaction (invariant 4). Returns the item as `capture --json` prints it.
   * Each artifact's blob is checked to exist first.
   */
  addItem(input: NewItem): ItemSummary {
    return this.transaction((db) => this.insertItemWithEntry(db, input, false));
  }

  /**
   * Commits a group of items (an import's) in one transaction, each with its own custody entry,
   * exactly as `addItem` one after the other would; one that fails rolls back the group. Their
   * blobs are not checked to exist one by one: the caller has awaited the `BlobBatch.persist` of
   * exactly these blobs, which refuses a name neither written nor stored and resolves only once
   * each is durable, so a second check per blob (an `access` on a path whose folder may be in a
   * journal commit) proves nothing more. No savepoint per item either (`addItem` inside a
   * transaction takes one): nothing can keep part of the group, and SQLite copied every page an
   * item's writes touched into the savepoint's sub-journal, which spills to a temporary file past
   * 64 KiB: some 40,000 writes for 2,000 items, each waiting for the file system's journal while
   * the next group's fsyncs kept it committing.
   */
  addPersistedItems(inputs: readonly NewItem[]): ItemSummary[] {
    return this.transaction((db) => inputs.map((input) => this.insertItemWithEntry(db, input, true)));
  }

  /** `addItem`'s writes, in the caller's transaction. */
  private insertItemWithEntry(db: WritableDB, input: NewItem, blobsPersisted: boolean): ItemSummary {
    const investigator = this.requireInvestigator();
    const caseRow = this.getCase(input.caseId);
    for (const artifact of blobsPersisted ? [] : input.artifacts) {
      if (!fs.existsSync(this.blobs.pathOf(artifact.sha256))) {
        throw new Error(
          `artifact ${artifact.name} (${artifact.sha256}) must be stored before its item is committed`,
        );
      }
    }
    const record: CaptureRecord = {
      recordVersion: 1,
      itemId: randomUUID(),
      caseId: caseRow.id,
      kind: input.kind,
      source: input.source,
      capturedAt: (input.capturedAt ?? new Date()).toISOString(),
      timeZone: localTimeZone(),
      investigator: {
        id: investigator.id,
        name: investigator.name,
        keyFingerprint: investigator.keyFingerprint,
      },
      metadata: input.metadata,
      artifacts: input.artifacts.map((a) => ({
        role: a.role,
        name: a.name,
        mediaType: a.mediaType,
        size: a.size,
        sha256: a.sha256,
      })),
    };
    const recordJson = canonicalJson(record);
    const digest = sha256Hex(recordJson); // canonicalDigest(record), without encoding it twice
    const entry = this.appendInTransaction(db, {
      action: input.action ?? `item.${input.kind}`,
      caseId: caseRow.id,
      subject: record.itemId,
      details: {
        digest,
        source: record.source,
        artifacts: record.artifacts.map((a) => ({ role: a.role, sha256: a.sha256, size: a.size })),
      },
    });
    q.insertItem(db, {
      record,
      recordJson,
      digest,
      url: input.url ?? null,
      title: input.title ?? null,
      createdSeq: entry.seq,
    });
    // What getItemSummary would read back, built from what was just inserted: a new item has no tags.
    return {
      id: record.itemId,
      caseId: record.caseId,
      kind: record.kind,
      url: input.url ?? null,
      source: record.source,
      title: input.title ?? null,
      capturedAt: record.capturedAt,
      digest,
      artifacts: record.artifacts,
      tags: [],
    };
  }

  /** An item's stored row; a clear error when there is none. */
  private requireItem(ref: string): q.StoredItem {
    const item = q.findItem(this.database, ref);
    if (!item) throw errorSaying('bad-input', (next) => `item ${ref} not found; ${next.items} lists items`);
    return item;
  }

  /** An item as `items` lists it. */
  getItemSummary(ref: string): ItemSummary {
    return q.summarizeItem(this.database, this.requireItem(ref));
  }

  /** Items of a case in capture order. */
  listItems(caseRef: string): ItemSummary[] {
    const caseRow = this.getCase(caseRef);
    return Array.from(q.iterateItems(this.database, caseRow.id), (item) =>
      q.summarizeItem(this.database, item),
    );
  }

  /** Who captured each item of a case (name and key, from its signed record), by item id. */
  capturersOfCase(caseRef: string): Map<string, { readonly name: string; readonly keyFingerprint: string }> {
    return q.capturersOfCase(this.database, this.getCase(caseRef).id);
  }

  /** An item with its record, notes and custody history. */
  getItem(ref: string): ItemDetail {
    const item = this.requireItem(ref);
    return {
      ...q.summarizeItem(this.database, item),
      record: JSON.parse(item.recordJson) as CaptureRecord,
      notes: q
        .listAnnotations(this.database, item.id)
        .filter((a) => a.kind === 'note')
        .map(({ text, createdAt, investigatorId }) => ({ text, createdAt, investigatorId })),
      custody: [...iterateLedger(this.database, { subject: item.id })],
    };
  }

  /** Adds a note to an item (a custody entry; the original is untouched). */
  addNote(itemRef: string, text: string): LedgerEntry {
    const parsed = checked({ itemId: itemRef, text }, NOTE_RULES);
    return this.annotate(parsed.itemId, 'note', parsed.text);
  }

  /** Tags an item (a custody entry; the original is untouched). */
  addTag(itemRef: string, tag: string): LedgerEntry {
    return this.tagItems([itemRef], tag)[0] as LedgerEntry;
  }

  /** Removes a tag from an item: an `item.untag` custody entry; the history keeps the tag. */
  removeTag(itemRef: string, tag: string): LedgerEntry {
    return this.tagItems([itemRef], tag, { remove: true })[0] as LedgerEntry;
  }

  /**
   * Tags several items (or removes the tag from them) in one transaction, one custody entry per
   * item: all or none. Removing a tag an item does not have is bad input, and nothing is written.
   */
  tagItems(itemRefs: readonly string[], tag: string, options: { remove?: boolean } = {}): LedgerEntry[] {
    const parsed = itemRefs.map((itemId) => checked({ itemId, tag }, TAG_RULES));
    if (parsed.length === 0) throw badInput('choose at least one item to tag');
    const items = [...new Map(parsed.map((p) => [p.itemId, this.requireItem(p.itemId)])).values()];
    const text = parsed[0]?.tag ?? tag;
    if (options.remove) {
      for (const item of items) {
        const tags = q.listTags(this.database, item.id);
        if (!tags.includes(text)) {
          throw badInput(
            `item ${item.id} has no tag ${JSON.stringify(text)}${tags.length > 0 ? ` (its tags: ${tags.join(', ')})` : ''}; nothing was changed`,
          );
        }
      }
    }
    const kind = options.remove ? 'untag' : 'tag';
    return this.transaction((db) => items.map((item) => this.annotateInTransaction(db, item, kind, text)));
  }

  private annotate(itemRef: string, kind: 'note' | 'tag', text: string): LedgerEntry {
    const item = this.requireItem(itemRef);
    return this.transaction((db) => this.annotateInTransaction(db, item, kind, text));
  }

  /** Appends an annotation and the custody entry that records it (`item.note`, `item.tag`, `item.untag`). */
  private annotateInTransaction(
    db: WritableDB,
    item: q.StoredItem,
    kind: Annotation['kind'],
    text: string,
  ): LedgerEntry {
    const investigator = this.requireInvestigator();
    const entry = this.appendInTransaction(db, {
      action: `item.${kind}`,
      caseId: item.caseId,
      subject: item.id,
      details: { [kind === 'note' ? 'text' : 'tag']: text },
    });
    q.insertAnnotation(db, {
      itemId: item.id,
      kind,
      text,
      createdAt: entry.time,
      investigatorId: investigator.id,
      ledgerSeq: entry.seq,
    });
    return entry;
  }

  /** The custody ledger, whole or of one case, in order. */
  ledger(caseRef?: string): LedgerEntry[] {
    const caseId = caseRef === undefined ? undefined : this.getCase(caseRef).id;
    return [...iterateLedger(this.database, caseId === undefined ? {} : { caseId })];
  }

  /**
   * Appends a custody entry for an action done elsewhere in the same transaction. Services that
   * write their own tables (bundle, timestamp) call it inside `transaction`.
   */
  appendInTransaction(db: WritableDB, input: LedgerInput): LedgerEntry {
    return appendLedgerEntry(db, this.signer(), input);
  }

  /** Runs `work` in one write transaction (BEGIN IMMEDIATE): everything in it commits or nothing. */
  transaction<T>(work: (db: WritableDB) => T): T {
    const db = this.writable;
    return this.commit(() => work(db));
  }

  /**
   * `transaction` for derived data only (the index, `derived_state`): committed with
   * synchronous=NORMAL, so its commit does not fsync the WAL. A crash of the process loses
   * nothing (the WAL is in the page cache); a power loss may lose the last such commits whole,
   * never part of one (WAL), and never an evidence commit: the next FULL commit, and the checkpoint
   * at close, fsync the WAL with them. What is lost is marked as still to derive and derived again.
   * Inside another transaction it is part of that one, FULL.
   */
  derivedTransaction<T>(work: (db: WritableDB) => T): T {
    const db = this.writable;
    if (db.inTransaction) return this.transaction(work);
    db.pragma('synchronous = NORMAL');
    try {
      return this.commit(() => work(db));
    } finally {
      db.pragma('synchronous = FULL');
    }
  }

  /**
   * The one way a write transaction runs: BEGIN IMMEDIATE, then, once the outermost transaction
   * has committed, the anchor is brought up to the new ledger head.
   */
  private commit<T>(work: () => T): T {
    const db = this.writable;
    const result = db.transaction(work).immediate();
    if (!db.inTransaction) this.afterCommit();
    return result;
  }

  /**
   * Rewrites `store.json` after a commit that moved the ledger head, at most once a second during
   * a batch (and always when the store closes). A crash in between leaves the anchor behind the
   * database, which the check accepts (the database extends it) and the next writer catches up.
   */
  private afterCommit(): void {
    const head = ledgerHead(this.database);
    if (!head || head.headHash === this.anchoredHead) return;
    if (Date.now() - this.anchorWrittenAt < ANCHOR_INTERVAL_MS) this.anchorBehind = true;
    else this.writeAnchorNow();
  }

  /**
   * Removes what writers killed mid-write left in the blob folder's temporary folder, the store's
   * `tmp/` and the system's temporary folder (a dead process's `custos-KIND-PID-…`), and records
   * what was swept (`store.lastSweep`) so that the audit can say so.
   */
  private sweepLeftovers(): void {
    const blobs = this.blobs.sweepTemporaryFiles();
    const folders = [
      ...sweepStoreTemp(this.layout),
      ...sweepSystemTemp(),
      ...sweepRestoreCopies(this.layout),
    ];
    this.recordSweep({
      files: blobs.files + folders.length,
      bytes: blobs.bytes + folders.reduce((sum, folder) => sum + folder.bytes, 0),
      swept: [
        ...(blobs.files > 0 ? [`blobs/tmp (${blobs.files} file(s))`] : []),
        ...folders.map((f) => f.name),
      ],
    });
  }

  /**
   * Records what this writer swept (`store.lastSweep`, for the audit's notice): what it swept at
   * open, plus what its command swept since (an export's `.partial` files of killed exports).
   */
  recordSweep(found: Readonly<{ files: number; bytes: number; swept: readonly string[] }>): void {
    if (found.files === 0) return;
    const previous = this.sweptThisOpen;
    const record: SweepRecord = {
      at: new Date().toISOString(),
      files: (previous?.files ?? 0) + found.files,
      bytes: (previous?.bytes ?? 0) + found.bytes,
      swept: [...(previous?.swept ?? []), ...found.swept],
    };
    this.sweptThisOpen = record;
    const db = this.writable;
    db.transaction(() => q.putSetting(db, LAST_SWEEP_SETTING, JSON.stringify(record))).immediate();
  }

  /** Writes the anchor now if there is none or it records an older head (a crash, or a store from before anchors). */
  private catchUpAnchor(): void {
    const head = ledgerHead(this.database);
    if (!head || !this.investigator) return;
    const read = readAnchor(this.layout.anchor);
    if (read && 'anchor' in read && read.anchor.ledger.headHash === head.headHash) {
      this.anchoredHead = head.headHash;
      return;
    }
    this.writeAnchorNow();
  }

  /**
   * Signs and writes the anchor for the current ledger head. A key this program cannot use (sealed
   * by the app's keychain) or a failed write leaves the anchor behind, which is safe (see afterCommit).
   */
  private writeAnchorNow(): void {
    const db = this.writable;
    const head = ledgerHead(db);
    const investigator = this.investigator;
    const storeId = q.getSetting(db, 'store.id');
    if (!head || !investigator || storeId === undefined) return;
    try {
      writeAnchor(
        this.layout.anchor,
        {
          format: 'custos.store-anchor',
          version: 1,
          storeId,
          keyFingerprint: investigator.keyFingerprint,
          publicKeyPem: investigator.publicKeyPem,
          ledger: head,
          writtenAt: new Date().toISOString(),
        },
        this.signer(),
      );
    } catch (error) {
      this.lastAnchorFailure = error;
      return;
    }
    this.lastAnchorFailure = undefined;
    this.anchoredHead = head.headHash;
    this.anchorWrittenAt = Date.now();
    this.anchorBehind = false;
    if (q.getSetting(db, ANCHORED_SETTING) === undefined)
      db.transaction(() => q.putSetting(db, ANCHORED_SETTING, new Date().toISOString())).immediate();
  }
}

/** An integrity failure or bad input: the store's own state refused, not a step that failed. */
function isRefusal(error: unknown): boolean {
  return error instanceof CustosError && (error.kind === 'integrity' || error.kind === 'bad-input');
}

/**
 * Whether the audit's open of a database recording an older schema version `version` reads it
 * anyway, for its checks to name what differs: its tables are later than that version (set back),
 * or its schema cannot be read at all (a table of a module SQLite lacks, a damaged schema page),
 * which the database schema check names as a problem (exit 1) as it does at the current version.
 * Refused as "no such module" (exit 3), such a store looked like a failure of the audit, not
 * something done to the store. Another program's lock, or the disk, is not the store's: thrown.
 */
function setBackOrUnreadableSchema(db: ReadableDB, version: number): boolean {
  try {
    return loweredSchemaVersion(db, version) !== null;
  } catch (error) {
    if (errorCode(error) === 'SQLITE_ERROR' || isCorruption(error)) return true;
    throw error;
  }
}

/** Refuses (integrity) a database on disk whose recorded schema version was set below its tables' (`requireUpgradableVersion`). */
function requireUpgradableOnDisk(layout: StoreLayout): void {
  const db = openReadableDatabase(layout.database, OPEN_CHECK_BUSY_MS);
  try {
    requireUpgradableVersion(db);
  } finally {
    db.close();
  }
}

/** The schema version of the store's database as it is on disk; null when there is no readable one. */
function schemaVersionOnDisk(layout: StoreLayout): number | null {
  let db: ReadableDB | undefined;
  try {
    db = openReadableDatabase(layout.database, OPEN_CHECK_BUSY_MS);
    return db.pragma('user_version', { simple: true }) as number;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/** The input, trimmed, if it keeps its rules; else bad input (exit 2) naming every problem. */
function checked<R extends FieldRules>(input: unknown, rules: R): CheckedFields<R> {
  const check = checkFields(input, rules);
  if (!check.ok) throw badInput(check.message);
  return check.value;
}

/**
 * The layout of a store about to be opened for writing, checked before its lock is taken so that a
 * folder that is no store is refused without a lock file made in it (`create` makes the folder).
 * The writer's open checks the database against the anchor again once it holds the lock.
 */
function writerLayout(dir: string, create: boolean): StoreLayout {
  const layout = storeLayout(dir);
  if (create) prepareStoreFolder(layout, true);
  // A restore's marker is settled under the lock before the store is checked (openWriter).
  else if (!fs.existsSync(layout.restorePending)) requireExistingStore(layout);
  return layout;
}

/** The database must match the folder's anchor (exit 1 otherwise) and hold a store (exit 2 otherwise). */
function requireExistingStore(layout: StoreLayout, purpose: 'open' | 'audit' = 'open'): void {
  if (checkDatabaseAgainstFolder(layout, purpose).state !== 'ok') throw notInitialised(layout);
}

function notInitialised(layout: StoreLayout): CustosError {
  return badInput(
    `no Custos store is initialised at ${layout.root}; run \`custos init --investigator NAME\` first (or pass --store DIR)`,
  );
}
