import type { ApiProgress } from '../../../../shared/api.js';
import { Cancelled } from '../../cancel.js';

export { Cancelled, throwIfCancelled } from '../../cancel.js';

/** What a handler gets besides its input: a way to report progress and to learn of a cancel. */
export interface CallContext {
  readonly signal: AbortSignal;
  readonly progress: (progress: ApiProgress) => void;
}

/** Whether an error is, or was caused by, a cancel. */
export function isCancel(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof Cancelled) return true;
  return false;
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
