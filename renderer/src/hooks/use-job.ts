import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiProgress, CallOptions } from '../../../shared/api.js';
import { ApiError } from '../platform/custos.js';

/** The state of one piece of long work. */
export type JobState<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly progress: ApiProgress | null }
  | { readonly status: 'done'; readonly value: T }
  | { readonly status: 'failed'; readonly error: ApiError };

/** Long work the user started and can cancel: its progress, its result or its error. */
export interface Job<A extends unknown[], T> {
  readonly state: JobState<T>;
  readonly running: boolean;
  start(...args: A): Promise<T | undefined>;
  cancel(): void;
  reset(): void;
}

/**
 * Runs long work with progress and a cancel. `work` gets the call options to pass to the API
 * (progress listener and abort signal). Leaving the screen cancels work still running.
 */
export function useJob<A extends unknown[], T>(
  work: (options: CallOptions, ...args: A) => Promise<T>,
): Job<A, T> {
  const [state, setState] = useState<JobState<T>>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);
  const workRef = useRef(work);
  workRef.current = work;

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(async (...args: A) => {
    controller.current?.abort();
    const own = new AbortController();
    controller.current = own;
    setState({ status: 'running', progress: null });
    // Progress can arrive hundreds of times a second: show at most one update per frame.
    let pending: ApiProgress | null = null;
    let frame = 0;
    const onProgress = (progress: ApiProgress) => {
      pending = progress;
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (controller.current === own && pending) setState({ status: 'running', progress: pending });
      });
    };
    try {
      const value = await workRef.current({ onProgress, signal: own.signal }, ...args);
      if (controller.current === own) setState({ status: 'done', value });
      return value;
    } catch (error) {
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError('failure', String((error as Error)?.message ?? error));
      if (controller.current === own) setState({ status: 'failed', error: failure });
      return undefined;
    } finally {
      cancelAnimationFrame(frame);
      if (controller.current === own) controller.current = null;
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);
  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return { state, running: state.status === 'running', start, cancel, reset };
}
