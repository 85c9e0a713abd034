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
import {
  checkImportable,
  checkImportableSync,
  displayName,
  type FilePath,
  type StageOptions,
  stageFile,
} from './import-file.js';

/**
 * How many files are staged at once: the reading and hashing of one overlaps the writing of the
 * others on libuv's thread pool.
 */
export const IMPORT_PIPELINE_DEPTH = 4;

/**
 * The most items one group commit holds. A group's blobs are fsynced together and its items
 * committed in one transaction, each with its own custody entry: per item that costs a share of a
 * few rounds of the disk's journal instead of three fsyncs and a commit of its own. Small enough
 * that the fsyncs of one group overlap the commit of the one before (IMPORT_GROUPS_IN_FLIGHT) and
 * that the last group, which nothing overlaps, is a small part of a large import.
 */
export const IMPORT_GROUP_ITEMS = 250;

/** The most bytes one group holds: a group of large files is made durable while the next is read. */
export const IMPORT_GROUP_BYTES = 256 * 1024 * 1024;

/** A group is committed once it is this old, so that items appear (and are reported) as the import goes on. */
export const IMPORT_GROUP_MS = 1_000;

/**
 * Groups closed and not yet committed while the next one fills: one whose items are being
 * committed (this thread's work) and one whose blobs are being fsynced meanwhile (the disk's), so
 * that neither waits for the other.
 */
export const IMPORT_GROUPS_IN_FLIGHT = 2;

/** How `importFiles` runs and reports. */
export interface ImportFilesOptions extends BatchControls, StageOptions {
  /** Files staged at once (default IMPORT_PIPELINE_DEPTH). */
  readonly depth?: number;
  /** Bytes stored so far, all files together, of the total size of the files that passed their check. */
  readonly onBytes?: (bytes: number, totalBytes: number) => void;
}

/** The items made, in the order of the files, and the files that could not be imported. */
export type ImportOutcome = BatchResult;

/** A staged file waiting in the open group. */
interface Staged {
  readonly index: number;
  readonly subject: string;
  readonly item: NewItem;
}

/**
 * Imports files as items (one per file, as `importFile` does), committed in the order given. Every
 * file is checked first (anything but a readable regular file is malformed: it refuses the whole
 * import, or is reported, per `malformed`). Up to `depth` files are staged at the same time, their
 * blobs written unsynced into one `BlobBatch`; staged files are gathered into groups (at most
 * IMPORT_GROUP_ITEMS items, IMPORT_GROUP_BYTES bytes or IMPORT_GROUP_MS old), and each group's
 * blobs are made durable together before its items are committed in one transaction, each with
 * its own custody entry, while the next group fills. A crash therefore leaves only whole items, and no blob name without its
 * whole content (at worst temporary files, swept at the next open). A file that fails later (it
 * vanished, a read error) is reported and the others go on; a cancel stops before the next file
 * and commits the files announced before it. Returns once every started file has settled.
 */
export async function importFiles(
  store: EvidenceStore,
  caseRef: string,
  files: readonly FilePath[],
  options: ImportFilesOptions = {},
): Promise<ImportOutcome> {
  const { signal } = options;
  const caseId = store.getCase(caseRef).id;
  const check = options.blockingReads ? checkImportableSync : checkImportable;
  const entries = await checkEntries(files, displayName, (file) => check(file), options.malformed);
  const depth = Math.max(1, options.depth ?? IMPORT_PIPELINE_DEPTH);
  const totalBytes = entries.reduce((sum, e) => sum + (e.ok ? e.value.size : 0), 0);
  const batch = store.blobs.batch();
  const staging: (Promise<NewItem> | null)[] = [];
  const items: ItemSummary[] = [];
  const failures: BatchFailure[] = [];
  let group: Staged[] = [];
  let groupBytes = 0;
  let groupOpenedAt = 0;
  let bytes = 0;
  let next = 0; // the entry whose turn it is to join the open group (or be reported)
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
      const promise = stageFile(
        batch,
        caseId,
        files[index]!,
        (done) => {
          throwIfCancelled(signal); // a cancel stops a large file's copy; nothing of it is committed
          bytes += done - fileBytes;
          fileBytes = done;
          options.onBytes?.(bytes, totalBytes);
        },
        { blockingReads: options.blockingReads },
      );
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
  /** The last group closed, once committed (groups commit in order, each after the one before). */
  let committing: Promise<void> = Promise.resolve();
  /** Groups closed and not yet committed, oldest first (see IMPORT_GROUPS_IN_FLIGHT). */
  const inFlight: Promise<void>[] = [];
  /**
   * Closes the open group: its blobs start being made durable now, and its items are committed in
   * one transaction once they are and the previous group has committed (groups commit in order).
   * A group that cannot be stored makes each of its files a failure; only a throwing onItem rejects.
   */
  const closeGroup = (): Promise<void> => {
    const taken = group;
    group = [];
    groupBytes = 0;
    if (taken.length === 0) return committing;
    const persisted = batch.persist(taken.flatMap((s) => s.item.artifacts.map((a) => a.sha256)));
    persisted.catch(() => undefined); // awaited in turn below
    committing = committing.then(async () => {
      let committed: ItemSummary[];
      try {
        await persisted;
        // Their blobs are those `persisted` was given: no second existence check each (see addPersistedItems).
        committed = store.addPersistedItems(taken.map((s) => s.item));
      } catch (error) {
        // Nothing of the group was committed (a full disk, a failing fsync): each file says why.
        for (const s of taken)
          failures.push({ subject: s.subject, index: s.index, error: asCustosError(error, s.subject) });
        return;
      }
      for (const [k, item] of committed.entries()) {
        items.push(item);
        options.onItem?.(item, taken[k]!.index);
      }
    });
    // A throwing onItem (a closed output) is awaited in turn; this only keeps it from counting as unhandled.
    committing.catch(() => undefined);
    return committing;
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
      let item: NewItem;
      try {
        item = (await staging[next])!;
      } catch (error) {
        if (isCancelled(error, signal)) {
          cancelled = true;
          break;
        }
        failures.push({ subject: entry.subject, index: next, error: asCustosError(error, entry.subject) });
        next++;
        continue;
      }
      if (group.length === 0) groupOpenedAt = Date.now();
      group.push({ index: next, subject: entry.subject, item });
      // With blockingReads a small file is staged without the thread pool, so this loop would
      // otherwise never give way to the fsyncs of the groups going to the disk: their callbacks
      // (and the next fsyncs) would wait until every file was staged.
      await new Promise((resolve) => setImmediate(resolve));
      groupBytes += item.artifacts.reduce((sum, a) => sum + a.size, 0);
      next++;
      if (
        group.length >= IMPORT_GROUP_ITEMS ||
        groupBytes >= IMPORT_GROUP_BYTES ||
        Date.now() - groupOpenedAt >= IMPORT_GROUP_MS
      ) {
        if (inFlight.length >= IMPORT_GROUPS_IN_FLIGHT) await inFlight.shift();
        inFlight.push(closeGroup());
      }
    }
    // Also after a cancel: the files announced before it are committed.
    await closeGroup();
    failures.sort((a, b) => a.index - b.index);
    return { items, failures, cancelled };
  } finally {
    // Never return (and let the store close) while a blob is still being written or a group
    // committed; what was written for files that were not committed (a cancel, a failure) is removed.
    await committing.catch(() => undefined); // its failure, if any, was thrown above
    await Promise.allSettled(staging.filter((p) => p !== null));
    await batch.discard();
  }
}
