import { describe, expect, test } from 'vitest';
import { jobAsker, poolSize, startWorkerPool } from '../../electron/core/worker-pool.js';

/**
 * A worker that squares numbers, as plain JavaScript evaluated in the thread; it ends its thread
 * (as one that runs out of memory would) when asked to square `workerData.dieAt`.
 */
const SQUARER = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', (jobs) => {
  if (jobs.includes(workerData.dieAt)) process.exit(1);
  parentPort.postMessage(jobs.map((n) => n * n));
});
parentPort.postMessage('ready');
`;

/**
 * A worker that answers its first batch and then fails (an uncaught exception): Node may tell of
 * the error before it delivers the answer posted just before.
 */
const ANSWERS_THEN_FAILS = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (jobs) => {
  parentPort.postMessage(jobs.map((n) => n * n));
  throw new Error('fails after answering');
});
parentPort.postMessage('ready');
`;

/** Squares 0..count-1 through a pool of `threads` threads; counts what was done on this thread. */
async function squares(threads: number, dieAt: number | null, count = 200) {
  const pool = startWorkerPool<number, number>({ source: SQUARER, eval: true }, threads, { dieAt });
  let here = 0;
  const square = jobAsker(pool, 8, {
    fromAnswer: (answer) => {
      if (answer === undefined) throw new Error('no answer');
      return answer;
    },
    runHere: async (n: number) => {
      here++;
      return n * n;
    },
  });
  try {
    const results = await Promise.all(Array.from({ length: count }, (_, n) => square(n)));
    return { results, here, running: pool.running() };
  } finally {
    await pool.close();
  }
}

const expected = (count = 200) => Array.from({ length: count }, (_, n) => n * n);

/**
 * Verify's hashing, custody signatures and token checks all run on this pool: every job must be
 * answered once, in the caller's order, whether threads answer it, die holding it, or none can run.
 */
describe('worker pool', () => {
  test('threads answer every job, each with its own result, in the order asked', async () => {
    const { results, here } = await squares(2, null);
    expect(results).toEqual(expected());
    expect(here).toBe(0);
  });

  test('a thread that dies holding a batch hands it back, and every job is still answered once', async () => {
    // Every thread dies on job 100: the batches they held are done here, the rest before by the threads.
    const { results, here, running } = await squares(2, 100);
    expect(results).toEqual(expected());
    expect(running).toBe(0);
    expect(here).toBeGreaterThan(0);
    expect(here).toBeLessThan(200);
  });

  test('a thread that answers and then fails is never sent work again, and every job is still answered once', async () => {
    // A late answer from a thread already given up on once made the pool send that dead thread
    // the next batch, which nothing answered: verify never ended. Whether Node delivers the error
    // or the answer first is its choice, so eight such threads race it, several times over.
    for (let run = 0; run < 5; run++) {
      const pool = startWorkerPool<number, number>({ source: ANSWERS_THEN_FAILS, eval: true }, 8, null);
      const square = jobAsker(pool, 8, {
        fromAnswer: (answer) => answer ?? Number.NaN,
        runHere: async (n: number) => n * n,
      });
      try {
        expect(await Promise.all(Array.from({ length: 400 }, (_, n) => square(n)))).toEqual(expected(400));
      } finally {
        await pool.close();
      }
    }
  });

  test('with no thread allowed (a cap of 0), every job is done on this thread', async () => {
    const { results, here, running } = await squares(poolSize(0), null);
    expect(running).toBe(0);
    expect(results).toEqual(expected());
    expect(here).toBe(200);
  });

  test('with no thread, a batch whose own work fails does not keep the batches after it from being done', async () => {
    const pool = startWorkerPool<number, number>({ source: SQUARER, eval: true }, 0, { dieAt: null });
    let answered: (answers: readonly number[]) => void = () => undefined;
    const after = new Promise<readonly number[]>((resolve) => {
      answered = resolve;
    });
    try {
      // runHere should never reject; if one ever did, the batches queued behind it must still run.
      pool.submit({
        jobs: [1],
        done: () => undefined,
        runHere: () => Promise.reject(new Error('failed here')),
      });
      pool.submit({ jobs: [3], done: answered, runHere: async () => answered([9]) });
      expect(await after).toEqual([9]);
    } finally {
      await pool.close();
    }
  });

  test('the cap bounds the threads: one per core, never more than asked', () => {
    expect(poolSize(0)).toBe(0);
    expect(poolSize(1)).toBe(1);
    expect(poolSize()).toBeGreaterThanOrEqual(1);
    expect(poolSize()).toBeLessThanOrEqual(4);
  });

  test('shares assigned to threads are answered by them, and a share with no thread for it is queued', async () => {
    const pool = startWorkerPool<number, number>({ source: SQUARER, eval: true }, 1, { dieAt: null });
    /** A batch of `jobs` whose answers (or -1 each, when done here) the promise gives. */
    const batch = (jobs: number[]) => {
      let answered: (answers: readonly number[]) => void = () => undefined;
      const answers = new Promise<readonly number[]>((resolve) => {
        answered = resolve;
      });
      return {
        answers,
        batch: { jobs, done: answered, runHere: async () => answered(jobs.map(() => -1)) },
      };
    };
    const own = batch([1, 2, 3]);
    const orphan = batch([7]);
    try {
      // Two shares for one thread: the second has no thread of its own and goes to the queue.
      pool.assign([[own.batch], [orphan.batch]]);
      expect(await own.answers).toEqual([1, 4, 9]);
      expect(await orphan.answers).toEqual([49]);
    } finally {
      await pool.close();
    }
  });
});
