/**
 * Watched URLs: adding, removing and listing them with their state history. Each change commits
 * with its custody entry in one transaction; a removal is recorded beside the watch, whose history
 * stays (docs/WATCH.md).
 */
import { randomUUID } from 'node:crypto';
import {
  STATES_WITH_ITEM,
  type StoredWatch,
  type WatchCheck,
  type WatchView,
} from '../../../shared/watch.js';
import { parseCaptureUrl } from '../capture/capture-url.js';
import { badInput, errorSaying } from '../errors.js';
import type { ReadableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { formatInterval } from './interval.js';
import { findWatchById, insertRemoval, insertWatch, listChecks, listWatches } from './watch-queries.js';

/** What `watch add` asks for; the URL and interval are checked before anything is written. */
export interface WatchAddInput {
  readonly url: string;
  readonly caseRef: string;
  readonly intervalSeconds: number;
}

/** Starts watching a URL for a case; refuses a URL the case already watches. */
export function addWatch(store: EvidenceStore, input: WatchAddInput): WatchView {
  const url = parseCaptureUrl(input.url).href;
  const investigator = store.requireInvestigator();
  const caseRow = store.getCase(input.caseRef);
  const id = randomUUID();
  store.transaction((db) => {
    if (listWatches(db, { caseId: caseRow.id }).some((w) => w.url === url)) {
      throw errorSaying(
        'bad-input',
        (next) => `case ${caseRow.number} already watches ${url}; ${next.watches} shows its history`,
      );
    }
    const entry = store.appendInTransaction(db, {
      action: 'watch.add',
      caseId: caseRow.id,
      subject: id,
      details: { url, intervalSeconds: input.intervalSeconds, every: formatInterval(input.intervalSeconds) },
    });
    insertWatch(db, {
      id,
      caseId: caseRow.id,
      url,
      intervalSeconds: input.intervalSeconds,
      createdAt: entry.time,
      createdBy: investigator.id,
      createdSeq: entry.seq,
    });
  });
  return requireWatchView(store.db, id);
}

/**
 * Stops watching: a removal row and a custody entry; the watch's checks and the items that prove
 * them stay. `ref` is the watch's id or its URL (with `caseRef` when several cases watch it).
 */
export function removeWatch(store: EvidenceStore, ref: string, caseRef?: string): WatchView {
  const investigator = store.requireInvestigator();
  const watch = resolveWatch(store, ref, caseRef);
  if (watch.removedAt !== null) {
    throw badInput(`the watch of ${watch.url} was already removed at ${watch.removedAt}`);
  }
  store.transaction((db) => {
    const entry = store.appendInTransaction(db, {
      action: 'watch.remove',
      caseId: watch.caseId,
      subject: watch.id,
      details: { url: watch.url, checks: listChecks(db, watch.id).length },
    });
    insertRemoval(db, {
      watchId: watch.id,
      removedAt: entry.time,
      investigatorId: investigator.id,
      ledgerSeq: entry.seq,
    });
  });
  return requireWatchView(store.db, watch.id);
}

/** An active watch by id or URL; a clear error when none or several match. */
export function resolveWatch(store: EvidenceStore, ref: string, caseRef?: string): StoredWatch {
  const byId = findWatchById(store.db, ref);
  if (byId) return byId;
  let url: string;
  try {
    url = parseCaptureUrl(ref).href;
  } catch {
    throw errorSaying('bad-input', (next) => `no watch ${ref}; ${next.watches} shows the watches`);
  }
  const caseId = caseRef === undefined ? undefined : store.getCase(caseRef).id;
  const matches = listWatches(store.db, caseId === undefined ? {} : { caseId }).filter((w) => w.url === url);
  if (matches.length === 0)
    throw errorSaying('bad-input', (next) => `${url} is not watched; ${next.watches} shows what is`);
  if (matches.length > 1) {
    throw badInput(
      `${url} is watched for ${matches.length} cases (${matches.map((w) => w.caseNumber).join(', ')}); add --case CASE`,
    );
  }
  return matches[0]!;
}

/** Watches (of one case, or all) with their state history, oldest first. */
export function listWatchViews(
  db: ReadableDB,
  options: { readonly caseId?: string; readonly includeRemoved?: boolean } = {},
): WatchView[] {
  return listWatches(db, options).map((w) => watchView(w, listChecks(db, w.id)));
}

/** One watch with its history. */
export function requireWatchView(db: ReadableDB, id: string): WatchView {
  const watch = findWatchById(db, id);
  if (!watch) throw errorSaying('bad-input', (next) => `no watch ${id}; ${next.watches} shows watches`);
  return watchView(watch, listChecks(db, watch.id));
}

function watchView(watch: StoredWatch, history: readonly WatchCheck[]): WatchView {
  const last = history.at(-1);
  return {
    ...watch,
    state: last?.state ?? null,
    nextDueAt:
      watch.removedAt !== null
        ? null
        : last
          ? new Date(Date.parse(last.checkedAt) + watch.intervalSeconds * 1000).toISOString()
          : watch.createdAt,
    history,
  };
}

/** Whether a watch is due at `now`: active, and never checked or checked an interval ago. */
export function isDue(watch: WatchView, now: Date): boolean {
  return watch.nextDueAt !== null && Date.parse(watch.nextDueAt) <= now.getTime();
}

/** The last check where the content was there (the baseline of the next comparison). */
export function lastContentCheck(history: readonly WatchCheck[]): WatchCheck | undefined {
  return history.findLast((c) => c.itemId !== null && c.state !== 'removed');
}

/** The last check that stored an item. */
export function lastCapturedCheck(history: readonly WatchCheck[]): WatchCheck | undefined {
  return history.findLast((c) => c.itemId !== null && STATES_WITH_ITEM.includes(c.state));
}
