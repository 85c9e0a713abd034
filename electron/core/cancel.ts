/**
 * Cancelling long work. A service takes an `AbortSignal` and throws `Cancelled` at the next point
 * where stopping leaves nothing half-done; the API answers such a call as `cancelled`.
 */

/** The user stopped long work; what was finished stays, what was not is left undone. */
export class Cancelled extends Error {
  constructor(message = 'cancelled by the user') {
    super(message);
    this.name = 'Cancelled';
  }
}

/** Throws `Cancelled` when the user has cancelled (called between steps of long work). */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Cancelled();
}
