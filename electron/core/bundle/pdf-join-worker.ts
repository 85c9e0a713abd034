/**
 * The worker thread of `pdf-join-thread.ts`: joins the parts it was started with into the file it
 * was given, then answers once: `{ ok: true }`, or the refusal or failure as a message and its kind.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CustosError } from '../errors.js';
import { joinPdfs } from './pdf-join.js';
import type { JoinAnswer, JoinJob } from './pdf-join-thread.js';

const { parts, out } = workerData as JoinJob;
joinPdfs(parts, out).then(
  () => parentPort?.postMessage({ ok: true } satisfies JoinAnswer),
  (error: unknown) =>
    parentPort?.postMessage({
      error: error instanceof Error ? error.message : String(error),
      kind: error instanceof CustosError ? error.kind : 'failure',
    } satisfies JoinAnswer),
);
