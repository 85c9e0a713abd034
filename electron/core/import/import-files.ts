import type { ItemSummary } from '../../../shared/domain.js';
import type { EvidenceStore, NewItem } from '../store/evidence-store.js';
import { type FilePath, stageImport } from './import-file.js';

/**
 * How many files are staged at once. Each staged file costs an fsync of the blob and of its
 * folder, a few milliseconds of waiting for the disk: overlapping them (and the reading and
 * hashing of the next files) is what makes importing many files fast.
 */
export const IMPORT_PIPELINE_DEPTH = 4;

/** Callbacks of `importFiles`. */
export interface ImportFilesOptions {
  /** Files staged at once (default IMPORT_PIPELINE_DEPTH). */
  readonly depth?: number;
  /** Bytes stored so far, all files together. */
  readonly onBytes?: (bytes: number) => void;
  /** An item was committed; called in the order of `files`. */
  readonly onItem?: (item: ItemSummary, index: number) => void;
}

/**
 * Imports files as items (one per file, as `importFile` does), committed in the order given. Up to
 * `depth` files are staged at the same time; the items that are staged when their turn comes
 * are committed in one transaction, each with its own custody entry, so that a crash leaves only
 * whole items (and, at worst, a few blobs that no item references yet). On a failure the items
 * before the failing file stay committed, and the error is thrown once every started file has settled.
 */
export async function importFiles(
  store: EvidenceStore,
  caseRef: string,
  files: readonly FilePath[],
  options: ImportFilesOptions = {},
): Promise<ItemSummary[]> {
  const depth = Math.max(1, options.depth ?? IMPORT_PIPELINE_DEPTH);
  const caseId = store.getCase(caseRef).id;
  const staging: Promise<NewItem>[] = [];
  const staged: (NewItem | undefined)[] = [];
  const items: ItemSummary[] = [];
  let bytes = 0;

  const startStaging = () => {
    while (staging.length < files.length && staging.length < items.length + depth) {
      const index = staging.length;
      let fileBytes = 0;
      const promise = stageImport(store, caseId, files[index]!, (done) => {
        bytes += done - fileBytes;
        fileBytes = done;
        options.onBytes?.(bytes);
      }).then((item) => {
        staged[index] = item;
        return item;
      });
      promise.catch(() => undefined); // awaited in turn below; this only keeps it from counting as unhandled
      staging.push(promise);
    }
  };

  try {
    while (items.length < files.length) {
      startStaging();
      await staging[items.length];
      const batch: NewItem[] = [];
      for (let i = items.length; i < staging.length && staged[i]; i++) batch.push(staged[i]!);
      const committed = store.transaction(() => batch.map((item) => store.addItem(item)));
      for (const item of committed) {
        const index = items.length;
        items.push(item);
        staged[index] = undefined;
        options.onItem?.(item, index);
      }
    }
    return items;
  } finally {
    // Never return (and let the store close) while a blob is still being written.
    await Promise.allSettled(staging);
  }
}
