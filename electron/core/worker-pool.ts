/**
 * A small pool of worker threads that answer batches of jobs: verify's hashing and custody
 * signatures (bundle/verify-threads.ts) and its timestamp tokens (bundle/token-check-pool.ts).
 * The one place for starting the threads, handing out work (a thread's own share at once, or a
 * common queue that whichever thread runs out of work takes from), collecting the answers, a
 * thread that cannot start or dies (its batches go back to the queue), work no thread is left
 * for (done on the calling thread by the batch's own `runHere`, one batch after the other, so the
 * outcome never depends on whether threads could run), and closing.
 *
 * A worker posts 'ready' once it can take work, then answers each message (an array of jobs)
 * with one message (an array of answers, one per job, in order), in the order the messages came.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker, type WorkerCode } from './worker-thread.js';

/** More threads than this only contend for the disk and the memory bus. */
const MAX_THREADS = 4;

/** Jobs sent to a thread in one message, with what to do with its answers, or without a thread. */
export interface PoolBatch<Job, Answer> {
  readonly jobs: readonly Job[];
  /** Takes a thread's answers, one per job, in order. */
  done(answers: readonly Answer[]): void;
  /** Does the jobs on the calling thread, when no thread is left to; never rejects (a job's failure is its result). */
  runHere(): Promise<void>;
}

/** Running threads that take batches; `close` stops them. */
export interface WorkerPool<Job, Answer> {
  /** How many threads are running (0: every batch is done on the calling thread). */
  running(): number;
  /** Queues a batch for whichever thread runs out of work first. */
  submit(batch: PoolBatch<Job, Answer>): void;
  /**
   * Sends each running thread its share at once (shares[i] to the i-th), so that it never waits
   * for the calling thread to hand it the next batch; a share with no thread for it is queued.
   */
  assign(shares: readonly (readonly PoolBatch<Job, Answer>[])[]): void;
  /** Stops the threads and awaits their end; answers still due are dropped (call once they are in, or the work is given up). */
  close(): Promise<void>;
}

/** How many threads a pool may start: one per core, up to MAX_THREADS and `cap` (0: none). */
export function poolSize(cap?: number): number {
  return Math.max(0, Math.min(os.availableParallelism(), MAX_THREADS, cap ?? MAX_THREADS));
}

/** One worker thread as the pool sees it. */
interface Thread<Job, Answer> {
  /** Batches sent and not answered yet, in the order sent (a thread answers in that order). */
  readonly inFlight: PoolBatch<Job, Answer>[];
  /** Whether it said 'ready': only then does it take from the common queue. */
  ready: boolean;
  /** Whether it failed or ended: its batches were handed back and it is sent nothing more. */
  gone: boolean;
  post(batch: PoolBatch<Job, Answer>): void;
}

/** Starts `count` threads running `code`, each given `workerData`; those that cannot start are left out. */
export function startWorkerPool<Job, Answer>(
  code: WorkerCode,
  count: number,
  workerData: unknown,
): WorkerPool<Job, Answer> {
  const queue: PoolBatch<Job, Answer>[] = [];
  const threads: Thread<Job, Answer>[] = [];
  const workers: Worker[] = [];
  let closed = false;
  /** Once no thread is left, each batch is done here, one after the other. */
  let here = Promise.resolve();
  const drainHere = () => {
    // runHere never rejects by contract; should one ever, the batches after it must still be done.
    for (const batch of queue.splice(0)) here = here.then(() => batch.runHere()).catch(() => undefined);
  };
  const pull = (thread: Thread<Job, Answer>) => {
    if (!thread.ready || thread.inFlight.length > 0) return;
    const batch = queue.shift();
    if (batch) thread.post(batch);
  };
  const handOut = () => {
    if (threads.length === 0) drainHere();
    else for (const thread of threads) pull(thread);
  };

  for (let i = 0; i < count; i++) {
    let worker: Worker;
    try {
      worker = startWorker(code, { workerData });
    } catch {
      break;
    }
    workers.push(worker);
    const thread: Thread<Job, Answer> = {
      inFlight: [],
      ready: false,
      gone: false,
      post(batch) {
        // A thread that is gone would never answer: the batch stays with the pool.
        if (thread.gone) {
          queue.push(batch);
          return;
        }
        thread.inFlight.push(batch);
        worker.postMessage(batch.jobs);
      },
    };
    threads.push(thread);
    worker.on('message', (message: 'ready' | readonly Answer[]) => {
      // Node may deliver a thread's error before the answer it posted just before failing: that
      // answer's batch was handed back already, and a dead thread must not pull another one.
      if (thread.gone || closed) return;
      if (message === 'ready') thread.ready = true;
      else thread.inFlight.shift()?.done(message);
      pull(thread);
    });
    // A thread that fails or ends (it could not load or open its file, it ran out of memory)
    // hands its batches back, to the front of the queue: they were the first given out.
    const leave = () => {
      if (thread.gone || closed) return;
      thread.gone = true;
      threads.splice(threads.indexOf(thread), 1);
      queue.unshift(...thread.inFlight.splice(0));
      handOut();
    };
    // 'on', not 'once': an 'error' emitted with no listener would be thrown in the calling thread.
    worker.on('error', leave);
    worker.once('exit', leave);
  }

  return {
    running: () => threads.length,
    submit(batch) {
      queue.push(batch);
      handOut();
    },
    assign(shares) {
      const owners = [...threads];
      for (const [i, share] of shares.entries()) {
        const owner = owners[i];
        if (owner) for (const batch of share) owner.post(batch);
        else queue.push(...share);
      }
      handOut();
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/**
 * Asks a pool one job at a time, as a promise of its result: the jobs asked synchronously go out
 * together once the caller stops asking (the next microtask), in batches of up to `batchSize`.
 * `fromAnswer` turns a thread's answer into the result (or throws: that job's promise rejects);
 * `runHere` gives the result on the calling thread, when no thread is left.
 */
export function jobAsker<Job, Answer, Result>(
  pool: WorkerPool<Job, Answer>,
  batchSize: number,
  how: {
    readonly fromAnswer: (answer: Answer | undefined) => Result;
    readonly runHere: (job: Job) => Promise<Result>;
  },
): (job: Job) => Promise<Result> {
  interface Asked {
    readonly job: Job;
    readonly resolve: (result: Result) => void;
    readonly reject: (error: unknown) => void;
  }
  let gathered: Asked[] = [];
  const flush = () => {
    const asked = gathered;
    gathered = [];
    if (asked.length === 0) return;
    pool.submit({
      jobs: asked.map((a) => a.job),
      done: (answers) => {
        for (const [i, a] of asked.entries()) {
          try {
            a.resolve(how.fromAnswer(answers[i]));
          } catch (error) {
            a.reject(error);
          }
        }
      },
      runHere: async () => {
        for (const a of asked) await how.runHere(a.job).then(a.resolve, a.reject);
      },
    });
  };
  return (job) =>
    new Promise<Result>((resolve, reject) => {
      if (gathered.length === 0) queueMicrotask(flush);
      gathered.push({ job, resolve, reject });
      if (gathered.length >= batchSize) flush();
    });
}
