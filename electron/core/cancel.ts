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

/**
 * Stops waiting for read-only work when the user cancels. The work itself runs to its end in the
 * background (it changes nothing), but the caller is answered at once.
 */
export function untilCancelled<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
