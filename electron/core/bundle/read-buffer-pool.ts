/**
 * Read buffers the export reuses for the files it stores in the ZIP as they are (media, the bulk of a
 * case's bytes), instead of a fresh buffer for every read.
 *
 * Why: Node's read stream allocates a new buffer for each read, outside V8's heap, and frees it only
 * when V8 next collects; V8 lets about 64 MB of such memory pile up before it does. An export streams
 * every artifact through, so its peak memory rose by that much, more while the report printed beside
 * it, and the collections themselves took much of the ZIP's time. A fixed set of buffers, each taken
 * back once the bundle file has written its bytes, makes the stream's memory a constant.
 *
 * Safety: a buffer is taken back only when every byte read into it has been written to the bundle
 * file (counted by byte, so a chunk some stream cut in two is taken back after both halves). A chunk
 * that some stream copied is never seen again, so its buffer is simply never taken back; and when no
 * buffer is free, a read gets a fresh one, as before. So the pool can lose buffers, never hand out one
 * whose bytes are still on their way, and never makes a read wait.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';

/** How many buffers, and their size. */
const SLOTS = 16;
const SLOT_BYTES = 1024 * 1024;

/** A fixed set of read buffers, handed out and taken back by byte count. */
export class ReadBufferPool {
  private readonly arena: Buffer;
  private readonly free: number[] = [];
  /** Per buffer: bytes read into it for its current use, and bytes of those written out since. */
  private readonly filled: number[];
  private readonly drained: number[];
  /** Reads that found no buffer free and got a fresh one. */
  freshReads = 0;

  constructor(
    readonly slots = SLOTS,
    readonly slotBytes = SLOT_BYTES,
  ) {
    this.arena = Buffer.allocUnsafeSlow(slots * slotBytes);
    for (let i = slots - 1; i >= 0; i--) this.free.push(i);
    this.filled = new Array<number>(slots).fill(0);
    this.drained = new Array<number>(slots).fill(0);
  }

  /** A buffer to read up to `bytes` into (at most slotBytes): a free one of the pool, else a fresh one. */
  take(bytes: number): Buffer {
    const size = Math.min(bytes, this.slotBytes);
    const slot = this.free.pop();
    if (slot === undefined) {
      this.freshReads++;
      return Buffer.allocUnsafeSlow(size);
    }
    this.filled[slot] = 0;
    this.drained[slot] = 0;
    return this.arena.subarray(slot * this.slotBytes, slot * this.slotBytes + size);
  }

  /** `bytes` were read into `buffer` (from take), and will be passed on as one chunk. */
  fill(buffer: Buffer, bytes: number): void {
    const slot = this.slotOf(buffer);
    if (slot !== null) this.filled[slot] = bytes;
  }

  /** A buffer from take that will not be passed on (the read failed or found the end). */
  giveBack(buffer: Buffer): void {
    const slot = this.slotOf(buffer);
    if (slot !== null) this.free.push(slot);
  }

  /** `chunk` has been written out; its buffer is taken back once all of its bytes have been. */
  written(chunk: Uint8Array): void {
    // An empty view at the end of one buffer would read as lying in the next.
    if (chunk.length === 0) return;
    const slot = this.slotOf(chunk);
    if (slot === null) return;
    this.drained[slot] = (this.drained[slot] ?? 0) + chunk.length;
    if (this.drained[slot]! >= this.filled[slot]!) {
      this.filled[slot] = 0;
      this.drained[slot] = 0;
      this.free.push(slot);
    }
  }

  /** Which of the pool's buffers `chunk` lies in, or null when it is not the pool's. */
  private slotOf(chunk: Uint8Array): number | null {
    if (chunk.buffer !== this.arena.buffer) return null;
    return Math.floor((chunk.byteOffset - this.arena.byteOffset) / this.slotBytes);
  }
}

/** A file read from its start to its end into the pool's buffers, one chunk per read. */
export class PooledFileReader extends Readable {
  private fd: number | null = null;
  private position = 0;
  /** A read running now: the file is closed only once it has returned (as Node's own read stream does). */
  private reading: Promise<void> | null = null;

  constructor(
    private readonly file: string,
    private readonly pool: ReadBufferPool,
    private readonly chunkBytes: number,
  ) {
    super();
  }

  override _construct(callback: (error?: Error | null) => void): void {
    fs.open(this.file, 'r', (error, fd) => {
      if (!error) this.fd = fd;
      callback(error);
    });
  }

  override _read(): void {
    const buffer = this.pool.take(this.chunkBytes);
    let readDone: () => void = () => undefined;
    this.reading = new Promise<void>((resolve) => {
      readDone = resolve;
    });
    fs.read(this.fd!, buffer, 0, buffer.length, this.position, (error, bytes) => {
      this.reading = null;
      readDone();
      if (this.destroyed) {
        this.pool.giveBack(buffer);
      } else if (error) {
        this.pool.giveBack(buffer);
        this.destroy(error);
      } else if (bytes === 0) {
        this.pool.giveBack(buffer);
        this.push(null);
      } else {
        this.position += bytes;
        this.pool.fill(buffer, bytes);
        this.push(buffer.subarray(0, bytes));
      }
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const close = () => {
      const fd = this.fd;
      this.fd = null;
      if (fd === null) callback(error);
      else fs.close(fd, () => callback(error));
    };
    if (this.reading) void this.reading.then(close);
    else close();
  }
}

/**
 * Makes `file` tell the pool whenever it has written a chunk (its `_write` and `_writev`, which Node
 * calls once a write is done with the chunk's bytes).
 */
export function returnBuffersOnWrite(file: fs.WriteStream, pool: ReadBufferPool): void {
  const stream = file as unknown as {
    _write(chunk: Buffer, encoding: BufferEncoding, done: (error?: Error | null) => void): void;
    _writev?(
      chunks: { chunk: Buffer; encoding: BufferEncoding }[],
      done: (error?: Error | null) => void,
    ): void;
  };
  const write = stream._write.bind(file);
  stream._write = (chunk, encoding, done) =>
    write(chunk, encoding, (error) => {
      if (!error) pool.written(chunk);
      done(error);
    });
  const writev = stream._writev?.bind(file);
  if (writev)
    stream._writev = (chunks, done) =>
      writev(chunks, (error) => {
        if (!error) for (const { chunk } of chunks) pool.written(chunk);
        done(error);
      });
}
