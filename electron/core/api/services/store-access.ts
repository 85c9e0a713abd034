import fs from 'node:fs';
import { deriveMissing } from '../../derive/derive-items.js';
import { EvidenceStore } from '../../store/evidence-store.js';
import type { KeyProtector } from '../../store/signing-key.js';
import { storeLayout } from '../../store/store-layout.js';
import { Cancelled, untilCancelled } from './cancellation.js';

/**
 * How the API reaches the store. Writers share one handle while any write is running (so a note
 * can be added during a long batch capture), and the writer lock is released as soon as the app
 * is idle, so the `custos` command can write to the same store between the user's actions.
 * Readers share one read-only connection; an audit gets a connection of its own, since its read
 * snapshot (an open transaction across awaits) must not meet any other statement.
 */
export class StoreAccess {
  private writer: EvidenceStore | null = null;
  private writers = 0;
  private reader: EvidenceStore | null = null;
  private background: Promise<void> | null = null;
  private closing = false;

  constructor(
    readonly dir: string,
    private readonly keyProtector?: KeyProtector,
  ) {}

  /** Whether the store has been initialised (its database exists). */
  exists(): boolean {
    return fs.existsSync(storeLayout(this.dir).database);
  }

  /**
   * Runs `work` with the store opened for writing (`create` makes it, for the first run). What the
   * write added is indexed before the caller is answered, up to INLINE_DERIVE_LIMIT items (a capture
   * is searchable as soon as it is reported); a larger backlog (a big import) is indexed after the
   * answer, in bounded passes, and the writer lock is let go when it is done.
   */
  async write<T>(
    work: (store: EvidenceStore) => Promise<T> | T,
    options: { create?: boolean } = {},
  ): Promise<T> {
    const store = this.acquireWriter(options);
    try {
      return await work(store);
    } finally {
      if (this.writers === 1 && !this.closing) {
        const outcome = await deriveQuietly(store, INLINE_DERIVE_LIMIT, () => this.closing);
        if (outcome.remaining > 0) this.deriveInBackground();
      }
      this.releaseWriter();
    }
  }

  /** Resolves when no background indexing is running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.background) await this.background;
  }

  private acquireWriter(options: { create?: boolean } = {}): EvidenceStore {
    this.writer ??= EvidenceStore.openForWriting(this.dir, { ...options, keyProtector: this.keyProtector });
    this.writers++;
    return this.writer;
  }

  private releaseWriter(): void {
    this.writers--;
    if (this.writers === 0) {
      this.writer?.close();
      this.writer = null;
    }
  }

  /** Indexes the backlog in passes of INLINE_DERIVE_LIMIT items, sharing the writer with any write. */
  private deriveInBackground(): void {
    if (this.background) return;
    const store = this.acquireWriter();
    this.background = (async () => {
      try {
        let remaining = 1;
        while (remaining > 0 && !this.closing) {
          await new Promise((resolve) => setImmediate(resolve)); // let the user's calls in between passes
          ({ remaining } = await deriveQuietly(store, INLINE_DERIVE_LIMIT, () => this.closing));
        }
      } finally {
        this.background = null;
        if (!this.closing) this.releaseWriter();
      }
    })();
  }

  /**
   * Runs `work` on the shared read-only connection. It stays open, so SQLite's page cache stays
   * warm between the evidence list's page requests (a new connection per call made each page of a
   * large case cost tens of milliseconds more). Each statement sees the latest commit (WAL).
   */
  async read<T>(work: (store: EvidenceStore) => Promise<T> | T): Promise<T> {
    this.reader ??= EvidenceStore.openForReading(this.dir);
    return work(this.reader);
  }

  /**
   * Runs read-only `work` that the user may stop waiting for: the caller is answered at once on a
   * cancel, and the connection is closed only when the work itself has finished.
   */
  readCancellable<T>(work: (store: EvidenceStore) => Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(new Cancelled());
    const store = EvidenceStore.openForReading(this.dir, { forAudit: true });
    const running = work(store);
    const close = () => store.close();
    running.then(close, close);
    return untilCancelled(running, signal);
  }

  /** Closes the connections (on shutdown); background indexing stops at its next item. */
  close(): void {
    this.closing = true;
    this.writer?.close();
    this.writer = null;
    this.writers = 0;
    this.reader?.close();
    this.reader = null;
  }
}

/** Items indexed per pass while the caller waits (and per background pass). */
export const INLINE_DERIVE_LIMIT = 200;

/**
 * Indexes what writes added (search, entities, image hashes: derived data), up to `limit` items
 * per deriver. It never fails the user's action: a failure is recorded per item.
 */
async function deriveQuietly(
  store: EvidenceStore,
  limit: number,
  shouldStop: () => boolean,
): Promise<{ remaining: number }> {
  if (!store.investigator) return { remaining: 0 };
  try {
    return await deriveMissing(store, { limit, shouldStop });
  } catch {
    // The derivers record their own failures; this only keeps an unexpected one (or the store
    // closed on shutdown) from turning a committed capture into an error. `custos reindex`
    // rebuilds everything.
    return { remaining: 0 };
  }
}
