import fs from 'node:fs';
import { deriveMissing } from '../derive/derive-items.js';
import { EvidenceStore } from '../store/evidence-store.js';
import type { KeyProtector } from '../store/signing-key.js';
import { storeLayout } from '../store/store-layout.js';
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

  constructor(
    readonly dir: string,
    private readonly keyProtector?: KeyProtector,
  ) {}

  /** Whether the store has been initialised (its database exists). */
  exists(): boolean {
    return fs.existsSync(storeLayout(this.dir).database);
  }

  /** Runs `work` with the store opened for writing (`create` makes it, for the first run). */
  async write<T>(
    work: (store: EvidenceStore) => Promise<T> | T,
    options: { create?: boolean } = {},
  ): Promise<T> {
    this.writer ??= EvidenceStore.openForWriting(this.dir, { ...options, keyProtector: this.keyProtector });
    this.writers++;
    try {
      return await work(this.writer);
    } finally {
      if (this.writers === 1) await deriveQuietly(this.writer);
      this.writers--;
      if (this.writers === 0) {
        this.writer?.close();
        this.writer = null;
      }
    }
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
    const store = EvidenceStore.openForReading(this.dir);
    const running = work(store);
    const close = () => store.close();
    running.then(close, close);
    return untilCancelled(running, signal);
  }

  /** Closes the connections (on shutdown). */
  close(): void {
    this.writer?.close();
    this.writer = null;
    this.writers = 0;
    this.reader?.close();
    this.reader = null;
  }
}

/**
 * Indexes what the last write added (search, entities, image hashes: derived data) before the
 * writer lock is let go. It never fails the user's action: a failure is recorded per item.
 */
async function deriveQuietly(store: EvidenceStore | null): Promise<void> {
  if (!store?.investigator) return;
  try {
    await deriveMissing(store);
  } catch {
    // The derivers record their own failures; this only keeps an unexpected one from
    // turning a committed capture into an error. `custos reindex` rebuilds everything.
  }
}
