/**
 * The failure of an upgrade of a store an older Custos wrote, told apart from every other failure
 * of the reads that wait for it: the app remembers it (and shows why, with a way to try again)
 * where another error of the first read keeps its usual handling.
 */
import { CustosError } from '../errors.js';

/** An upgrade that failed: between which versions, and why. */
export class StoreUpgradeFailed extends CustosError {
  constructor(
    readonly fromVersion: number,
    readonly toVersion: number,
    cause: unknown,
  ) {
    super(cause instanceof CustosError ? cause.kind : 'failure', messageOf(cause), { cause });
    this.name = 'StoreUpgradeFailed';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
