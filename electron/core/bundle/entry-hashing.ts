/**
 * Hashes a bundle's ZIP entries on every core: a small pool of worker threads, each with its own
 * file descriptor, reads entries straight from the ZIP (no temporary extraction) in 4 MiB reads and
 * hashes them; deflated entries are inflated in the worker, under the same size guard as
 * `openEntry`. Node's SHA-256 runs at about a third of OpenSSL's speed here, so one thread cannot
 * keep up with `openssl dgst`; two can come close. Entries go out in ZIP order, in batches, so the
 * reads stay near sequential and a thread never idles while another holds the rest.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { hashEntry, type InspectedZip, type ZipFileEntry } from './zip-reader.js';

/** The SHA-256 (hex) of an entry's uncompressed bytes, or why they could not be read. */
export type EntryDigest = { readonly sha256: string } | { readonly error: string };

/** What a worker is asked to hash: where the entry's bytes are and what they must unpack to. */
interface HashJob {
  readonly id: number;
  readonly start: number;
  readonly compressed: number;
  readonly size: number;
  readonly method: number;
}

interface HashResult {
  readonly id: number;
  readonly sha256?: string;
  readonly error?: string;
}

/** More threads than this only contend for the disk. */
const MAX_THREADS = 4;
/** A batch ends after this many bytes or entries, so that work spreads evenly over the threads. */
const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_ENTRIES = 256;

/**
 * The worker, as plain JavaScript evaluated in the thread (`eval: true`), so that it runs the same
 * from the TypeScript sources, the CLI bundle and the packaged app, with no file to ship beside them.
 * Its messages about sizes are the words `openEntry` uses.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { createHash } = require('node:crypto');
const { pipeline } = require('node:stream/promises');
const CHUNK = 4 * 1024 * 1024;
const INFLATE_WHOLE = 1024 * 1024;
const fd = fs.openSync(workerData.file, 'r');
const buffer = Buffer.allocUnsafe(CHUNK);

function readExactly(target, length, position) {
  for (let done = 0; done < length; ) {
    const n = fs.readSync(fd, target, done, length - done, position + done);
    if (n === 0) throw new Error('the archive ends inside this entry');
    done += n;
  }
}
const beyond = (job) => new Error('inflates beyond its declared ' + job.size + ' bytes');
const holds = (job, seen) =>
  new Error('holds ' + seen + ' bytes, not the ' + job.size + ' its header declares');

async function hashJob(job) {
  const hash = createHash('sha256');
  if (job.method === 0) {
    if (job.compressed !== job.size) throw job.compressed > job.size ? beyond(job) : holds(job, job.compressed);
    for (let at = 0; at < job.size; at += CHUNK) {
      const length = Math.min(CHUNK, job.size - at);
      readExactly(buffer, length, job.start + at);
      hash.update(buffer.subarray(0, length));
    }
    return hash.digest('hex');
  }
  if (job.compressed <= INFLATE_WHOLE) {
    const input = Buffer.allocUnsafe(job.compressed);
    readExactly(input, job.compressed, job.start);
    let output;
    try {
      output = zlib.inflateRawSync(input, { maxOutputLength: job.size + 1 });
    } catch (error) {
      if (error.code === 'ERR_BUFFER_TOO_LARGE') throw beyond(job);
      throw error;
    }
    if (output.length > job.size) throw beyond(job);
    if (output.length < job.size) throw holds(job, output.length);
    return hash.update(output).digest('hex');
  }
  let seen = 0;
  await pipeline(
    fs.createReadStream('', {
      fd, start: job.start, end: job.start + job.compressed - 1, autoClose: false, highWaterMark: CHUNK,
    }),
    zlib.createInflateRaw({ chunkSize: CHUNK }),
    async function (chunks) {
      for await (const chunk of chunks) {
        seen += chunk.length;
        if (seen > job.size) throw beyond(job);
        hash.update(chunk);
      }
    },
  );
  if (seen !== job.size) throw holds(job, seen);
  return hash.digest('hex');
}

parentPort.on('message', async (jobs) => {
  const results = [];
  for (const job of jobs) {
    try {
      results.push({ id: job.id, sha256: await hashJob(job) });
    } catch (error) {
      results.push({ id: job.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  parentPort.postMessage(results);
});
`;

/** How many threads to start: every core, within bounds. */
function threadCount(): number {
  return Math.max(1, Math.min(os.availableParallelism(), MAX_THREADS));
}

/** Cuts the jobs, in order, into batches of about BATCH_BYTES or BATCH_ENTRIES. */
function batches(jobs: readonly HashJob[]): HashJob[][] {
  const out: HashJob[][] = [];
  let batch: HashJob[] = [];
  let bytes = 0;
  for (const job of jobs) {
    batch.push(job);
    bytes += job.compressed;
    if (bytes >= BATCH_BYTES || batch.length >= BATCH_ENTRIES) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length) out.push(batch);
  return out;
}

/** One hashing thread: online (it opened the file) or failed (then its work goes elsewhere). */
interface HashThread {
  readonly worker: Worker;
  /** Resolves true once the thread runs, false if it failed or ended first. */
  ready: Promise<boolean>;
  exited: boolean;
}

/** Hashing threads started on a ZIP file ahead of the work, so that their start-up overlaps it. */
export interface HashThreads {
  /** The SHA-256 of each entry's uncompressed bytes, by name (see `hashOnThreads`); call once. */
  hash(zip: InspectedZip, entries: readonly ZipFileEntry[]): Promise<Map<string, EntryDigest>>;
  /** Stops the threads (when the work is given up before `hash`; `hash` stops them itself). */
  close(): void;
}

/**
 * Starts the hashing threads on `file` now: a thread costs tens of milliseconds to start, which
 * they spend while the caller reads the ZIP's directory and its control files.
 */
export function startHashThreads(file: string): HashThreads {
  const threads: HashThread[] = [];
  for (let i = 0; i < threadCount(); i++) {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file } });
    } catch {
      break;
    }
    const thread = { worker, exited: false, ready: Promise.resolve(false) };
    thread.ready = new Promise<boolean>((resolve) => {
      worker.once('online', () => resolve(true));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => {
        thread.exited = true;
        resolve(false);
      });
    });
    threads.push(thread);
  }
  const close = () => {
    for (const thread of threads) void thread.worker.terminate();
  };
  return { hash: (zip, entries) => hashOnThreads(threads, zip, entries).finally(close), close };
}

/**
 * The SHA-256 of each entry's uncompressed bytes, by name, hashed on the threads. A thread that
 * cannot start or dies gives its batch back; whatever no thread could take is hashed here, on the
 * main thread, by the stream `hashEntry` reads. Never throws for one entry: its error is its result.
 */
async function hashOnThreads(
  threads: readonly HashThread[],
  zip: InspectedZip,
  entries: readonly ZipFileEntry[],
): Promise<Map<string, EntryDigest>> {
  const jobs = entries.map((entry, id) => ({
    id,
    start: entry.dataStart,
    compressed: entry.entry.compressedSize,
    size: entry.size,
    method: entry.entry.compressionMethod,
  }));
  const queue = batches(jobs);
  const results = new Map<number, EntryDigest>();
  const runThread = (thread: HashThread) =>
    new Promise<void>((resolve) => {
      const { worker } = thread;
      let current: HashJob[] | undefined;
      // A thread that fails or ends (it could not open the file, it ran out of memory) hands its batch back.
      const giveBack = () => {
        if (current) queue.unshift(current);
        current = undefined;
        resolve();
      };
      const next = () => {
        current = queue.shift();
        if (current) worker.postMessage(current);
        else resolve();
      };
      worker.on('message', (done: HashResult[]) => {
        for (const r of done) results.set(r.id, r.sha256 ? { sha256: r.sha256 } : { error: r.error ?? '' });
        next();
      });
      worker.on('error', giveBack);
      worker.on('exit', giveBack);
      void thread.ready.then((online) => (online && !thread.exited ? next() : resolve()));
    });
  await Promise.all(threads.map(runThread));
  for (const batch of queue)
    for (const job of batch) results.set(job.id, await hashOnMainThread(zip, entries[job.id]!));
  return new Map(entries.map((entry, id) => [entry.name, results.get(id) ?? { error: 'was not hashed' }]));
}

async function hashOnMainThread(zip: InspectedZip, entry: ZipFileEntry): Promise<EntryDigest> {
  try {
    return { sha256: await hashEntry(zip, entry) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
