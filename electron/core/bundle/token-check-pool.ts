/**
 * Checks a bundle's timestamp tokens on every core. A token costs milliseconds of ASN.1 parsing in
 * JavaScript (asn1js and pkijs), one thread at a time, so a bundle of a thousand tokens took most
 * of ten seconds on one core; worker threads (token-check-worker, in a `worker-pool.ts` pool)
 * share them out in batches. A few tokens are checked here, on the calling thread: a worker costs
 * more to start than they do. Whatever no thread can take is checked on the calling thread, one
 * token at a time, so the outcome never depends on whether threads could run.
 * The worker's module is found beside this one (`threadModule`).
 */
import { threadModule } from '../thread-module.js';
import { jobAsker, poolSize, startWorkerPool } from '../worker-pool.js';
import { checkOneToken, type TokenCheckJob, type TokenCheckOutcome, type TokenRoots } from './token-check.js';

/** Below this many tokens, starting threads costs more than it saves. */
export const MIN_TOKENS_FOR_THREADS = 24;
/** Tokens per message: few enough to spread evenly, enough to make messaging cheap. */
const BATCH = 16;

/** Checks tokens, on threads when they are many; `close` stops the threads. */
export interface TokenChecks {
  check(job: TokenCheckJob): Promise<TokenCheckOutcome>;
  /** How many tokens worker threads have checked so far (the rest were checked on this thread). */
  checkedOnThreads(): number;
  /** Stops the threads and awaits their end; call once every check is answered (or given up). */
  close(): Promise<void>;
}

/** A worker's answer for one token: its outcome, or the message of what it threw. */
type TokenAnswer = TokenCheckOutcome | { readonly error: string };

/**
 * Token checks against `roots` for a bundle of `expected` tokens: on threads (one per core, up to
 * four, and up to `threads`) once `expected` reaches MIN_TOKENS_FOR_THREADS, else on this thread.
 */
export function startTokenChecks(
  expected: number,
  roots: TokenRoots,
  options: { readonly threads?: number } = {},
): TokenChecks {
  const count = expected < MIN_TOKENS_FOR_THREADS ? 0 : poolSize(options.threads);
  const pool = startWorkerPool<TokenCheckJob, TokenAnswer>(
    threadModule('token-check-worker', import.meta.url),
    count,
    roots,
  );
  let onThreads = 0;
  // On this thread the checks run one at a time (the pool does one batch after the other, each a
  // token at a time): verify-token keeps the last few tokens parsed, and a token is asked about
  // several times in a row (its check, then its trust); interleaved, each would be parsed again.
  const check = jobAsker(pool, BATCH, {
    fromAnswer: (answer) => {
      if (!answer || !('check' in answer))
        throw new Error(answer?.error ?? 'the token check thread gave no answer');
      onThreads++;
      return answer;
    },
    runHere: (job: TokenCheckJob) => checkOneToken(job, roots),
  });
  return { check, checkedOnThreads: () => onThreads, close: () => pool.close() };
}
