/**
 * Checks a bundle's timestamp tokens on every core. A token costs milliseconds of ASN.1 parsing in
 * JavaScript (asn1js and pkijs), one thread at a time, so a bundle of a thousand tokens took most
 * of ten seconds on one core; worker threads (token-check-worker) share them out in batches.
 * A few tokens are checked here, on the calling thread: a worker costs more to start than they do.
 * A thread that cannot start or dies gives its batch back, and whatever no thread took is checked
 * on the calling thread, so the outcome never depends on whether threads could run.
 * The worker's module is found beside this one (`threadModule`).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { threadModule } from '../thread-module.js';
import { checkOneToken, type TokenCheckJob, type TokenCheckOutcome, type TokenRoots } from './token-check.js';

/** Below this many tokens, starting threads costs more than it saves. */
const MIN_TOKENS_FOR_THREADS = 24;
const MAX_THREADS = 4;
/** Tokens per message: few enough to spread evenly, enough to make messaging cheap. */
const BATCH = 16;

/** Checks tokens, on threads when they are many; `close` stops the threads. */
export interface TokenChecks {
  check(job: TokenCheckJob): Promise<TokenCheckOutcome>;
  /** How many tokens worker threads have checked so far (the rest were checked on this thread). */
  checkedOnThreads(): number;
  close(): void;
}

interface Pending {
  readonly job: TokenCheckJob;
  readonly resolve: (outcome: TokenCheckOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Token checks against `roots` for a bundle of `expected` tokens: threads (one per core, up to 4)
 * when `expected` reaches MIN_TOKENS_FOR_THREADS (or `threads` says how many), else this thread.
 */
export function startTokenChecks(
  expected: number,
  roots: TokenRoots,
  options: { readonly threads?: number } = {},
): TokenChecks {
  const wanted =
    options.threads ??
    (expected < MIN_TOKENS_FOR_THREADS ? 0 : Math.min(os.availableParallelism(), MAX_THREADS));
  // One at a time here: verify-token keeps the last few tokens parsed, and a token is asked about
  // several times in a row (its check, then its trust); interleaved, each would be parsed again.
  let previous: Promise<unknown> = Promise.resolve();
  const checkHere = (job: TokenCheckJob): Promise<TokenCheckOutcome> => {
    const outcome = previous.then(() => checkOneToken(job, roots));
    previous = outcome.catch(() => undefined);
    return outcome;
  };
  if (wanted === 0) return { check: checkHere, checkedOnThreads: () => 0, close: () => undefined };
  const queue: Pending[] = [];
  const idle: (() => void)[] = [];
  const workers: Worker[] = [];
  let live = 0;
  let onThreads = 0;
  let closed = false;
  /** Whatever is queued once no thread is left is checked here. */
  const drainHere = () => {
    for (const pending of queue.splice(0)) checkHere(pending.job).then(pending.resolve, pending.reject);
  };
  /** Hands the queue to idle threads once the caller has queued what it has (a batch each, not a token). */
  let waking = false;
  const wake = () => {
    if (waking) return;
    waking = true;
    queueMicrotask(() => {
      waking = false;
      while (queue.length > 0 && idle.length > 0) idle.shift()?.();
    });
  };
  const { source, eval: isEval } = threadModule('token-check-worker', import.meta.url);
  for (let i = 0; i < wanted; i++) {
    let worker: Worker;
    try {
      worker = new Worker(source, { eval: isEval, workerData: roots });
    } catch {
      continue;
    }
    workers.push(worker);
    live++;
    let current: Pending[] = [];
    const next = () => {
      current = queue.splice(0, BATCH);
      if (current.length) worker.postMessage(current.map((p) => p.job));
      else idle.push(next);
    };
    worker.on('message', (message: 'ready' | readonly (TokenCheckOutcome | { error: string })[]) => {
      if (message !== 'ready')
        current.forEach((pending, index) => {
          const outcome = message[index];
          if (outcome && 'check' in outcome) {
            onThreads++;
            pending.resolve(outcome);
          } else pending.reject(new Error(outcome?.error ?? 'the token check thread gave no answer'));
        });
      next();
    });
    // A thread that fails or ends (it could not load, it ran out of memory) hands its batch back.
    let dead = false;
    const gone = () => {
      if (dead) return;
      dead = true;
      queue.unshift(...current);
      current = [];
      const waiting = idle.indexOf(next);
      if (waiting >= 0) idle.splice(waiting, 1);
      if (--live === 0 || closed) drainHere();
      else wake();
    };
    worker.once('error', gone);
    worker.once('exit', () => {
      if (!closed) gone();
    });
  }
  if (live === 0) return { check: checkHere, checkedOnThreads: () => 0, close: () => undefined };
  return {
    check: (job) =>
      new Promise<TokenCheckOutcome>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        if (live === 0) drainHere();
        else wake();
      }),
    checkedOnThreads: () => onThreads,
    close: () => {
      closed = true;
      for (const worker of workers) void worker.terminate();
    },
  };
}
