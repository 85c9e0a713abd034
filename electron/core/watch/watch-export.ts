/**
 * The watch history a bundle carries (watch.json, docs/WATCH.md): every watch of the case, removed
 * ones included, with each check's state, the item proving it and the custody entry recording it.
 * Listed in the signed manifest and SHA256SUMS like the bundle's other files, so a history that
 * was edited after export fails `custos verify`.
 */
import type { WatchCheck, WatchView } from '../../../shared/watch.js';
import type { ReadableDB } from '../store/database.js';
import { listWatchViews } from './watch-service.js';

/** The format of watch.json. */
export const WATCH_FILE_VERSION = 1;

/** What watch.json holds. */
export interface WatchFile {
  readonly watchFileVersion: typeof WATCH_FILE_VERSION;
  readonly caseId: string;
  /** Each check also says whether the bundle holds its item (an export of some items may not). */
  readonly watches: readonly (Omit<WatchView, 'history'> & {
    readonly history: readonly (WatchCheck & { readonly itemInBundle: boolean })[];
  })[];
}

/** The case's watch history for a bundle, or null when the case never had a watch. */
export function watchFileFor(
  db: ReadableDB,
  caseId: string,
  exportedItemIds: ReadonlySet<string>,
): WatchFile | null {
  const watches = listWatchViews(db, { caseId, includeRemoved: true });
  if (watches.length === 0) return null;
  return {
    watchFileVersion: WATCH_FILE_VERSION,
    caseId,
    watches: watches.map((w) => ({
      ...w,
      nextDueAt: null,
      history: w.history.map((c) => ({
        ...c,
        itemInBundle: c.itemId !== null && exportedItemIds.has(c.itemId),
      })),
    })),
  };
}
