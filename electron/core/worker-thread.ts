/**
 * Every worker thread Custos starts is made here (`startWorker`): the PDF join's, the store
 * upgrade's and the pools' (worker-pool.ts). One place, because making a thread makes a V8 heap,
 * and V8 sets some of the process's flags back as it does: `Heap::ConfigureHeap` (deps/v8/src/heap/
 * heap.cc, Node 20's V8 11.3) raises `--semi-space-growth-factor` to 2 whenever it is below 2, and
 * the flags are the process's, not the heap's. Node makes a worker's heap on the worker's own
 * thread (`Worker::Run` -> `WorkerThreadData` -> `NewIsolate`, src/node_worker.cc), some time after
 * `new Worker` has returned: setting the flag again on the calling thread right after `new Worker`
 * comes too early, and at the worker's 'online' event too late, for the calling thread goes on
 * working (and collecting its young generation) in between.
 *
 * So a flag held through worker starts (`holdV8FlagThroughWorkers`: the CLI's export holds its
 * young generation, electron/cli/young-generation.ts) is set again by the worker itself, in the
 * first line it runs (its heap is made by then), and the starting thread waits for that line
 * before it goes on: it allocates nothing, and so collects nothing, while the flag is set back.
 * The wait is the thread's start (about 30 ms idle, 300 ms seen at load 6), once per thread.
 * Without a held flag a worker starts as `new Worker` starts it, with no wait.
 */
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { setEnvironmentData, Worker, type WorkerOptions } from 'node:worker_threads';

/** A worker's code: a module file, or source text evaluated in the thread (`eval`). */
export interface WorkerCode {
  readonly source: string | URL;
  readonly eval: boolean;
}

/** The environment-data key under which a started worker finds the held flag and the cell it signals on. */
const HELD = 'custos:held-v8-flag';

/**
 * How long the starting thread waits for a worker's first line. A worker that has not run it by
 * then (it could not start, or the machine is swamped) no longer holds up its caller; the flag is
 * then set again at its 'online' event, as for a worker some library starts.
 */
const START_WAIT_MS = 5_000;

let heldFlag: string | null = null;

/**
 * Sets the V8 flag `flag` (`--name=value`) now, and again whenever a worker thread's heap may have
 * set it back: in the first line of each worker started by `startWorker`, before the starting
 * thread goes on, and at the 'online' event of any other worker (one a library starts).
 */
export function holdV8FlagThroughWorkers(flag: string): void {
  v8.setFlagsFromString(flag);
  if (heldFlag === null) process.on('worker', (worker) => worker.once('online', setHeldFlagAgain));
  heldFlag = flag;
}

const setHeldFlagAgain = () => {
  if (heldFlag !== null) v8.setFlagsFromString(heldFlag);
};

/** Starts a worker thread running `code` (`options` as `new Worker`'s); with a held flag, returns once the flag is set again. */
export function startWorker(code: WorkerCode, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (heldFlag === null) return new Worker(code.source, { ...options, eval: code.eval });
  const firstLineRun = new Int32Array(new SharedArrayBuffer(4));
  // Environment data is copied into each worker as `new Worker` makes it: this one only.
  setEnvironmentData(HELD, { flag: heldFlag, firstLineRun });
  let worker: Worker;
  try {
    worker = new Worker(FLAG_AGAIN + body(code), { ...options, eval: true });
  } finally {
    setEnvironmentData(HELD, undefined);
  }
  Atomics.wait(firstLineRun, 0, 0, START_WAIT_MS);
  setHeldFlagAgain();
  return worker;
}

/** A worker's first line, with a held flag: sets it again, then lets the starting thread go on. In a block, so the worker's own code may use any name. */
const FLAG_AGAIN = `{
  const held = require('node:worker_threads').getEnvironmentData(${JSON.stringify(HELD)});
  require('node:v8').setFlagsFromString(held.flag);
  Atomics.store(held.firstLineRun, 0, 1);
  Atomics.notify(held.firstLineRun, 0);
}
`;

/** The worker's own code as source text run after that first line: a module file is imported (a failure to load it is the worker's error, as it would be without the line). */
function body(code: WorkerCode): string {
  if (code.eval) return String(code.source);
  const url = code.source instanceof URL ? code.source.href : pathToFileURL(code.source).href;
  return `import(${JSON.stringify(url)});`;
}
