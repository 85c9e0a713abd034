/**
 * What every batch of evidence work (capture of addresses, import of files) shares: how a bad
 * entry is treated, how progress is reported and how a cancel stops it. One failure semantics for
 * the CLI, the app and the watch runner: an entry that fails is reported with its reason and never
 * stops or holds up the others; only a malformed entry in `refuse` mode stops the whole batch, and
 * then before anything is written.
 */
import type { ApiProgress, EntryFailure } from '../../shared/api.js';
import type { ItemSummary } from '../../shared/domain.js';
import { Cancelled } from './cancel.js';
import { type CustosError, operationFailure, WINDOW_AGAIN } from './errors.js';
import { describeSystemError } from './system-errors.js';

/**
 * What a malformed entry (an address that is not http(s), a missing or unreadable file) does:
 * `refuse` refuses the whole batch as bad input before anything is written (a command's
 * arguments: a typo is usage); `report` makes it a failure of its own while the others go on (a
 * pasted list, where one bad line must not cost the rest).
 */
export type MalformedEntries = 'refuse' | 'report';

/** How a batch is followed and stopped. */
export interface BatchControls {
  /** Default `refuse`. */
  readonly malformed?: MalformedEntries;
  /** A cancel stops before the next entry, and inside the current one where nothing is half-stored. */
  readonly signal?: AbortSignal;
  /** `done` of `total` entries settled, the entry in work and its stage, and the latest failures. */
  readonly onProgress?: (progress: ApiProgress) => void;
  /** An entry's item was committed (in the order of the entries). */
  readonly onItem?: (item: ItemSummary, index: number) => void;
}

/** One entry that produced no item, and why (nothing was stored for it). */
export interface BatchFailure {
  /** The entry as given (the line, the path). */
  readonly subject: string;
  readonly index: number;
  readonly error: CustosError;
}

/** What a batch made: items and failures in the order of the entries. */
export interface BatchResult {
  readonly items: readonly ItemSummary[];
  readonly failures: readonly BatchFailure[];
  /** The user cancelled: the entries after the last settled one were not attempted. */
  readonly cancelled: boolean;
}

/** An entry after its check: ready for work, or already failed. */
export type CheckedEntry<T> =
  | { readonly ok: true; readonly index: number; readonly subject: string; readonly value: T }
  | { readonly ok: false; readonly failure: BatchFailure };

/**
 * Checks every entry before any is worked on. In `refuse` mode the first malformed entry is thrown
 * (nothing has been written); in `report` mode each one becomes its failure.
 */
export async function checkEntries<E, T>(
  entries: readonly E[],
  subjectOf: (entry: E) => string,
  check: (entry: E) => T | Promise<T>,
  malformed: MalformedEntries = 'refuse',
): Promise<CheckedEntry<T>[]> {
  const checked: CheckedEntry<T>[] = [];
  for (const [index, entry] of entries.entries()) {
    const subject = subjectOf(entry);
    try {
      checked.push({ ok: true, index, subject, value: await check(entry) });
    } catch (error) {
      if (malformed === 'refuse') throw error;
      checked.push({ ok: false, failure: { subject, index, error: asCustosError(error, subject) } });
    }
  }
  return checked;
}

/** Whether an error ends the batch as a cancel (the user's, seen as an error or on the signal). */
export function isCancelled(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof Cancelled) return true;
  return false;
}

/** A failure as it is reported: a CustosError with a message for a person. */
export function asCustosError(error: unknown, subject: string): CustosError {
  const known = describeSystemError(error);
  if (known) return known;
  const message = error instanceof Error ? error.message : String(error);
  return operationFailure(`${subject}: ${message}`, { cause: error });
}

/** Failures as API results carry them, each message saying what to do in the window's words. */
export function entryFailures(failures: readonly BatchFailure[]): EntryFailure[] {
  return failures.map((f) => ({ subject: f.subject, message: f.error.messageSaying(WINDOW_AGAIN) }));
}

/**
 * The most failures one progress event carries (the latest ones): every event crosses the
 * transport, and a 10,000-file import with thousands of bad files must not send them all each time.
 * The outcome carries every failure.
 */
export const PROGRESS_FAILURE_LIMIT = 200;

/** Failures as a progress event carries them: the latest PROGRESS_FAILURE_LIMIT. */
export function progressFailures(failures: readonly BatchFailure[]): EntryFailure[] {
  return entryFailures(failures.slice(-PROGRESS_FAILURE_LIMIT));
}
