/**
 * Joins report.pdf's parts (pdf-join.ts) on a worker thread of its own, ended after, so that the
 * memory the join's parsing leaves behind goes with the thread's heap: joined on the export's own
 * thread, the bench case's parts left its heap about 50 MiB larger for the ZIP and the signing that
 * follow, and the export's peak RSS rose from 281 to 327 MiB (goal: 300). Where no thread can
 * start, or it dies, the join runs on this thread: the outcome never depends on threads.
 * The worker's module is found beside this one (`threadModule`).
 */
import fs from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { CustosError, type ErrorKind } from '../errors.js';
import { threadModule } from '../thread-module.js';
import { startWorker } from '../worker-thread.js';
import { joinPdfs } from './pdf-join.js';

/** What the thread is started with. */
export interface JoinJob {
  readonly parts: readonly string[];
  readonly out: string;
}

/** The thread's one answer. */
export type JoinAnswer = { readonly ok: true } | { readonly error: string; readonly kind: ErrorKind };

/**
 * The thread's heap kept small (the join's live data is a few MiB; a part's bytes are outside
 * the heap): its old generation is collected long before V8's default limits would let it grow.
 */
const LIMITS = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };

/** Joins `parts` into `out` as `joinPdfs` does, on a thread of its own when one can start. */
export async function joinPdfsOnThread(parts: readonly string[], out: string): Promise<void> {
  const code = threadModule('pdf-join-worker', import.meta.url);
  let worker: Worker;
  try {
    worker = startWorker(code, { workerData: { parts, out } satisfies JoinJob, resourceLimits: LIMITS });
  } catch {
    return joinPdfs(parts, out);
  }
  const answer = await new Promise<JoinAnswer | null>((resolve) => {
    worker.once('message', (message: JoinAnswer) => resolve(message));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  await worker.terminate();
  if (answer === null) {
    // The thread died (out of its heap, or its module missing): whatever it wrote goes, and the join runs here.
    await fs.rm(out, { force: true });
    return joinPdfs(parts, out);
  }
  if ('error' in answer) throw new CustosError(answer.kind, answer.error);
}
