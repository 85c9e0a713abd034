/**
 * Watched URLs and their state history (docs/WATCH.md), as the CLI's `watch list --json`, the API
 * and the bundle's watch.json show them.
 */

/**
 * What one check of a watched URL found:
 * - `live`: the content is there (the first check, or the first after a removal);
 * - `unchanged` / `changed`: compared with the last capture where the content was there;
 * - `removed`: 404/410/451, a login wall, or a platform's "content not available" notice;
 * - `unreachable`: a network error (DNS, refused, timeout): no page, so no item; not a removal;
 * - `failed`: the capture failed for another reason (nothing stored; see the error).
 */
export const WATCH_STATES = ['live', 'unchanged', 'changed', 'removed', 'unreachable', 'failed'] as const;
export type WatchState = (typeof WATCH_STATES)[number];

/** States whose check stored an item (the page was reached and captured). */
export const STATES_WITH_ITEM: readonly WatchState[] = ['live', 'unchanged', 'changed', 'removed'];

/** One check of a watched URL: its state, the item proving it, and why it was classified so. */
export interface WatchCheck {
  readonly checkedAt: string;
  readonly state: WatchState;
  /** The capture made by this check (null when unreachable or failed: nothing could be captured). */
  readonly itemId: string | null;
  /** The earlier capture it was compared with (null for a first check). */
  readonly baselineItemId: string | null;
  /** Plain-language reasons for the state, e.g. "HTTP status 404". */
  readonly reasons: readonly string[];
  /** The measurements behind them (status, final URL, text similarity, screenshot distance, notice). */
  readonly signals: Readonly<Record<string, unknown>>;
  readonly error: string | null;
  /** The custody entry that records this check. */
  readonly ledgerSeq: number;
}

/** A watched URL as the store holds it, with its removal if it was removed. */
export interface StoredWatch {
  readonly id: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly url: string;
  readonly intervalSeconds: number;
  readonly createdAt: string;
  readonly createdSeq: number;
  /** When the watch was removed (its history is kept), or null while it is active. */
  readonly removedAt: string | null;
}

/** A watched URL with its state history (oldest first). */
export interface WatchView extends StoredWatch {
  /** The last check's state, or null before the first check. */
  readonly state: WatchState | null;
  /** When the next run will check it (null once removed). */
  readonly nextDueAt: string | null;
  readonly history: readonly WatchCheck[];
}

/** The units of a watch interval (`30m`, `6h`, `1d`, `2w`), in seconds. */
export const INTERVAL_UNIT_SECONDS: Readonly<Record<string, number>> = {
  m: 60,
  h: 3600,
  d: 86_400,
  w: 7 * 86_400,
};

/** An interval written as `--every` takes it: the largest unit that divides it (`6h`, `90m`). */
export function formatInterval(seconds: number): string {
  for (const unit of ['w', 'd', 'h', 'm']) {
    const size = INTERVAL_UNIT_SECONDS[unit]!;
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
