/**
 * What follows every commit of evidence, in one place for the CLI, the app's API and the watch
 * runner: the new items are queued for a trusted timestamp and stamped at once when the store has
 * authorities, and the derived data (search, entities, image hashes) is brought up to date in
 * bounded passes. Neither can fail or undo the commit: the evidence is already stored, and what
 * is not done now (an authority out of reach, a backlog) is done later by `custos timestamp` and
 * the next pass.
 */
import type { EvidenceStore } from './store/evidence-store.js';
import type { StampOptions, StampResult } from './timestamp/stamp-queue.js';

/**
 * Items indexed per pass (per deriver). One pass runs while the caller waits, so a capture is
 * searchable when it is reported; a larger backlog (a big import) is indexed in further passes of
 * the same size by a process that lives on (the app), or by the next write or `custos reindex
 * --missing` (the CLI, which exits).
 */
export const DERIVE_PASS_LIMIT = 200;

/**
 * Items a background deriver (text recognition: about a second a picture) takes per pass: a pass
 * never holds the writer for long, and the backlog goes on in the next ones.
 */
export const BACKGROUND_PASS_LIMIT = 8;

/** What indexing did. */
export interface IndexReport {
  /** Items a deriver failed on (recorded per item; `custos reindex` tries them again). */
  readonly failed: number;
  /** Items still waiting to be indexed. */
  readonly remaining: number;
  /** Why indexing itself stopped (the store was closed, an unexpected error), or null. */
  readonly error: string | null;
  /** A pass of this store was already running and will cover this commit: nothing was waited for. */
  readonly deferred: boolean;
}

/** Everything that followed a commit. */
export interface AfterCommitReport {
  /** One result per new item: granted, or pending with each authority's reason. */
  readonly stamps: readonly StampResult[];
  readonly index: IndexReport;
}

/** How the work after a commit runs. */
export interface AfterCommitOptions {
  /** Index the whole backlog in passes, not just one (a process that lives on: the app). */
  readonly backlog?: boolean;
  /** Checked between items and passes (the app is closing); what is done stays done. */
  readonly shouldStop?: () => boolean;
  /** Bound on each authority's answer (default: the client's). */
  readonly stampTimeoutMs?: StampOptions['timeoutMs'];
  /**
   * Run the background derivers (text recognition in pictures) in this pass too (default: yes).
   * The CLI asks for them only after a command that stored new items: an export, a note or a tag
   * would otherwise spend seconds a picture, and the recogniser's 100 MiB, on an earlier import's
   * backlog, which the app, `custos reindex --missing` or the next import or capture reads.
   */
  readonly background?: boolean;
}

/** The stages of the work after a commit, each a promise that never rejects. */
export interface AfterCommit {
  /** The first index pass is over: what was committed is searchable (or a running pass will make it so). */
  readonly indexed: Promise<IndexReport>;
  /** The new items' timestamp requests are settled, within the authorities' timeouts. */
  readonly stamped: Promise<readonly StampResult[]>;
  /** All of it, the backlog included when asked for. */
  readonly settled: Promise<AfterCommitReport>;
}

/**
 * Runs what must follow the commit of `itemIds` (items just captured or imported; none for a note,
 * a tag or any other write): their timestamp requests and the index passes, side by side. The CLI
 * waits for `settled`; the app answers at `indexed` and lets the rest finish in the background.
 */
export function afterCommit(
  store: EvidenceStore,
  itemIds: readonly string[],
  options: AfterCommitOptions = {},
): AfterCommit {
  const stamped = stampQuietly(store, itemIds, options.stampTimeoutMs);
  const { first, all } = indexInPasses(
    store,
    Boolean(options.backlog),
    options.shouldStop ?? never,
    options.background ?? true,
  );
  const settled = Promise.all([stamped, all]).then(([stamps, index]) => ({ stamps, index }));
  return { indexed: first, stamped, settled };
}

const never = () => false;

async function stampQuietly(
  store: EvidenceStore,
  itemIds: readonly string[],
  timeoutMs: number | undefined,
): Promise<readonly StampResult[]> {
  if (itemIds.length === 0) return [];
  try {
    // Loaded only when there is something to stamp: the RFC 3161 code pulls in pkijs.
    const { stampNewItems } = await import('./timestamp/stamp-queue.js');
    return await stampNewItems(store, itemIds, { timeoutMs });
  } catch (error) {
    // stampNewItems never throws; this is the import failing. The items stay unstamped and
    // `custos timestamp` queues and asks for them.
    console.error('timestamping after a commit failed:', error);
    return [];
  }
}

/** The one index loop of a store handle: passes never overlap, and a commit meanwhile asks for one more. */
interface IndexLoop {
  again: boolean;
  readonly done: Promise<IndexReport>;
}

const loops = new WeakMap<EvidenceStore, IndexLoop>();

function indexInPasses(
  store: EvidenceStore,
  backlog: boolean,
  shouldStop: () => boolean,
  background: boolean,
): { first: Promise<IndexReport>; all: Promise<IndexReport> } {
  const running = loops.get(store);
  if (running) {
    // The running loop makes another pass after its current one, which covers this commit.
    running.again = true;
    const deferred: IndexReport = { failed: 0, remaining: 0, error: null, deferred: true };
    const all = backlog
      ? running.done.then((report) =>
          report.remaining > 0 && report.error === null && !shouldStop()
            ? indexInPasses(store, true, shouldStop, background).all
            : report,
        )
      : Promise.resolve(deferred);
    return { first: Promise.resolve(deferred), all };
  }
  let reportFirst: (report: IndexReport) => void = never;
  const first = new Promise<IndexReport>((resolve) => {
    reportFirst = resolve;
  });
  const loop: { again: boolean; done?: Promise<IndexReport> } = { again: false };
  const done = (async () => {
    try {
      let pass = await derivePass(store, shouldStop, background, reportFirst);
      let failed = pass.failed;
      while (pass.error === null && !shouldStop() && (loop.again || (backlog && pass.remaining > 0))) {
        loop.again = false;
        await new Promise((resolve) => setImmediate(resolve)); // let the user's calls in between passes
        pass = await derivePass(store, shouldStop, background);
        failed += pass.failed;
      }
      return { ...pass, failed };
    } finally {
      // No await between the loop's last test and here: a commit cannot slip in unseen.
      loops.delete(store);
    }
  })();
  loops.set(store, Object.assign(loop, { done }) as IndexLoop);
  return { first, all: done };
}

/**
 * One pass: the quick derivers first (what was committed becomes searchable), then, once the
 * caller has that (`indexed`) and when asked, the background ones (text recognition) on at most
 * BACKGROUND_PASS_LIMIT items, then the quick ones again for the items whose new picture text
 * made them stale.
 */
async function derivePass(
  store: EvidenceStore,
  shouldStop: () => boolean,
  withBackground: boolean,
  reportQuick: (report: IndexReport) => void = never,
): Promise<IndexReport> {
  const report = { failed: 0, remaining: 0, error: null, deferred: false };
  try {
    if (!store.investigator) {
      reportQuick(report);
      return report; // nothing can be stored before init
    }
    // Loaded only by writes: the derivers pull in their libraries.
    const { deriveMissing } = await import('./derive/derive-items.js');
    const { backgroundDerivers, quickDerivers } = await import('./derive/derivers.js');
    const quick = await deriveMissing(store, {
      derivers: quickDerivers(),
      limit: DERIVE_PASS_LIMIT,
      shouldStop,
    });
    reportQuick({ ...report, failed: quick.failed, remaining: quick.remaining });
    const background = backgroundDerivers();
    if (background.length === 0 || shouldStop())
      return { ...report, failed: quick.failed, remaining: quick.remaining };
    if (!withBackground) {
      // Nothing read: only the pictures still waiting are counted.
      const { countNeeding } = await import('./derive/derived-state-queries.js');
      const waiting = Math.max(...background.map((deriver) => countNeeding(store.db, deriver)));
      return { ...report, failed: quick.failed, remaining: Math.max(quick.remaining, waiting) };
    }
    const slow = await deriveMissing(store, {
      derivers: background,
      limit: BACKGROUND_PASS_LIMIT,
      shouldStop,
    });
    const again = await deriveMissing(store, {
      derivers: quickDerivers(),
      limit: DERIVE_PASS_LIMIT,
      shouldStop,
    });
    return {
      ...report,
      failed: quick.failed + slow.failed + again.failed,
      remaining: Math.max(slow.remaining, again.remaining),
    };
  } catch (error) {
    // The derivers record their own failures per item; this is the store closed under the pass
    // (the app shutting down) or an unexpected error. `custos reindex` rebuilds everything.
    const failed = { ...report, error: error instanceof Error ? error.message : String(error) };
    reportQuick(failed);
    return failed;
  }
}
