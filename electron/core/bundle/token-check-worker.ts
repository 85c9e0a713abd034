/**
 * The worker thread of `token-check-pool.ts`: checks the batches of tokens it is sent against the
 * roots it was started with, and answers each batch with its outcomes in the same order. A token
 * that throws (it never should) answers with the error's message, which the pool reports.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkOneToken, type TokenCheckJob, type TokenRoots } from './token-check.js';

const roots = workerData as TokenRoots;
parentPort?.on('message', async (jobs: readonly TokenCheckJob[]) => {
  const outcomes = [];
  for (const job of jobs) {
    try {
      outcomes.push(await checkOneToken(job, roots));
    } catch (error) {
      outcomes.push({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  parentPort?.postMessage(outcomes);
});
parentPort?.postMessage('ready');
