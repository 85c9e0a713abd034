/**
 * The failure of an upgrade of a store an older Custos wrote, told apart from every other failure
 * of the reads that wait for it: the app remembers it (and shows why, with a way to try again)
 * where another error of the first read keeps its usual handling.
 */
import type { UpgradeStepAfterCommit } from '../../../shared/api.js';
import { CustosError, errorCode, type NextStep } from '../errors.js';
import { describeSystemError } from '../system-errors.js';
import { MigrationFailed } from './store-upgrade.js';

/**
 * An upgrade that failed: between which versions, whether before its migration committed (the
 * store exactly as it was) or after (the store upgraded, `unfinished` the step that failed) or
 * not known (`appliedUnknown`: the database could not be read after the failure), why
 * for a person, and the raw error for whoever investigates.
 */
export class StoreUpgradeFailed extends CustosError {
  /** The raw error as SQLite or the system gave it (its code first), for the log and the card's details line. */
  readonly details: string;

  constructor(
    readonly fromVersion: number,
    readonly toVersion: number,
    cause: unknown,
    /** The step after the committed migration that failed, or null when it failed before the commit. */
    readonly unfinished: UpgradeStepAfterCommit | null,
    /** True when whether the migration committed could not be told (the database unreadable after the failure). */
    readonly appliedUnknown = false,
  ) {
    const failure = cause instanceof MigrationFailed ? cause.failure : cause;
    // After the commit, or when it may have happened, no reason may say nothing was kept.
    const described = describeSystemError(failure, undefined, {
      kept: unfinished !== null || appliedUnknown,
    });
    super(described?.kind ?? 'failure', described?.message ?? UNEXPECTED, {
      cause: failure,
      ...(described ? { sayingAgain: (next: NextStep) => described.messageSaying(next) } : {}),
    });
    this.name = 'StoreUpgradeFailed';
    this.details = rawDetails(failure);
  }
}

/** What a failure no helper knows says: what happened, and what to do. */
const UNEXPECTED =
  'Custos met an error it did not expect. Try again; if it fails again, keep the store as it is and give the details to whoever supports Custos';

/** `CODE: message`, or the message alone when the error has no code or its message starts with it (Node's do). */
function rawDetails(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.startsWith(code) ? `${code}: ${message}` : message;
}
