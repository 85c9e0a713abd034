/**
 * Writes a bundle's ZIP (and a WACZ's: `core/wacz/wacz-writer.ts`) with yazl, streaming: one input
 * file open at a time, ZIP64 when needed, already-compressed media stored as they are. Every entry
 * is hashed as it streams (for SHA256SUMS and the manifest), and artifacts are checked against the
 * SHA-256 the store recorded, so a blob that changed on disk can never leave in a bundle.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import * as yazl from 'yazl';
import { Cancelled } from '../cancel.js';
import { errorSaying } from '../errors.js';
import { PooledFileReader, type ReadBufferPool } from './read-buffer-pool.js';

/**
 * yazl computes each entry's CRC-32 with buffer-crc32, a table-driven JavaScript loop that ran at
 * about 100 MB/s here: a fifth of an export's time went into it. Node's `zlib.crc32` (20.15 and
 * later) computes the same checksum natively, and yazl looks `unsigned` up on each call, so
 * pointing it there makes yazl's CRCs native. Where either is missing, yazl keeps its own.
 */
function adoptNativeCrc32(): void {
  const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (!native) return;
  try {
    const fromYazl = createRequire(createRequire(import.meta.url).resolve('yazl'));
    const crc32 = fromYazl('buffer-crc32') as { unsigned: (buffer: Buffer, previous?: number) => number };
    crc32.unsigned = (buffer, previous) => native(buffer, previous ?? 0);
  } catch {
    // yazl or buffer-crc32 resolved elsewhere (a bundled build): yazl's own CRC stays, only slower.
  }
}
adoptNativeCrc32();

/** SHA-256 and size of something written. */
export interface Hashed {
  readonly sha256: string;
  readonly size: number;
}

/** A pass-through stream that hashes and counts what flows through it. */
export class HashingTap extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private digest: string | undefined;

  constructor(private readonly onBytes?: (total: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    done();
  }

  /** The SHA-256 and size, once the stream has ended. */
  get result(): Hashed {
    if (this.digest === undefined) throw new Error('the stream has not ended yet');
    return { sha256: this.digest, size: this.bytes };
  }
}

/** A tap that fails the stream when the bytes do not hash to what was expected. */
class ExpectingTap extends HashingTap {
  constructor(
    private readonly what: string,
    private readonly expected: Hashed,
  ) {
    super();
  }

  override _flush(done: TransformCallback): void {
    super._flush((error) => {
      if (error) return done(error);
      const found = this.result;
      if (found.sha256 !== this.expected.sha256 || found.size !== this.expected.size) {
        return done(
          errorSaying(
            'integrity',
            (next) =>
              `${this.what} changed on disk: it hashes to ${found.sha256} (${found.size} bytes), the store recorded ${this.expected.sha256} (${this.expected.size} bytes); ${next.audit} (no bundle was written)`,
          ),
        );
      }
      done();
    });
  }
}

const STORED_TYPES =
  /^(image\/(png|jpeg|gif|webp|avif|heic|heif)|video\/|audio\/(mpeg|mp4|aac|ogg|opus|webm)|application\/(zip|gzip|x-gzip|x-7z-compressed|x-xz|x-bzip2|zstd|pdf|warc\+gzip|vnd\.openxmlformats|epub\+zip))/;
const STORED_EXTENSIONS =
  /\.(png|jpe?g|gif|webp|avif|heic|mp4|m4v|mov|webm|mkv|mp3|m4a|aac|ogg|opus|zip|gz|tgz|7z|xz|bz2|zst|pdf|docx|xlsx|pptx|odt|epub|jar|apk)$/i;

/** Whether a file is already compressed, so deflating it again would only cost time. */
export function isAlreadyCompressed(mediaType: string, name: string): boolean {
  return STORED_TYPES.test(mediaType) || STORED_EXTENSIONS.test(name);
}

/**
 * Builds one bundle ZIP; read the bytes from `output`. A cancel (`signal`) fails it at once: the
 * file being streamed stops mid-way and no further file is opened.
 */
export class BundleZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly hashes = new Map<string, Hashed>();
  private readonly pending: Promise<void>[] = [];
  /** The entries being streamed now (yazl reads one at a time), to stop on a cancel. */
  private readonly streaming = new Set<HashingTap>();
  private rejectFailure: (error: Error) => void = () => undefined;
  /** The first failure: no file is opened after it (yazl would stream it into a ZIP nobody reads). */
  private failed: Error | null = null;
  /** Rejects as soon as any entry or the ZIP itself fails, or the export is cancelled; never resolves. */
  readonly failure: Promise<never>;

  /**
   * `readPool`: buffers to read the stored (not deflated) files into, given only where the ZIP's bytes
   * go straight to a file that returns them to the pool once written (read-buffer-pool.ts).
   */
  constructor(
    private readonly mtime: Date,
    private readonly signal?: AbortSignal,
    private readonly readPool?: ReadBufferPool,
  ) {
    this.failure = new Promise<never>((_, reject) => {
      this.rejectFailure = (error) => {
        this.failed ??= error;
        reject(error);
      };
    });
    this.failure.catch(() => undefined);
    this.zip.on('error', (error: Error) => this.rejectFailure(error));
    signal?.addEventListener('abort', () => this.fail(new Cancelled()), { once: true });
  }

  /**
   * Fails the whole ZIP from outside: a cancel, or the file it is written to failing (a full
   * disk). The entry being streamed stops at once; without this a failed output would stop reading
   * the ZIP, and everything waiting on the entries (`settled`) would wait forever.
   */
  fail(error: Error): void {
    this.rejectFailure(error);
    for (const tap of this.streaming) tap.destroy(error);
  }

  /** The ZIP's bytes, as yazl produces them. */
  get output(): NodeJS.ReadableStream {
    return this.zip.outputStream;
  }

  /** Adds bytes held in memory (control files, small reports). */
  addBuffer(path: string, data: Buffer, compress = true): Hashed {
    const hashed = { sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
    this.hashes.set(path, hashed);
    this.zip.addBuffer(data, path, { mtime: this.mtime, mode: 0o100644, compress });
    return hashed;
  }

  /**
   * Adds a file from disk, streamed when yazl reaches it. With `expected`, the bytes must hash to
   * it or the whole bundle fails, naming the file by `storedAs` (else `path`): an artifact by its
   * path in a sealed bundle, `items/<id>/<name>`, also where another archive (the WACZ a bundle
   * carries) puts it elsewhere.
   */
  addFile(
    path: string,
    file: string,
    options: { compress: boolean; expected?: Hashed; storedAs?: string },
  ): void {
    const tap = options.expected
      ? new ExpectingTap(`the stored file of ${options.storedAs ?? path}`, options.expected)
      : new HashingTap();
    const done = new Promise<void>((resolve, reject) => {
      tap.on('end', resolve);
      tap.on('error', reject);
    }).then(() => {
      this.hashes.set(path, tap.result);
    });
    done.catch((error: Error) => this.rejectFailure(error));
    this.pending.push(done);
    this.zip.addReadStreamLazy(
      path,
      {
        mtime: this.mtime,
        mode: 0o100644,
        compress: options.compress,
        ...(options.expected ? { size: options.expected.size } : {}),
      },
      (callback) => {
        if (this.signal?.aborted) return callback(new Cancelled(), tap);
        if (this.failed) return callback(this.failed, tap);
        const chunkBytes = readChunkBytes(options.expected?.size);
        // Deflated files are read into fresh buffers: zlib consumes them, so they never reach the
        // bundle file that would return them to the pool.
        const source =
          this.readPool && !options.compress
            ? new PooledFileReader(file, this.readPool, chunkBytes)
            : fs.createReadStream(file, { highWaterMark: chunkBytes });
        source.on('error', (error: Error) => tap.destroy(error));
        this.streaming.add(tap);
        tap.on('close', () => {
          this.streaming.delete(tap);
          source.destroy();
        });
        callback(null, source.pipe(tap));
      },
    );
  }

  /** Waits until every file added so far has been written, and returns the hashes of all entries. */
  async settled(): Promise<ReadonlyMap<string, Hashed>> {
    await Promise.race([Promise.all(this.pending), this.failure]);
    return this.hashes;
  }

  /** No more entries: the ZIP's central directory follows. */
  end(): void {
    this.zip.end();
  }
}

/** The largest read of a file streamed into the ZIP. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * How much to read at a time from a file of `size` bytes (unknown: the largest read). Node's read
 * stream allocates a buffer of this size for every read, the last empty one too, so a 4 KiB file read
 * with 1 MiB chunks cost 2 MiB of fresh memory outside V8's heap: 2,000 of them made V8 collect its
 * whole heap several times a second (over half of the bench's ZIP time).
 */
function readChunkBytes(size: number | undefined): number {
  if (size === undefined) return READ_CHUNK_BYTES;
  return Math.min(READ_CHUNK_BYTES, Math.max(size, SMALLEST_READ_BYTES));
}

/**
 * The smallest read, whatever size the store recorded: a file recorded as empty or tiny that has
 * grown on disk is still read in reasonable steps to its end, where it fails as changed (read a
 * byte at a time, a grown 2 MiB file took 47 s to fail). Not more: each small file costs two reads
 * of this size in fresh memory, and with 64 KiB the bulk case's export peaked 20–30 MiB higher.
 */
const SMALLEST_READ_BYTES = 4 * 1024;
