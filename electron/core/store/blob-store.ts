import { createHash, randomUUID } from 'node:crypto';
import { constants as fsConstants, readdirSync, rmSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeSystemError } from '../system-errors.js';

/** The result of storing a blob: its name (SHA-256 hex) and size. */
export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
}

/** Called as bytes are written, for progress bars on large files. */
export type ByteProgress = (bytesDone: number) => void;

const CHUNK_SIZE = 1024 * 1024;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Content-addressed, write-once blob files (docs/ARCHITECTURE.md, evidence invariant 1).
 *
 * A blob's file name is its SHA-256; it lives at `aa/bb/<sha256>`. Bytes are hashed while they are
 * streamed into a temporary file, which is fsynced, made read-only and renamed into place, and the
 * folder is fsynced: a crash leaves either no blob or a whole one, never a partial file under a
 * blob's name. No file is held whole in memory.
 */
export class BlobStore {
  private readonly readBuffers: Buffer[] = [];
  /** Fan-out folders known to exist durably, or being made so (see ensureDir). */
  private readonly readyDirs = new Map<string, Promise<void>>();

  constructor(
    readonly root: string,
    private readonly tempDir: string,
  ) {}

  /** The path a blob with this SHA-256 has (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new TypeError(`not a SHA-256 hex digest: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Copies a file into the store byte for byte, hashing while it streams. */
  async putFile(source: string | Buffer, onProgress?: ByteProgress): Promise<StoredBlob> {
    const handle = await fs.open(source, fsConstants.O_RDONLY);
    try {
      return await this.putChunks(readChunks(handle), onProgress);
    } finally {
      await handle.close();
    }
  }

  /** Stores bytes held in memory (small artifacts such as a capture's metadata). */
  async putBuffer(data: Uint8Array): Promise<StoredBlob> {
    return this.putChunks([data]);
  }

  /** Stores a stream of chunks, hashing while writing. */
  async putChunks(
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    onProgress?: ByteProgress,
  ): Promise<StoredBlob> {
    await fs.mkdir(this.tempDir, { recursive: true });
    const tempPath = path.join(this.tempDir, `${randomUUID()}.tmp`);
    const out = await fs.open(tempPath, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    let renamed = false;
    try {
      for await (const chunk of chunks) {
        // The write runs on libuv's thread pool while this thread hashes the same bytes.
        const writing = writeAll(out, chunk);
        hash.update(chunk);
        await writing;
        size += chunk.byteLength;
        onProgress?.(size);
      }
      const sha256 = hash.digest('hex');
      const finalPath = this.pathOf(sha256);
      if (await exists(finalPath)) {
        // Same content already stored: the existing read-only blob stands, the copy goes unsynced.
        await out.close();
        await fs.unlink(tempPath);
        renamed = true;
        return { sha256, size };
      }
      await out.sync();
      await out.close();
      await fs.chmod(tempPath, 0o444);
      const dir = path.dirname(finalPath);
      await this.ensureDir(dir);
      await fs.rename(tempPath, finalPath);
      renamed = true;
      await fsyncDir(dir); // makes the new name durable
      return { sha256, size };
    } catch (error) {
      // A full or failing store disk: say which disk, once the temporary file is gone (finally).
      throw describeSystemError(error, this.root) ?? error;
    } finally {
      if (!renamed) {
        await out.close().catch(() => undefined);
        await fs.unlink(tempPath).catch(() => undefined);
      }
    }
  }

  /**
   * Makes a fan-out folder exist durably: created if missing, and then its parent fsynced so that
   * the new entry survives a power cut. Once per folder per process, shared by concurrent writes,
   * so that a blob is never renamed into a folder whose own entry is not yet on the disk (and an
   * existing folder costs no fsync: three per blob dominated imports of many small files).
   */
  private ensureDir(dir: string): Promise<void> {
    let ready = this.readyDirs.get(dir);
    if (!ready) {
      ready = (async () => {
        if (dir === this.root) {
          await fs.mkdir(dir, { recursive: true });
          return;
        }
        const parent = path.dirname(dir);
        await this.ensureDir(parent);
        try {
          await fs.mkdir(dir);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
          throw error;
        }
        await fsyncDir(parent);
      })();
      this.readyDirs.set(dir, ready);
      ready.catch(() => this.readyDirs.delete(dir));
    }
    return ready;
  }

  /** Re-reads a blob and returns its SHA-256 and size, or null when the file is missing. */
  async rehash(sha256: string, onBytes?: (bytes: number) => void): Promise<StoredBlob | null> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.pathOf(sha256), fsConstants.O_RDONLY);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    // One read buffer per call, returned to a pool: an audit of thousands of small blobs would
    // otherwise allocate (and collect) a megabyte per blob.
    const buffer = this.readBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_SIZE);
    try {
      const hash = createHash('sha256');
      let size = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        size += bytesRead;
        onBytes?.(bytesRead);
      }
      return { sha256: hash.digest('hex'), size };
    } finally {
      this.readBuffers.push(buffer);
      await handle.close();
    }
  }

  /** Every blob file name present on disk (for finding blobs no item references). */
  async *list(): AsyncGenerator<string> {
    for (const first of await readdirOrEmpty(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(first)) continue;
      for (const second of await readdirOrEmpty(path.join(this.root, first))) {
        for (const name of await readdirOrEmpty(path.join(this.root, first, second))) {
          if (SHA256_HEX.test(name)) yield name;
        }
      }
    }
  }

  /**
   * Removes the temporary files of writes that died (a killed import leaves a whole file's worth).
   * Only the writer calls it, under the writer lock, before it writes: no live write owns one then.
   */
  sweepTemporaryFiles(): { files: number; bytes: number } {
    let files = 0;
    let bytes = 0;
    let names: string[];
    try {
      names = readdirSync(this.tempDir).filter((name) => name.endsWith('.tmp'));
    } catch {
      return { files, bytes }; // no temporary folder yet
    }
    for (const name of names) {
      const file = path.join(this.tempDir, name);
      try {
        const { size } = statSync(file);
        rmSync(file);
        files++;
        bytes += size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return { files, bytes };
  }

  /** Temporary files left behind by an interrupted write. */
  async leftoverTempFiles(): Promise<string[]> {
    return (await readdirOrEmpty(this.tempDir)).filter((name) => name.endsWith('.tmp'));
  }
}

/**
 * Reads a file in 1 MiB chunks, each a fresh buffer (safe to keep). The next read is already under
 * way while the consumer hashes and writes the current chunk.
 */
async function* readChunks(handle: fs.FileHandle): AsyncGenerator<Uint8Array> {
  const readChunk = async () => {
    const buffer = Buffer.allocUnsafe(CHUNK_SIZE);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_SIZE, null);
    return bytesRead === 0 ? null : buffer.subarray(0, bytesRead);
  };
  let next = readChunk();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk === null) return;
      next = readChunk();
      yield chunk;
    }
  } finally {
    // A consumer that stops early leaves one read in flight: let it settle before the file closes.
    await next.catch(() => null);
  }
}

/** Writes a whole chunk (a write may take fewer bytes than asked). */
async function writeAll(out: fs.FileHandle, chunk: Uint8Array): Promise<void> {
  let written = 0;
  while (written < chunk.byteLength) {
    const { bytesWritten } = await out.write(chunk, written, chunk.byteLength - written);
    written += bytesWritten;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Makes a rename durable: fsync the folder that holds the new name (a no-op where unsupported). */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // Windows cannot open a folder for fsync; NTFS journals renames.
  const handle = await fs.open(dir, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
