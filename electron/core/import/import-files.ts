import type { ItemSummary } from '../../../shared/domain.js';
import {
  asCustosError,
  type BatchControls,
  type BatchFailure,
  type BatchResult,
  checkEntries,
  isCancelled,
  progressFailures,
} from '../batch.js';
import { throwIfCancelled } from '../cancel.js';
import type { EvidenceStore, NewItem } from '../store/evidence-store.js';
import { checkImportable, displayName, type FilePath, stageImport } from './import-file.js';

/**
 * How many files are staged at once. Each staged file costs an fsync of the blob and of its
 * folder, a few milliseconds of waiting for the disk: overlapping them (and the reading and
 * hashing of the next files) is what makes importing many files fast.
 */
export const IMPORT_PIPELINE_DEPTH = 4;

/** How `importFiles` runs and reports. */
export interface ImportFilesOptions extends BatchControls {
  /** Files staged at once (default IMPORT_PIPELINE_DEPTH). */
  readonly depth?: number;
  /** Bytes stored so far, all files together, of the total size of the files that passed their check. */
  readonly onBytes?: (bytes: number, totalBytes: number) => void;
}

/** The items made, in the order of the files, and the files that could not be imported. */
export type ImportOutcome = BatchResult;

/**
 * Imports files as items (one per file, as `importFile` does), committed in the order given. Every
 * file is checked first (anything but a readable regular file is malformed: it refuses the whole
 * import, or is reported, per `malformed`). Up to `depth` files are staged at the same time; the
 * items that are staged when their turn comes are committed in one transaction, each with its own
 * custody entry, so that a crash leaves only whole items (and, at worst, a few blobs that no item
 * references yet). A file that fails later (it vanished, a read error) is reported and the others
 * go on; a cancel stops before the next commit. Returns once every started file has settled.
 */
export async function importFiles(
  store: EvidenceStore,
  caseRef: string,
  files: readonly FilePath[],
  options: ImportFilesOptions = {},
): Promise<ImportOutcome> {
  const { signal } = options;
  const caseId = store.getCase(caseRef).id;
  const entries = await checkEntries(files, displayName, (file) => checkImportable(file), options.malformed);
  const depth = Math.max(1, options.depth ?? IMPORT_PIPELINE_DEPTH);
  const totalBytes = entries.reduce((sum, e) => sum + (e.ok ? e.value.size : 0), 0);
  const staging: (Promise<NewItem> | null)[] = [];
  const staged: (NewItem | undefined)[] = []; // set as each staging succeeds
  const items: ItemSummary[] = [];
  const failures: BatchFailure[] = [];
  let bytes = 0;
  let next = 0; // the entry whose turn it is to be committed (or reported)
  let cancelled = false;

  const startStaging = () => {
    while (staging.length < entries.length && staging.length < next + depth) {
      const index = staging.length;
      const entry = entries[index]!;
      if (!entry.ok) {
        staging.push(null);
        continue;
      }
      let fileBytes = 0;
      const promise = stageImport(store, caseId, files[index]!, (done) => {
        throwIfCancelled(signal); // a cancel stops a large file's copy; nothing of it is committed
        bytes += done - fileBytes;
        fileBytes = done;
        options.onBytes?.(bytes, totalBytes);
      }).then((item) => {
        staged[index] = item;
        return item;
      });
      promise.catch(() => undefined); // awaited in turn below; this only keeps it from counting as unhandled
      staging.push(promise);
    }
  };
  /** Says which entry is next; false when the user cancelled meanwhile (it is then left undone). */
  const announce = (index: number, subject: string): boolean => {
    options.onProgress?.({
      done: index,
      total: entries.length,
      subject,
      stage: 'importing',
      failures: progressFailures(failures),
    });
    return !signal?.aborted;
  };

  try {
    while (next < entries.length) {
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      startStaging();
      const entry = entries[next]!;
      if (!entry.ok) {
        failures.push(entry.failure);
        next++;
        continue;
      }
      if (!announce(next, entry.subject)) {
        cancelled = true;
        break;
      }
      try {
        await staging[next];
      } catch (error) {
        if (isCancelled(error, signal)) {
          cancelled = true;
          break;
        }
        failures.push({ subject: entry.subject, index: next, error: asCustosError(error, entry.subject) });
        next++;
        continue;
      }
      // This file and the following ones already staged are committed together (one fsync each
      // transaction, not each file); a cancel announced for one of them leaves it and the rest undone.
      let end = next + 1;
      while (end < staging.length && staged[end] && announce(end, displayName(files[end]!))) end++;
      const batch = staged.slice(next, end) as NewItem[];
      const committed = store.transaction(() => batch.map((item) => store.addItem(item)));
      for (const [k, item] of committed.entries()) {
        items.push(item);
        staged[next + k] = undefined;
        options.onItem?.(item, next + k);
      }
      next = end;
    }
    return { items, failures, cancelled };
  } finally {
    // Never return (and let the store close) while a blob is still being written.
    await Promise.allSettled(staging.filter((p) => p !== null));
  }
}
