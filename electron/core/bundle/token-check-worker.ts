/**
 * The worker thread of `token-check-pool.ts`: checks the batches of tokens it is sent against the
 * roots it was started with, and answers each batch with its outcomes in the same order. A token
 * that throws (it never should) answers with the error's message, which the pool reports.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkOneToken, type TokenCheckJob, type TokenRoots } from './token-check.js';

const roots = workerData as TokenRoots;

/** Checks one batch, token by token, and posts its outcomes; never rejects (a token's failure is its outcome). */
async function answerBatch(jobs: readonly TokenCheckJob[]): Promise<void> {
  const outcomes = [];
  for (const job of jobs) {
    try {
      outcomes.push(await checkOneToken(job, roots));
    } catch (error) {
      outcomes.push({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  parentPort?.postMessage(outcomes);
}

// The pool matches answers to batches by their order, and a token's check waits on asynchronous
// crypto: a later batch started meanwhile could be answered first, and a forged token take a sound
// one's verdict. Each batch waits for the one before it.
let last = Promise.resolve();
parentPort?.on('message', (jobs: readonly TokenCheckJob[]) => {
  last = last.then(() => answerBatch(jobs));
});
parentPort?.postMessage('ready');
