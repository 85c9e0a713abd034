/**
 * verify's worker threads: a small pool started on a bundle's ZIP before it is inspected, that
 * does verify's heavy work on every core. It hashes entries, each thread with its own file
 * descriptor, straight from the ZIP (no temporary extraction) in 4 MiB reads, inflating deflated
 * entries under the same size guard as `openEntry`; and it checks custody entries' Ed25519
 * signatures (about 160 µs each here: two thousand of them were a third of a second on the main
 * thread). Each thread gets its share of the entries at once (in the order of their data in the
 * ZIP, about equal bytes each), so it never waits for the main thread between batches; signatures, which come later as
 * the main thread reads custody.jsonl, and any batch given back go to whichever thread runs out of
 * work first, so the threads end close together. A thread that cannot start or dies gives its
 * batches back; whatever no thread can take is done on the main thread by the same checks
 * (`hashEntry`, `entrySignatureValid`), so the result never depends on whether threads could run.
 */

import { errorCode } from '../errors.js';
import { jobAsker, type PoolBatch, poolSize, startWorkerPool } from '../worker-pool.js';
import { type EntrySignatureCheck, entrySignatureValid } from './custody-check.js';
import { FILE_CHANGED, hashEntry, type InspectedZip, type ZipFileEntry } from './zip-reader.js';

/**
 * The SHA-256 (hex) of an entry's uncompressed bytes, or why they could not be read, with the
 * failure's `code` when it had one (EIO: the disk's failure, FILE_CHANGED: another file).
 */
export type EntryDigest = { readonly sha256: string } | { readonly error: string; readonly code?: string };

/** What a thread is asked to hash: where the entry's bytes are and what they must unpack to. */
interface HashJob {
  readonly kind: 'hash';
  readonly start: number;
  readonly compressed: number;
  readonly size: number;
  readonly method: number;
  /** The ZIP's key at its first open (`fileKey`): the thread's own open must find the same file. */
  readonly key: string;
}

/** A custody entry's signature for a thread to check: the key (PEM), the signed text, the signature in base64. */
interface SignatureJob {
  readonly kind: 'signature';
  readonly key: string;
  readonly data: string;
  readonly signature: string;
}

/** A thread's answer to one job, in the order of its batch. */
type JobAnswer =
  | { readonly sha256: string }
  | { readonly error: string; readonly code?: string }
  | { readonly valid: boolean };

/** A batch of hashing ends after this many bytes or entries, so that work spreads evenly over the threads. */
const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_ENTRIES = 256;
/** Signatures per batch: about 10 ms of a thread's work, so the last batches end close together. */
const SIGNATURE_BATCH = 64;

/**
 * The worker, as plain JavaScript evaluated in the thread (`eval: true`), so that it runs the same
 * from the TypeScript sources, the CLI bundle and the packaged app, with no file to ship beside them
 * and nothing to load but Node's own modules. Its messages about sizes are the words `openEntry`
 * uses; its signature check is `verifySignature`'s (signing-key.ts): any failure is "does not verify".
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { createHash, createPublicKey, hash: oneShotHash, verify } = require('node:crypto');
const CHUNK = 4 * 1024 * 1024;
const INFLATE_WHOLE = 1024 * 1024;
// Entries up to this size are read through the window: one read for a run of them.
const WINDOW_ENTRY = 64 * 1024;
// More bytes than this between two entries end a run: the local header and name between two
// entries are tens of bytes; a gap this size is a large entry's or a crafted ZIP's.
const WINDOW_GAP = 64 * 1024;
// Opened with the first batch to hash, once the caller has checked the file (a regular file, a ZIP
// inspected): threads are started ahead of those checks, and opening a named pipe would block the
// thread where no terminate reaches it.
let fd = -1;
// Set when the file opened is not the one the caller opened first: every hash job's answer (FILE_CHANGED).
let otherFile = null;
const buffer = Buffer.allocUnsafe(CHUNK);
const win = { buffer: Buffer.allocUnsafe(CHUNK), start: 0, end: 0 };
const keys = new Map();

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

// A small entry's stored bytes, read through the window: on a miss, one read covers it and the run
// of small entries after it in the batch (thousands of small files are one read per few hundred, not
// one each). The run ends at CHUNK bytes, at an entry that starts before the one ahead of it ends
// (entries come in data order; one that does not is a crafted ZIP's) and at a gap of more than
// WINDOW_GAP bytes, so that a read never carries much that is not the run's own entries. If that
// read fails (a later entry past the archive's end), the entry is read alone, so that an error is
// always its own.
function windowed(jobs, i) {
  const job = jobs[i];
  if (job.start < win.start || job.start + job.compressed > win.end) {
    let end = job.start + job.compressed;
    for (let j = i + 1; j < jobs.length; j++) {
      const next = jobs[j];
      if (next.kind !== 'hash' || next.compressed > WINDOW_ENTRY) break;
      if (next.start < end || next.start - end > WINDOW_GAP) break;
      if (next.start + next.compressed - job.start > CHUNK) break;
      end = next.start + next.compressed;
    }
    win.end = 0;
    try {
      readExactly(win.buffer, end - job.start, job.start);
    } catch {
      readExactly(win.buffer, job.compressed, job.start);
      end = job.start + job.compressed;
    }
    win.start = job.start;
    win.end = end;
  }
  return win.buffer.subarray(job.start - win.start, job.start - win.start + job.compressed);
}

async function hashJob(jobs, i) {
  const job = jobs[i];
  if (job.compressed <= WINDOW_ENTRY && (job.method !== 0 || job.compressed === job.size)) {
    const bytes = windowed(jobs, i);
    return oneShotHash('sha256', job.method === 0 ? bytes : inflateWhole(job, bytes), 'hex');
  }
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
    return hash.update(inflateWhole(job, input)).digest('hex');
  }
  let seen = 0;
  // Loaded only for a large deflated entry: most bundles have none, and each thread's start pays it.
  const { pipeline } = require('node:stream/promises');
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

function inflateWhole(job, input) {
  let output;
  try {
    output = zlib.inflateRawSync(input, { maxOutputLength: job.size + 1 });
  } catch (error) {
    if (error.code === 'ERR_BUFFER_TOO_LARGE') throw beyond(job);
    throw error;
  }
  if (output.length > job.size) throw beyond(job);
  if (output.length < job.size) throw holds(job, output.length);
  return output;
}

function signatureValid(job) {
  try {
    let key = keys.get(job.key);
    if (!key) {
      key = createPublicKey(job.key);
      keys.set(job.key, key);
    }
    return verify(null, Buffer.from(job.data, 'utf8'), key, Buffer.from(job.signature, 'base64'));
  } catch {
    return false;
  }
}

// Opens the ZIP and checks that it is the file the caller opened first (fileKey in zip-reader.ts):
// another file at the path (renamed over it, or written to) is FILE_CHANGED, never hashed. A file
// that cannot be opened at all ends the thread, as any failure does (see the message handler).
function openChecked(key) {
  fd = fs.openSync(workerData.file, 'r');
  const s = fs.fstatSync(fd, { bigint: true });
  if (s.dev + ':' + s.ino + ':' + s.size + ':' + s.mtimeNs !== key)
    otherFile = Object.assign(new Error('the file changed'), { code: ${JSON.stringify(FILE_CHANGED)} });
}

async function runBatch(jobs) {
  const first = jobs.find((job) => job.kind === 'hash');
  if (fd < 0 && first) openChecked(first.key);
  const results = [];
  win.end = 0; // the window serves one batch's runs only

  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    if (job.kind === 'signature') {
      results.push({ valid: signatureValid(job) });
      continue;
    }
    try {
      if (otherFile) throw otherFile;
      results.push({ sha256: await hashJob(jobs, i) });
    } catch (error) {
      const code = typeof error?.code === 'string' ? error.code : undefined;
      results.push({ error: error instanceof Error ? error.message : String(error), code });
    }
  }
  parentPort.postMessage(results);
}

// Batches come several at a time; each is answered in turn, in the order it came.
let last = Promise.resolve();
// A thread that fails otherwise ends: the pool hands its batches back, to be done on the calling thread.
parentPort.on('message', (jobs) => {
  last = last.then(() => runBatch(jobs)).catch(() => process.exit(1));
});
parentPort.postMessage('ready');
`;

/**
 * Cuts the jobs into batches of about BATCH_BYTES or BATCH_ENTRIES, in the order of their data in
 * the ZIP (each keeps its id, its place in the caller's list). Not the directory's order: a sender
 * chooses that, and one that alternates low and high entries made every small entry a read of the
 * bytes up to its partner (a 5.9 MB bundle read as 40 GB); in data order a thread's reads run
 * forward through the file, and the shares, cut from this order by bytes, stay even.
 */
function hashBatches(jobs: readonly HashJob[]): { id: number; job: HashJob }[][] {
  const out: { id: number; job: HashJob }[][] = [];
  let batch: { id: number; job: HashJob }[] = [];
  let bytes = 0;
  const inDataOrder = jobs
    .map((job, id) => ({ id, job }))
    .sort((a, b) => a.job.start - b.job.start || a.id - b.id);
  for (const { id, job } of inDataOrder) {
    batch.push({ id, job });
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

/**
 * Cuts the batches, in order, into `count` runs of about equal bytes (the work is mostly reading
 * and hashing them); each run is one thread's share.
 */
function sharesByBytes<T extends readonly { readonly job: HashJob }[]>(
  batches: readonly T[],
  count: number,
): T[][] {
  const bytesOf = (batch: T) => batch.reduce((sum, b) => sum + b.job.compressed + 1, 0);
  const total = batches.reduce((sum, batch) => sum + bytesOf(batch), 0);
  const shares: T[][] = Array.from({ length: count }, () => []);
  let before = 0;
  for (const batch of batches) {
    const bytes = bytesOf(batch);
    // The share whose part of all the bytes holds this batch's middle.
    const share = Math.min(count - 1, Math.floor(((before + bytes / 2) / total) * count));
    shares[share]!.push(batch);
    before += bytes;
  }
  return shares;
}

/** verify's threads on one ZIP file, started ahead of the work so that their start-up overlaps it. */
export interface VerifyThreads {
  /** The ZIP file the threads read. */
  readonly file: string;
  /** The SHA-256 of each entry's uncompressed bytes, by name; never rejects (an entry's error is its result). */
  hash(zip: InspectedZip, entries: readonly ZipFileEntry[]): Promise<Map<string, EntryDigest>>;
  /** Checks a custody entry's signature on a thread (batched), as `entrySignatureValid` would. */
  readonly checkSignature: EntrySignatureCheck;
  /** Stops the threads and awaits their end; call once the answers are in (or the work is given up). Again: nothing more. */
  close(): Promise<void>;
}

/**
 * Starts verify's threads on `file` now: a thread costs tens of milliseconds to start, which they
 * spend while the caller reads the ZIP's directory and its control files. `threads` caps the
 * count (0: everything on this thread).
 */
export function startVerifyThreads(file: string, options: { readonly threads?: number } = {}): VerifyThreads {
  const pool = startWorkerPool<HashJob | SignatureJob, JobAnswer>(
    { source: WORKER_SOURCE, eval: true },
    poolSize(options.threads),
    { file },
  );
  // Lines come in synchronously, a chunk of custody.jsonl at a time: what one chunk gathered goes
  // out once it is checked, in batches of SIGNATURE_BATCH.
  const askSignature = jobAsker(pool, SIGNATURE_BATCH, {
    fromAnswer: (answer) => (answer as { valid?: boolean } | undefined)?.valid === true,
    runHere: async (job: SignatureJob) => entrySignatureValid(job.key, job.data, job.signature),
  });
  const checkSignature: EntrySignatureCheck = (key, data, signature) =>
    askSignature({ kind: 'signature', key, data, signature });

  const hash = (zip: InspectedZip, entries: readonly ZipFileEntry[]) =>
    new Promise<Map<string, EntryDigest>>((resolve) => {
      const results = new Map<number, EntryDigest>();
      const all = hashBatches(
        entries.map((entry) => ({
          kind: 'hash',
          start: entry.dataStart,
          compressed: entry.entry.compressedSize,
          size: entry.size,
          method: entry.entry.compressionMethod,
          key: zip.key,
        })),
      );
      let left = all.length;
      const finished = () => {
        if (--left > 0) return;
        resolve(
          new Map(entries.map((entry, id) => [entry.name, results.get(id) ?? { error: 'was not hashed' }])),
        );
      };
      if (left === 0) return resolve(new Map());
      const toBatch = (batch: readonly { id: number; job: HashJob }[]): PoolBatch<HashJob, JobAnswer> => ({
        jobs: batch.map((b) => b.job),
        done: (answers) => {
          for (const [i, { id }] of batch.entries()) {
            const answer = answers[i] as { sha256?: string; error?: string; code?: string } | undefined;
            results.set(
              id,
              answer?.sha256
                ? { sha256: answer.sha256 }
                : {
                    error: answer?.error ?? 'the hashing thread gave no answer',
                    ...(answer?.code ? { code: answer.code } : {}),
                  },
            );
          }
          finished();
        },
        runHere: async () => {
          for (const { id } of batch) results.set(id, await hashOnMainThread(zip, entries[id]!));
          finished();
        },
      });
      // Each thread gets its whole share at once, so that it never waits for this thread (busy
      // with the manifest and custody) to hand it the next batch; what a thread gives back, and
      // the signatures that follow, go to whichever thread runs out of work first.
      pool.assign(sharesByBytes(all, Math.max(1, pool.running())).map((share) => share.map(toBatch)));
    });

  let closing: Promise<void> | undefined;
  return { file, hash, checkSignature, close: () => (closing ??= pool.close()) };
}

/**
 * An entry's digest as a thread gives it, worked out here. `openEntry` starts its size messages
 * with the entry's name, which the thread's leave out (the report names the file already): it is
 * dropped, so that the report reads the same word for word with threads or without.
 */
async function hashOnMainThread(zip: InspectedZip, entry: ZipFileEntry): Promise<EntryDigest> {
  try {
    return { sha256: await hashEntry(zip, entry) };
  } catch (error) {
    const message = (error as Error).message;
    const named = `${entry.name} `;
    const code = errorCode(error);
    return {
      error: message.startsWith(named) ? message.slice(named.length) : message,
      ...(code ? { code } : {}),
    };
  }
}
