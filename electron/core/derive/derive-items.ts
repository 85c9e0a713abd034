import fs from 'node:fs/promises';
import type { CaptureRecord, Progress } from '../../../shared/domain.js';
import { pictureTextOfItem } from '../ocr/ocr-queries.js';
import type { WritableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import * as q from '../store/queries.js';
import {
  clearDerivedState,
  countNeeding,
  itemsNeeding,
  lastAnnotationId,
  markDerived,
} from './derived-state-queries.js';
import type { DerivableItem, Deriver } from './deriver.js';
import { activeDerivers, backgroundDerivers, quickDerivers } from './derivers.js';

/** How to run a derivation pass. */
export interface DeriveOptions {
  /**
   * The derivers to run (default: every active one, the background ones first, so that search and
   * entities read the text they recognise).
   */
  readonly derivers?: readonly Deriver[];
  /** At most this many items per deriver (the rest wait for the next pass). */
  readonly limit?: number;
  readonly onProgress?: (progress: Progress) => void;
  /** Checked between items: a pass stops cleanly (what is done stays done). */
  readonly shouldStop?: () => boolean;
}

/** What a pass did. */
export interface DeriveOutcome {
  readonly derived: number;
  readonly failed: number;
  /** Items still waiting for some deriver after this pass. */
  readonly remaining: number;
}

/**
 * Derives whatever is missing: each item that a deriver has not processed at its current version.
 * Writing commands call it after their own work, so a crash between an item's commit and its
 * derivation is mended by the next pass. A deriver that fails on an item never fails the caller:
 * the error is recorded in `derived_state` and the item is not tried again until a reindex
 * (or a new version of that deriver).
 * Needs a store opened for writing (derived rows live in the same database).
 */
export async function deriveMissing(
  store: EvidenceStore,
  options: DeriveOptions = {},
): Promise<DeriveOutcome> {
  if (!options.derivers) {
    const slow = await deriveMissing(store, { ...options, derivers: backgroundDerivers() });
    const quick = await deriveMissing(store, { ...options, derivers: quickDerivers() });
    return {
      derived: slow.derived + quick.derived,
      failed: slow.failed + quick.failed,
      remaining: Math.max(slow.remaining, quick.remaining),
    };
  }
  const derivers = options.derivers;
  const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
  const work = new Map<string, Deriver[]>();
  for (const deriver of derivers) {
    for (const id of itemsNeeding(store.db, deriver, limit)) {
      const list = work.get(id) ?? [];
      list.push(deriver);
      work.set(id, list);
    }
  }
  let done = 0;
  const batch = new DerivedBatch(store);
  for (const [itemId, pending] of work) {
    if (options.shouldStop?.()) break;
    options.onProgress?.({ done, total: work.size, label: 'indexing' });
    const item = derivableItem(store, itemId);
    if (item) {
      for (const deriver of pending) {
        batch.add(await extractOne(store, item, deriver));
      }
    }
    done++;
  }
  batch.flush();
  options.onProgress?.({ done, total: work.size, label: 'indexing' });
  const remaining = derivers.reduce((n, deriver) => Math.max(n, countNeeding(store.db, deriver)), 0);
  return { derived: batch.derived, failed: batch.failed, remaining };
}

/** Throws every deriver's rows away and derives every item again (`custos reindex`). */
export async function rebuildDerived(
  store: EvidenceStore,
  options: DeriveOptions = {},
): Promise<DeriveOutcome> {
  const derivers = options.derivers ?? activeDerivers();
  store.transaction((db) => {
    for (const deriver of derivers) deriver.clear(db);
    clearDerivedState(db, derivers);
  });
  return deriveMissing(store, options);
}

/** One deriver's result for one item, waiting to be written. */
interface DerivedResult {
  readonly item: DerivableItem;
  readonly deriver: Deriver;
  readonly annotationsUpto: number;
  readonly data: unknown;
  /** Why the deriver failed on this item, or null. */
  readonly error: string | null;
}

async function extractOne(
  store: EvidenceStore,
  item: DerivableItem,
  deriver: Deriver,
): Promise<DerivedResult> {
  // Read before extracting: a note added meanwhile is newer than this mark and is derived next time.
  const annotationsUpto = deriver.readsAnnotations ? lastAnnotationId(store.db, item.id) : 0;
  try {
    return { item, deriver, annotationsUpto, data: await deriver.extract(item), error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { item, deriver, annotationsUpto, data: undefined, error: message };
  }
}

/** Writes one result in a savepoint: a write that fails is undone alone and its error returned. */
function writeOne(db: WritableDB, item: DerivableItem, deriver: Deriver, data: unknown): string | null {
  try {
    db.transaction(() => deriver.write(db, item, data))();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Results written per transaction: one commit per batch, not per item. */
const BATCH_SIZE = 64;

/**
 * Writes derived results in transactions of BATCH_SIZE, committed without an fsync each
 * (`derivedTransaction`). A crash loses at most the unwritten batch (a power loss, the last batches
 * whole), which is derived data: those items are still marked as needing derivation and the next
 * pass derives them again.
 */
class DerivedBatch {
  private readonly results: DerivedResult[] = [];
  derived = 0;
  failed = 0;

  constructor(private readonly store: EvidenceStore) {}

  add(result: DerivedResult): void {
    this.results.push(result);
    if (this.results.length >= BATCH_SIZE) this.flush();
  }

  flush(): void {
    if (this.results.length === 0) return;
    const results = this.results.splice(0);
    this.store.derivedTransaction((db) => {
      for (const { item, deriver, annotationsUpto, data, error } of results) {
        const failure = error ?? writeOne(db, item, deriver, data);
        markDerived(db, item.id, deriver, annotationsUpto, failure);
        if (failure === null) this.derived++;
        else this.failed++;
      }
    });
  }
}

/** An item as derivers see it, or undefined when it is not in the store. */
export function derivableItem(store: EvidenceStore, itemId: string): DerivableItem | undefined {
  const row = q.findItem(store.db, itemId);
  if (!row) return undefined;
  const blobs = store.blobs;
  return {
    id: row.id,
    caseId: row.caseId,
    kind: row.kind,
    url: row.url,
    title: row.title,
    capturedAt: row.capturedAt,
    record: JSON.parse(row.recordJson) as CaptureRecord,
    artifactPath: (sha256) => blobs.pathOf(sha256),
    readArtifact: (sha256) => fs.readFile(blobs.pathOf(sha256)),
    pictureText: () => pictureTextOfItem(store.db, row.id),
  };
}
