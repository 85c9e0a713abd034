import type { ApiProgress } from '../../../../shared/api.js';
import { Cancelled } from '../../cancel.js';

export { Cancelled, throwIfCancelled, untilCancelled } from '../../cancel.js';

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
