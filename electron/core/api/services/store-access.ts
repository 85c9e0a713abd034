import fs from 'node:fs';
import type { StoreUpgrade } from '../../../../shared/api.js';
import { afterCommit } from '../../after-commit.js';
import { CustosError, WINDOW_AGAIN } from '../../errors.js';
import { type BlobSyncHooks, EvidenceStore } from '../../store/evidence-store.js';
import { isCorruption } from '../../store/integrity.js';
import { interruptedRestoreNote } from '../../store/interrupted-restore-note.js';
import { untilRestoreSettled } from '../../store/restore-pending.js';
import type { KeyProtector } from '../../store/signing-key.js';
import { storeLayout } from '../../store/store-layout.js';
import type { MigrationSite } from '../../store/store-upgrade.js';
import { StoreUpgradeFailed } from '../../store/store-upgrade-failure.js';
import { WRITER_LOCK_WAIT_MS, WriterLockHeld } from '../../store/writer-lock.js';
import { requestPending, type StampResult } from '../../timestamp/stamp-queue.js';
import { Cancelled, throwIfCancelled, untilCancelled } from './cancellation.js';

/** What tests follow of the upgrade of a store an older Custos wrote (the app passes none). */
export interface StoreUpgradeProbe {
  /**
   * Awaited once the upgrade has been told (its versions answered) and before its migration
   * starts, so that a test can see the window while it waits, however fast the migration is.
   */
  readonly beforeMigration?: () => Promise<void>;
  /** Told where the migration ran: on its worker thread, or on the main thread when no thread could. */
  readonly migrated?: (site: MigrationSite) => void;
}

/** How the API's store access is set up (the app passes its key protector; tests shorten the lock wait). */
export interface StoreAccessOptions {
  readonly keyProtector?: KeyProtector;
  readonly upgradeProbe?: StoreUpgradeProbe;
  /**
   * How long a write waits for another Custos process's writer lock (`WRITER_LOCK_WAIT_MS` by
   * default); a function is asked once per write, when it is made (tests give writes their own bounds).
   */
  readonly lockWaitMs?: number | (() => number);
  /** Tests only: how the writer's blob store fsyncs (the app passes none, and no window can set it). */
  readonly blobSync?: BlobSyncHooks;
}

/** Tells StoreAccess which items a write committed (for their trusted timestamps). */
export type Committed = (itemIds: readonly string[]) => void;

/**
 * How the API reaches the store. Writers share one handle while any write is running (so a note
 * can be added during a long batch capture), and the writer lock is released as soon as the app
 * is idle, so the `custos` command can write to the same store between the user's actions.
 * Readers share one read-only connection; an audit gets a connection of its own, since its read
 * snapshot (an open transaction across awaits) must not meet any other statement. A write that
 * finds the writer lock held by another process (a `custos` command) waits for it on a timer, not
 * on the thread, so that reads and every other call are answered meanwhile (in the app this thread
 * is Electron's main process, whose blocked event loop would freeze every window).
 */
export class StoreAccess {
  private writer: EvidenceStore | null = null;
  /**
   * The writer's open while it waits for the writer lock, and whether it makes a missing store:
   * the writes that come meanwhile share it (a `create` only a creating one).
   */
  private opening: { readonly create: boolean; readonly store: Promise<EvidenceStore> } | null = null;
  private writers = 0;
  private reader: EvidenceStore | null = null;
  /** The database file the reader opened (device and inode), to notice its replacement. */
  private readerFile: string | null = null;
  /** What follows each write (stamps, index passes), running after its caller was answered. */
  private readonly following = new Set<Promise<unknown>>();
  /** The timestamp requests of items committed by this app, until they are settled. */
  private readonly stamping = new Map<string, Promise<readonly StampResult[]>>();
  /** The run of `resendPendingStamps` while it is out. */
  private resending: Promise<readonly StampResult[]> | null = null;
  private closing = false;
  /** Aborted by `close`: ends the upgrade's wait for another process's writer lock at once. */
  private readonly closed = new AbortController();
  /** The store's schema was found current (or upgraded): reads no longer check it. */
  private upToDate = false;
  /** The upgrade of a store an older Custos wrote, while it runs: every read and write waits for it. */
  private upgrading: Promise<void> | null = null;
  /** Which versions the running upgrade goes between, and whether it waits for the lock (null when none runs). */
  private upgradeVersions: StoreUpgrade | null = null;
  /**
   * The last upgrade's failure, kept until the user asks for the upgrade again: every read and
   * write is refused with it meanwhile, and the window is told it (and only it) is why.
   */
  private upgradeFailure: StoreUpgradeFailed | null = null;
  /** What writers' opens settled (a `custos restore` killed before it was recorded), until the window takes it. */
  private storeNotices: string[] = [];

  private readonly keyProtector: KeyProtector | undefined;
  private readonly upgradeProbe: StoreUpgradeProbe;
  private readonly lockWaitMs: number | (() => number) | undefined;
  private readonly blobSync: BlobSyncHooks | undefined;

  constructor(
    readonly dir: string,
    options: StoreAccessOptions = {},
  ) {
    this.keyProtector = options.keyProtector;
    this.upgradeProbe = options.upgradeProbe ?? {};
    this.lockWaitMs = options.lockWaitMs;
    this.blobSync = options.blobSync;
  }

  /**
   * What opening the store for writing did that the investigator must be told, in the command's
   * words (a restore killed before it was recorded, finished or undone), once each: taken, they are
   * forgotten.
   */
  takeNotices(): string[] {
    const notices = this.storeNotices;
    this.storeNotices = [];
    return notices;
  }

  /** Whether the store has been initialised (its database exists). */
  exists(): boolean {
    return fs.existsSync(storeLayout(this.dir).database);
  }

  /**
   * Runs `work` with the store opened for writing (`create` makes it, for the first run), then the
   * core's `afterCommit` for the items the work reports through `committed`. The caller is
   * answered after the first index pass (a capture is searchable as soon as it is reported); the
   * timestamp requests (which wait for the network, within the authorities' timeouts) and a larger
   * backlog (a big import, in bounded passes) go on after the answer, and the writer lock is let
   * go when they are done. Another process's writer lock is waited for as the `custos` command
   * waits for it (`EvidenceStore.openForWritingWhenFree`), without holding the thread.
   */
  async write<T>(
    work: (store: EvidenceStore, committed: Committed) => Promise<T> | T,
    options: { create?: boolean } = {},
  ): Promise<T> {
    await this.untilOpenable();
    const store = await this.acquireWriter(options);
    const itemIds: string[] = [];
    try {
      return await work(store, (ids) => itemIds.push(...ids));
    } finally {
      try {
        if (!this.closing) await this.follow(store, itemIds);
      } finally {
        this.releaseWriter();
      }
    }
  }

  /**
   * Resolves when the timestamp requests made for these items after their commit are settled
   * (at once for items with none running).
   */
  async stampsSettled(itemIds: readonly string[]): Promise<void> {
    await Promise.all(itemIds.map((id) => this.stamping.get(id)));
  }

  /** Resolves when every timestamp request made after a commit is settled (before they are sent again). */
  async allStampsSettled(): Promise<void> {
    await Promise.all(this.stamping.values());
  }

  /**
   * Sends every pending timestamp request again, as `custos timestamp` does (`requestPending`),
   * through the writer, once the requests sent after commits have settled, so that no request is
   * out twice at once. A call while a run is out shares that run: two runs at once would send the
   * same requests twice, and the second could report a stamp the first had just granted as still
   * pending. `beforeSending` runs first in the write; what it throws ends the run.
   */
  resendPendingStamps(beforeSending: (store: EvidenceStore) => void): Promise<readonly StampResult[]> {
    if (this.resending) return this.resending;
    const run = (async () => {
      await this.allStampsSettled();
      return this.write(async (store) => {
        beforeSending(store);
        return requestPending(store);
      });
    })().finally(() => {
      this.resending = null;
    });
    this.resending = run;
    return run;
  }

  /** Resolves when nothing runs after a write any more (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.following.size > 0) await Promise.all(this.following);
  }

  /**
   * The shared writer, opened (once the writer lock is free) when there is none; counted until
   * released. Each write keeps its own deadline: one that shares an open started before it, which
   * gives up on the lock sooner, asks for the lock again for the time it has left, and a `create`
   * rides only on an open that creates too (else it waits for that open to end, then opens itself
   * when it did not leave a writer).
   */
  private async acquireWriter(options: { create?: boolean }): Promise<EvidenceStore> {
    this.writers++;
    const bound = typeof this.lockWaitMs === 'function' ? this.lockWaitMs() : this.lockWaitMs;
    const deadline = performance.now() + (bound ?? WRITER_LOCK_WAIT_MS);
    const create = options.create ?? false;
    try {
      for (;;) {
        if (this.writer) return this.writer;
        const shared = this.opening;
        if (shared && !shared.create && create) {
          await shared.store.catch(() => undefined);
          continue;
        }
        if (!shared) {
          const opening = { create, store: this.openWriter(create, deadline - performance.now()) };
          this.opening = opening;
          opening.store
            .finally(() => {
              if (this.opening === opening) this.opening = null;
            })
            .catch(() => undefined);
        }
        try {
          return await (this.opening as NonNullable<StoreAccess['opening']>).store;
        } catch (error) {
          // Another write's wait ended before this one's: this one waits out its own time.
          if (error instanceof WriterLockHeld && !this.closing && performance.now() < deadline) continue;
          throw error;
        }
      }
    } catch (error) {
      if (!this.closing) this.writers--;
      throw error;
    }
  }

  /** Opens the writer, waiting up to `waitMs` for another process's writer lock on a timer; none once closing. */
  private async openWriter(create: boolean, waitMs: number): Promise<EvidenceStore> {
    const store = await EvidenceStore.openForWritingWhenFree(this.dir, {
      create,
      keyProtector: this.keyProtector,
      lockWait: { waitMs, signal: this.closed.signal },
      blobSync: this.blobSync,
      onInterruptedRestore: (settled) => this.storeNotices.push(interruptedRestoreNote(settled)),
    });
    if (this.closing) {
      store.close(); // the app quit while this open waited: nothing may keep the lock
      throw storeClosed();
    }
    this.writer = store;
    return store;
  }

  private releaseWriter(): void {
    this.writers--;
    if (this.writers === 0) {
      this.writer?.close();
      this.writer = null;
    }
  }

  /**
   * Starts what follows a write, holding the writer until it is all done; resolves when the
   * caller may be answered: the first index pass is over (or a running one will cover the write),
   * and, when nothing is left for after the answer (no new item to stamp, no backlog), all of it,
   * so that the writer lock is let go before the answer.
   */
  private async follow(store: EvidenceStore, itemIds: readonly string[]): Promise<void> {
    const after = afterCommit(store, itemIds, { backlog: true, shouldStop: () => this.closing });
    this.writers++; // the writer stays open until what follows is done
    for (const id of itemIds) this.stamping.set(id, after.stamped);
    const done = after.settled.finally(() => {
      this.following.delete(done);
      for (const id of itemIds) if (this.stamping.get(id) === after.stamped) this.stamping.delete(id);
      if (!this.closing) this.releaseWriter();
    });
    this.following.add(done);
    const first = await after.indexed;
    if (itemIds.length === 0 && !first.deferred && first.remaining === 0) await done;
  }

  /**
   * Runs `work` on the shared read-only connection. It stays open, so SQLite's page cache stays
   * warm between the evidence list's page requests (a new connection per call made each page of a
   * large case cost tens of milliseconds more). Each statement sees the latest commit (WAL).
   */
  async read<T>(work: (store: EvidenceStore) => Promise<T> | T): Promise<T> {
    // A database file replaced since the reader opened (`custos restore` renames a backup into
    // place) would go on being read through the old file's handle: the reader is opened afresh.
    if (this.reader && this.readerFile !== databaseFileIdentity(this.dir)) this.dropReader();
    if (!this.reader) {
      await this.untilOpenable();
      await this.settleInterruptedRestore();
      if (!this.reader) {
        this.reader = EvidenceStore.openForReading(this.dir);
        this.readerFile = databaseFileIdentity(this.dir);
      }
    }
    const reader = this.reader;
    try {
      return await work(reader);
    } catch (error) {
      // A damaged file is not read again through pages this connection has cached: the next
      // request (the window's Try again once the store is restored) opens the database afresh.
      if (isCorruption(error) && this.reader === reader) this.dropReader();
      throw error;
    }
  }

  /**
   * Before the reader opens: a `custos restore` killed before it was recorded (its marker is
   * there) is settled through a writer's open, which finishes or undoes it under the writer lock
   * and keeps what it did for `takeNotices`, as a write would. Readers settle nothing, and the
   * window reads before it writes: without this its first read refused the store (killed after the
   * swap) and said to ask whoever ran the restore to run a write command. A marker the open refuses
   * (forged, an earlier restore's) refuses the read with its reason. Not for the audit
   * (`readCancellable`), which reports the marker as it is. Another process holding the writer
   * lock while the marker is there is settling it: the read waits for the marker to go
   * (`untilRestoreSettled`), not for that lock, which the other process keeps for the rest of its
   * write (an import, say) and which the read would otherwise give up on after 5 s, refused.
   */
  private async settleInterruptedRestore(): Promise<void> {
    const layout = storeLayout(this.dir);
    if (this.writer || !fs.existsSync(layout.restorePending)) return;
    await untilRestoreSettled(layout);
    if (this.writer || !fs.existsSync(layout.restorePending)) return;
    await this.acquireWriter({});
    this.releaseWriter();
  }

  /** Closes the shared reader, so that the next read opens the database file as it is now. */
  private dropReader(): void {
    this.reader?.close();
    this.reader = null;
    this.readerFile = null;
  }

  /**
   * Starts upgrading a store an older Custos wrote, if it is one and no upgrade has run yet, and
   * says at once which versions a running upgrade goes between (null when none runs), and whether
   * it waits for another Custos process that holds the writer lock, so that the window can say why
   * its first reads wait (it asks again while the upgrade waits). After a failed upgrade it says
   * so and why, and starts none until asked `again` (the user's Try again).
   */
  startUpgrade(options: { again?: boolean } = {}): StoreUpgrade | null {
    if (options.again) this.upgradeFailure = null;
    this.untilCurrent().catch(() => undefined); // a failed upgrade is the answer of the reads that wait for it
    const failure = this.upgradeFailure;
    if (failure)
      return {
        fromVersion: failure.fromVersion,
        toVersion: failure.toVersion,
        failed: {
          reason: failure.messageSaying(WINDOW_AGAIN),
          details: failure.details,
          ...(failure.unfinished ? { unfinished: failure.unfinished } : {}),
          ...(failure.appliedUnknown ? { appliedUnknown: true as const } : {}),
        },
      };
    return this.upgradeVersions;
  }

  /**
   * Resolves once the store's schema is current: a store an older Custos wrote is upgraded on a
   * worker thread (`EvidenceStore.upgradeOnThread`), rather than refused with a command the app's
   * user never types, and without holding the process that runs the window for the tens of
   * seconds a migration over every item can take. A failed upgrade is remembered, and refuses
   * every call, until `startUpgrade` is asked again.
   */
  private untilCurrent(): Promise<void> {
    if (this.upToDate || this.writer) return Promise.resolve();
    // The window asks again every second while an upgrade waits: none may start once closing.
    if (this.closing) return Promise.reject(storeClosed());
    if (this.upgradeFailure) return Promise.reject(this.upgradeFailure);
    this.upgrading ??= EvidenceStore.upgradeOnThread(this.dir, {
      onUpgrade: (fromVersion, toVersion) => {
        this.upgradeVersions = { fromVersion, toVersion };
        return this.upgradeProbe.beforeMigration?.();
      },
      onLockHeld: (fromVersion, toVersion, holder) => {
        this.upgradeVersions = { fromVersion, toVersion, waiting: { holder } };
      },
      signal: this.closed.signal,
    }).then(
      (site) => {
        if (site) this.upgradeProbe.migrated?.(site);
        this.upToDate = true; // checked once per service: only an older Custos would write an older schema
        this.upgradeVersions = null;
      },
      (error: unknown) => {
        this.upgrading = null;
        this.upgradeVersions = null;
        if (error instanceof StoreUpgradeFailed) {
          console.error(`store upgrade failed: ${error.details}`, error.cause); // the raw code and stack
          this.upgradeFailure = error;
        }
        throw error;
      },
    );
    return this.upgrading;
  }

  /**
   * Resolves once the store may be opened: its schema is current and the service is not closing.
   * A call queued behind the upgrade when `close` ran is refused rather than opening the store
   * again after shutdown (and holding the writer lock that nothing would release).
   */
  private async untilOpenable(): Promise<void> {
    if (this.closing) throw storeClosed();
    await this.untilCurrent();
    if (this.closing) throw storeClosed();
  }

  /**
   * Runs read-only `work` that the user may stop waiting for: the caller is answered at once on a
   * cancel, and the connection is closed only when the work itself has finished.
   */
  async readCancellable<T>(work: (store: EvidenceStore) => Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) throw new Cancelled();
    await untilCancelled(this.untilOpenable(), signal);
    // A restore another process is settling now is reported settled, not pending (restore-pending.ts).
    // A cancel during that wait still closes what the open gives, and starts no work on it.
    const running = EvidenceStore.openForReadingWhenSettled(this.dir, { forAudit: true }).then(
      async (store) => {
        try {
          throwIfCancelled(signal);
          return await work(store);
        } finally {
          store.close();
        }
      },
    );
    return untilCancelled(running, signal);
  }

  /**
   * Closes the connections (on shutdown); background indexing stops at its next item, and an
   * upgrade waiting for another process's writer lock stops waiting at once.
   */
  close(): void {
    this.closing = true;
    this.closed.abort();
    this.writer?.close();
    this.writer = null;
    this.writers = 0;
    this.dropReader();
  }
}

/** The answer of a call that came after the service was closed (Custos is shutting down). */
function storeClosed(): CustosError {
  return new CustosError(
    'failure',
    'the evidence store was closed (Custos is shutting down); nothing was done',
  );
}

/** The store's database file as the file system knows it (device and inode), or null when it is not there. */
function databaseFileIdentity(dir: string): string | null {
  const stat = fs.statSync(storeLayout(dir).database, { throwIfNoEntry: false });
  return stat ? `${stat.dev}:${stat.ino}` : null;
}
