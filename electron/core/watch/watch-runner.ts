/**
 * `watch run`: re-captures the watched URLs that are due (or those forced), compares each capture
 * with the last one where the content was there, and appends the check to the watch's history with
 * its custody entry. Every check that reached the server stored an item first, through the same
 * capture engine as `custos capture`.
 */
import type { WatchCheck, WatchState, WatchView } from '../../../shared/watch.js';
import { afterCommit } from '../after-commit.js';
import { type BrowserProvider, captureUrls } from '../capture/capture-service.js';
import { parseCaptureUrl } from '../capture/capture-url.js';
import type { CaptureOptions } from '../capture/engine/capture-page.js';
import { isUnreachableFailure } from '../capture/engine/navigation-errors.js';
import { errorSaying } from '../errors.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import type { StampResult } from '../timestamp/stamp-queue.js';
import { type CheckInput, classifyCheck } from './classify-check.js';
import { observeItem } from './page-observation.js';
import { insertCheck } from './watch-queries.js';
import { isDue, lastCapturedCheck, lastContentCheck, listWatchViews } from './watch-service.js';

/** Which watches a run checks. */
export interface WatchRunOptions {
  /** `all`: every active watch; a URL: the watches of that URL; an id: that watch; unset: the due ones. */
  readonly force?: 'all' | { readonly url: string } | { readonly watchId: string };
  readonly now?: Date;
  /** The app's browser; unset means the system Chromium. */
  readonly browser?: BrowserProvider;
  readonly captureOptions?: CaptureOptions;
  /** Called after each check is recorded. */
  readonly onCheck?: (watch: WatchView, check: WatchCheck) => void;
  /** Called between cases; throwing stops the run (the app's cancel). */
  readonly beforeCase?: () => void;
}

/** One check made by a run. */
export interface WatchRunCheck {
  readonly watch: WatchView;
  readonly check: WatchCheck;
  /** The state of the check before it (null for a first check). */
  readonly previousState: WatchState | null;
  /** What became of the trusted timestamp of the check's item (null when it made none). */
  readonly timestamp: StampResult | null;
}

/**
 * Checks the watches the options select, case by case (one browser per case). The items of each
 * case's captures then go through `afterCommit` like any capture: stamped when the store has
 * authorities (within their timeouts) and indexed.
 */
export async function runWatches(
  store: EvidenceStore,
  options: WatchRunOptions = {},
): Promise<WatchRunCheck[]> {
  const selected = selectWatches(store, options);
  const byCase = new Map<string, WatchView[]>();
  for (const watch of selected) byCase.set(watch.caseId, [...(byCase.get(watch.caseId) ?? []), watch]);
  const results: WatchRunCheck[] = [];
  for (const [caseId, watches] of byCase) {
    options.beforeCase?.();
    const outcome = await captureUrls(store, {
      urls: watches.map((w) => w.url),
      caseRef: caseId,
      browser: options.browser,
      options: options.captureOptions,
      // A watched address was checked when it was added; one that no longer parses is a failed check.
      malformed: 'report',
    });
    const { stamps } = await afterCommit(
      store,
      outcome.items.map((i) => i.id),
    ).settled;
    for (const watch of watches) {
      const item = outcome.items.find((i) => i.source === watch.url);
      const failure = outcome.failures.find((f) => f.subject === watch.url);
      let input: CheckInput;
      let baselineItemId: string | null = null;
      if (item) {
        const baseline = lastContentCheck(watch.history);
        baselineItemId = baseline?.itemId ?? null;
        input = {
          kind: 'captured',
          current: await observeItem(store, item.id),
          baseline: baseline?.itemId ? await observeItem(store, baseline.itemId, knownHash(baseline)) : null,
          lastCapturedState: lastCapturedCheck(watch.history)?.state ?? null,
        };
      } else {
        const message = failure?.error.message ?? 'the capture returned no item';
        input = {
          kind: failure && isUnreachableFailure(failure.error) ? 'unreachable' : 'failed',
          error: message,
        };
      }
      const check = recordCheck(store, watch, input, item?.id ?? null, baselineItemId);
      const timestamp = (item && stamps.find((r) => r.covers === item.id)) ?? null;
      const result = { watch, check, previousState: watch.history.at(-1)?.state ?? null, timestamp };
      results.push(result);
      options.onCheck?.(watch, check);
    }
  }
  return results;
}

function selectWatches(store: EvidenceStore, options: WatchRunOptions): WatchView[] {
  const active = listWatchViews(store.db);
  const force = options.force;
  if (force === 'all') return active;
  if (force && 'watchId' in force) {
    const watch = active.find((w) => w.id === force.watchId);
    if (!watch)
      throw errorSaying(
        'bad-input',
        (next) => `no active watch ${force.watchId}; ${next.watches} shows watches`,
      );
    return [watch];
  }
  if (force) {
    const url = parseCaptureUrl(force.url).href;
    const matching = active.filter((w) => w.url === url);
    if (matching.length === 0)
      throw errorSaying('bad-input', (next) => `${url} is not watched; ${next.watches} shows what is`);
    return matching;
  }
  const now = options.now ?? new Date();
  return active.filter((w) => isDue(w, now));
}

function knownHash(check: WatchCheck): string | null | undefined {
  const hash = check.signals.screenshotHash;
  return typeof hash === 'string' || hash === null ? hash : undefined;
}

/** Classifies a check and appends it to the history with its custody entry, in one transaction. */
function recordCheck(
  store: EvidenceStore,
  watch: WatchView,
  input: CheckInput,
  itemId: string | null,
  baselineItemId: string | null,
): WatchCheck {
  const { state, reasons, signals } = classifyCheck(input);
  const error = input.kind === 'captured' ? null : input.error;
  const previousState = watch.history.at(-1)?.state ?? null;
  return store.transaction((db) => {
    const entry = store.appendInTransaction(db, {
      action: 'watch.check',
      caseId: watch.caseId,
      subject: watch.id,
      details: {
        url: watch.url,
        state,
        previousState,
        changed: state !== previousState,
        itemId,
        baselineItemId,
        reasons,
        error,
      },
    });
    const check: WatchCheck = {
      checkedAt: entry.time,
      state,
      itemId,
      baselineItemId,
      reasons,
      signals,
      error,
      ledgerSeq: entry.seq,
    };
    insertCheck(db, watch.id, check);
    return check;
  });
}
