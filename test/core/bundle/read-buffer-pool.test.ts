/**
 * The export's reused read buffers (read-buffer-pool.ts) never hand out a buffer whose bytes are
 * still on their way to the bundle file: whatever the streams between do (cut chunks, copy them,
 * hold them while the disk is slow), the file written is the file read, byte for byte.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  PooledFileReader,
  ReadBufferPool,
  returnBuffersOnWrite,
} from '../../../electron/core/bundle/read-buffer-pool.js';

/** Cuts every chunk in two, passed on one after the other. */
class CutInTwo extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const half = Math.floor(chunk.length / 2);
    this.push(chunk.subarray(0, half));
    this.push(chunk.subarray(half));
    done();
  }
}

/** Joins every three chunks into one copy. */
class JoinInThrees extends Transform {
  private held: Buffer[] = [];
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.held.push(chunk);
    if (this.held.length === 3) {
      this.push(Buffer.concat(this.held));
      this.held = [];
    }
    done();
  }
  override _flush(done: TransformCallback): void {
    if (this.held.length) this.push(Buffer.concat(this.held));
    done();
  }
}

/** Holds each chunk a while before passing it on, as a slow disk holds a write. */
class Slow extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    setTimeout(() => done(null, chunk), 1);
  }
}

describe('the export read buffer pool', () => {
  let dir: string;
  let source: string;
  const original = randomBytes(200_000);
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-read-pool-'));
    source = path.join(dir, 'source.bin');
    fs.writeFileSync(source, original);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function copyThrough(pool: ReadBufferPool, between: Transform[], name: string): Promise<Buffer> {
    const out = path.join(dir, name);
    const file = fs.createWriteStream(out, { highWaterMark: 1024 });
    returnBuffersOnWrite(file, pool);
    await pipeline([new PooledFileReader(source, pool, 4096), ...between, file]);
    return fs.readFileSync(out);
  }

  test('a file streamed through chunks cut in two and a slow writer is written byte for byte, its buffers reused', async () => {
    const pool = new ReadBufferPool(4, 4096);
    const written = await copyThrough(pool, [new CutInTwo(), new Slow()], 'cut.bin');
    expect(written.equals(original)).toBe(true);
    // 49 reads of 4 KiB: more of them than the pool's 4 buffers read into the pool's, so buffers
    // were taken back and handed out again.
    expect(49 - pool.freshReads).toBeGreaterThan(4);
  });

  test('chunks some stream copies lose their buffers to the pool, and reads go on in fresh ones', async () => {
    const pool = new ReadBufferPool(4, 4096);
    const written = await copyThrough(pool, [new JoinInThrees(), new Slow()], 'joined.bin');
    expect(written.equals(original)).toBe(true);
    expect(pool.freshReads).toBeGreaterThan(0);
  });

  test('a file that cannot be read fails the stream with the reason', async () => {
    const pool = new ReadBufferPool(2, 4096);
    const missing = path.join(dir, 'missing.bin');
    const sink = fs.createWriteStream(path.join(dir, 'x.bin'));
    await expect(pipeline(new PooledFileReader(missing, pool, 4096), sink)).rejects.toThrow(/ENOENT/);
    // The pipeline answers as the read fails; the sink's own open may end after that and create
    // its file while the folder is being removed (ENOTEMPTY on a loaded run): wait for its close.
    if (!sink.closed) await new Promise<void>((closed) => sink.once('close', () => closed()));
  });
});
