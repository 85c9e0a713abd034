import fs from 'node:fs/promises';
import type { CaptureRecord, Progress } from '../../../shared/domain.js';
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
import { DERIVERS } from './derivers.js';

/** How to run a derivation pass. */
export interface DeriveOptions {
  /** The derivers to run (default: all of DERIVERS). */
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
  const derivers = options.derivers ?? DERIVERS;
  const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
  const work = new Map<string, Deriver[]>();
  for (const deriver of derivers) {
    for (const id of itemsNeeding(store.db, deriver, limit)) {
      const list = work.get(id) ?? [];
      list.push(deriver);
      work.set(id, list);
    }
  }
  let derived = 0;
  let failed = 0;
  let done = 0;
  for (const [itemId, pending] of work) {
    if (options.shouldStop?.()) break;
    options.onProgress?.({ done, total: work.size, label: 'indexing' });
    const item = derivableItem(store, itemId);
    if (item) {
      for (const deriver of pending) {
        const error = await deriveOne(store, item, deriver);
        if (error) failed++;
        else derived++;
      }
    }
    done++;
  }
  options.onProgress?.({ done, total: work.size, label: 'indexing' });
  const remaining = derivers.reduce((n, deriver) => Math.max(n, countNeeding(store.db, deriver)), 0);
  return { derived, failed, remaining };
}

/** Throws every deriver's rows away and derives every item again (`custos reindex`). */
export async function rebuildDerived(
  store: EvidenceStore,
  options: DeriveOptions = {},
): Promise<DeriveOutcome> {
  const derivers = options.derivers ?? DERIVERS;
  store.transaction((db) => {
    for (const deriver of derivers) deriver.clear(db);
    clearDerivedState(db, derivers);
  });
  return deriveMissing(store, { ...options, derivers });
}

async function deriveOne(
  store: EvidenceStore,
  item: DerivableItem,
  deriver: Deriver,
): Promise<string | null> {
  // Read before extracting: a note added meanwhile is newer than this mark and is derived next time.
  const annotationsUpto = deriver.readsAnnotations ? lastAnnotationId(store.db, item.id) : 0;
  try {
    const data = await deriver.extract(item);
    store.transaction((db) => {
      deriver.write(db, item, data);
      markDerived(db, item.id, deriver, annotationsUpto, null);
    });
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    store.transaction((db) => markDerived(db, item.id, deriver, annotationsUpto, message));
    return message;
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
  };
}
