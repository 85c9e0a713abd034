import { createHash, randomUUID } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  constants as fsConstants,
  fsync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { throwIfCancelled } from '../cancel.js';
import { failureSaying } from '../errors.js';
import { describeSystemError, isDeviceFailure } from '../system-errors.js';

/** The result of storing a blob: its name (SHA-256 hex) and size. */
export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
}

/**
 * A source file (given to `putFile`) that could not be opened or read while it was streamed into
 * the store: its own disk's failure (a phone, a USB stick), never the store's, so it is kept apart
 * from the store's write failures, which `describeSystemError` words as the store disk's. The
 * caller words it for what it was doing (import: describeSourceReadFailure); `cause` is the error.
 */
export class SourceReadError extends Error {
  constructor(
    readonly source: string | Buffer,
    override readonly cause: unknown,
  ) {
    super(
      `${source.toString()} could not be read (${cause instanceof Error ? cause.message : String(cause)})`,
      {
        cause,
      },
    );
    this.name = 'SourceReadError';
  }
}

/** Called as bytes are written, for progress bars on large files. */
export type ByteProgress = (bytesDone: number) => void;

const CHUNK_SIZE = 1024 * 1024;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A failed fsync: its error, and whether it was a folder's or a blob file's. */
interface SyncFailure {
  readonly error: unknown;
  readonly of: 'a folder' | 'a blob file';
}

/**
 * The first fsync (of a folder or of a blob's file) that failed in this process, per store (its
 * blob folder's real path, and the path it was given). No retry is trusted after it: Linux reports a writeback error to
 * one fsync and may then mark the lost pages clean, so a second fsync can succeed though the bytes
 * or entries it should make durable never reached the disk. So once one fails, every later install
 * into that store and every reliance on a stored name is refused until the process ends (see
 * refuseAfterFailedSync): only a person can tell a passing error from a failing disk. Kept by the
 * process, not by a BlobStore: the app opens a new one with each write once the last has closed.
 */
const syncFailures = new Map<string, SyncFailure>();

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
  /** Fan-out folders known to exist (made or found): no `mkdir` for them again. */
  private readonly knownDirs = new Set<string>();
  /**
   * Folders owed an fsync: one gained an entry (a new folder, a blob's name) that no fsync has
   * covered yet, because its round has not started or its install threw part way.
   */
  private readonly owedDirs = new Set<string>();
  /**
   * Folders this session has owed an fsync (made, gained a name, or relied on). A folder or a name
   * found from an earlier run may never have been fsynced (a run killed between its rename and its
   * folder's fsync): the first time this session relies on one, its folder chain is owed an fsync,
   * once per folder per session (DESIGN invariant 4).
   */
  private readonly sessionDirs = new Set<string>();
  /** The latest round of fsyncs in flight covering each folder (see makeDurable). */
  private readonly dirRounds = new Map<string, Promise<void>>();
  /** This store's blob folder's real path, a key in syncFailures, once it has been found. */
  private failureKey: string | undefined;

  /**
   * @param syncFolder makes a folder's entries durable (fsyncDir); tests pass one that calls it and
   *   records which folders were synced, as nothing else can show an fsync.
   * @param syncFile makes a written temporary file's bytes durable (fsyncWritable); tests pass one that
   *   fails, as an fsync error cannot be caused otherwise.
   */
  constructor(
    readonly root: string,
    private readonly tempDir: string,
    private readonly syncFolder: (dir: string) => Promise<void> = fsyncDir,
    private readonly syncFile: (file: string) => Promise<void> = fsyncWritable,
  ) {}

  /** The path a blob with this SHA-256 has (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new TypeError(`not a SHA-256 hex digest: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Copies a file into the store byte for byte, hashing while it streams. A failure to open or read
   * the source is a SourceReadError; one of the store's disk is worded as the store's.
   */
  async putFile(source: string | Buffer, onProgress?: ByteProgress): Promise<StoredBlob> {
    const handle = await openSource(source);
    try {
      return await this.putChunks(sourceChunks(readChunks(handle), source), onProgress);
    } finally {
      await handle.close();
    }
  }

  /**
   * `putFile` for a file Custos wrote itself in the store's own temporary folder (a capture's
   * artifacts, a pull's downloads): it lies on the store's disk, so a failed read is worded as
   * that disk's, as any other failure of the store's disk is.
   */
  async putOwnFile(file: string): Promise<StoredBlob> {
    try {
      return await this.putFile(file);
    } catch (error) {
      if (!(error instanceof SourceReadError)) throw error;
      throw describeSystemError(error.cause, this.root) ?? error.cause;
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
    const written = await this.writeTemporary(chunks, onProgress);
    try {
      if (await exists(this.pathOf(written.sha256))) {
        // Same content already stored: the existing read-only blob stands, the copy goes unsynced;
        // its name is relied on once durable (it may be a concurrent write's, still in its round).
        await fs.unlink(written.tempPath);
        await this.makeDurable([written.sha256]);
      } else await this.install([written]);
      return { sha256: written.sha256, size: written.size };
    } catch (error) {
      await fs.unlink(written.tempPath).catch(() => undefined);
      throw describeSystemError(error, this.root) ?? error;
    }
  }

  /** A group of blobs written now and made durable together by `persist` (see BlobBatch). */
  batch(): BlobBatch {
    return new BlobBatch(this);
  }

  /**
   * Streams chunks into a new temporary file while hashing them, and closes it unsynced: the
   * caller installs it (`install`) or removes it. A failure removes the temporary file.
   */
  async writeTemporary(
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    onProgress?: ByteProgress,
  ): Promise<TemporaryBlob> {
    const tempPath = path.join(this.tempDir, `${randomUUID()}.tmp`);
    let out: fs.FileHandle | undefined;
    const hash = createHash('sha256');
    let size = 0;
    try {
      // Inside the try: a failing store disk met at the folder or the open is worded as the store's.
      await this.ensureTempDir();
      out = await fs.open(tempPath, 'wx', 0o600);
      for await (const chunk of chunks) {
        // The write runs on libuv's thread pool while this thread hashes the same bytes.
        const writing = writeAll(out, chunk);
        hash.update(chunk);
        await writing;
        size += chunk.byteLength;
        onProgress?.(size);
      }
      await out.close();
      return { tempPath, sha256: hash.digest('hex'), size };
    } catch (error) {
      await out?.close().catch(() => undefined);
      if (out) await fs.unlink(tempPath).catch(() => undefined);
      // A full or failing store disk: say which disk.
      throw describeSystemError(error, this.root) ?? error;
    }
  }

  /**
   * `writeTemporary` for bytes held in memory (a small file read whole), with synchronous calls:
   * creating and writing a few kilobytes costs a few microseconds of system time, where each trip
   * through libuv's thread pool costs tens of microseconds of this thread's time. Unsynced, as
   * `writeTemporary`; a failure removes the temporary file.
   */
  writeTemporarySync(data: Uint8Array): TemporaryBlob {
    if (!this.tempDirMade) {
      mkdirSync(this.tempDir, { recursive: true });
      this.tempDirMade = true;
    }
    const tempPath = path.join(this.tempDir, `${randomUUID()}.tmp`);
    const out = openSync(tempPath, 'wx', 0o600);
    try {
      for (let written = 0; written < data.byteLength; ) {
        written += writeSync(out, data, written, data.byteLength - written);
      }
      closeSync(out);
    } catch (error) {
      try {
        closeSync(out);
      } catch {
        // already closed (the close itself failed): the unlink below still removes the file
      }
      try {
        unlinkSync(tempPath);
      } catch {
        // nothing more can be done; the next writer's sweep removes it
      }
      throw describeSystemError(error, this.root) ?? error;
    }
    return { tempPath, sha256: createHash('sha256').update(data).digest('hex'), size: data.byteLength };
  }

  /**
   * Copies a file into a new temporary file inside the kernel (`copy_file_range`, or a reflink
   * where the file system has them: no bytes pass through this process), then hashes the copy,
   * read back from the page cache: the name is the hash of exactly the bytes kept. About a fifth
   * of the system time of reading and writing through buffers. The copy itself reports no progress
   * and cannot be cancelled, so it is for files up to KERNEL_COPY_MAX_BYTES; the hashing reports
   * progress (and a throwing `onProgress` stops it; the copy is then removed). When the copy itself
   * failed, with nothing left behind, `{ refused }` holds its error, but for a full or read-only disk
   * (only the store's is written): the kernel's copy names its source in every error, whichever side
   * failed (a permission refused on the store's folder, a device error on either disk), so the
   * caller streams the file instead, whose reads and writes tell them apart (see BlobBatch.putFile).
   */
  async copyTemporary(
    source: string | Buffer,
    onProgress?: ByteProgress,
  ): Promise<TemporaryBlob | { readonly refused: unknown }> {
    await this.ensureTempDir();
    const tempPath = path.join(this.tempDir, `${randomUUID()}.tmp`);
    let copied = false;
    try {
      await fs.copyFile(source, tempPath, fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE);
      copied = true;
      const copy = await fs.open(tempPath, fsConstants.O_RDONLY);
      try {
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of readChunks(copy)) {
          hash.update(chunk);
          size += chunk.byteLength;
          onProgress?.(size);
        }
        return { tempPath, sha256: hash.digest('hex'), size };
      } finally {
        await copy.close();
      }
    } catch (error) {
      await fs.unlink(tempPath).catch(() => undefined);
      // A copy's error names its source; a full or read-only disk can only be the store's.
      const code = (error as NodeJS.ErrnoException).code;
      const storeSide = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS';
      if (!copied && !storeSide) return { refused: error };
      throw (
        describeSystemError(
          storeSide ? Object.assign(error as Error, { path: this.root }) : error,
          this.root,
        ) ?? error
      );
    }
  }

  /**
   * Puts written temporary files under their blob names durably: every file fsynced (all at
   * once, so the disk's journal commits them together), made read-only and renamed into its
   * fan-out folder (made where missing), then every folder that gained an entry (a new folder,
   * a blob's name) fsynced once, all in one round. Until this resolves no blob name may be relied
   * on; a crash meanwhile leaves temporary files (swept at the next open) or whole blobs under
   * their names, never a partial one: a file is renamed only once its bytes are on the disk.
   */
  async install(written: readonly TemporaryBlob[]): Promise<void> {
    this.refuseAfterFailedSync();
    await settleBounded(
      written,
      SYNC_CONCURRENCY,
      (blob) => blob.synced ?? this.syncTemporary(blob.tempPath),
    );
    // Made synchronously, as the renames below: a fresh store's first thousand blobs make a thousand
    // folders. Each folder made and each name renamed in is owed its fsync at once, so that a throw
    // part way (a full disk) leaves what was done owed to the next round, never taken as durable.
    for (const dir of this.foldersFor(written.map((blob) => blob.sha256))) {
      if (this.knownDirs.has(dir)) continue;
      if (mkdirIfMissing(dir)) this.owedDirs.add(path.dirname(dir));
      this.knownDirs.add(dir);
    }
    this.renameIntoPlace(written);
    await this.makeDurable(written.map((blob) => blob.sha256));
  }

  /**
   * Resolves once the names of these stored blobs are durable: one round of fsyncs of every folder
   * still owed one (by this install or a failed one before it, or found from an
   * earlier run and not yet fsynced this session), then the wait for every round in flight that
   * covers one of their folders (a name another write put there meanwhile is relied on only once
   * its folder's fsync has resolved).
   */
  async makeDurable(sha256s: readonly string[]): Promise<void> {
    this.refuseAfterFailedSync();
    for (const dir of this.chainsOf(sha256s)) {
      if (this.sessionDirs.has(dir)) continue;
      this.sessionDirs.add(dir);
      this.owedDirs.add(dir);
    }
    // One round of fsyncs where there were three in turn (new aa/, new aa/bb/, names): nothing
    // relies on a folder or a name before the round ends, so their order on the disk does not matter.
    const owed = [...this.owedDirs];
    this.owedDirs.clear();
    const rounds = new Set<Promise<void>>();
    if (owed.length > 0) rounds.add(this.syncRound(owed));
    for (const dir of this.chainsOf(sha256s)) {
      const round = this.dirRounds.get(dir);
      if (round) rounds.add(round);
    }
    await settleAll([...rounds]);
  }

  /**
   * Fsyncs folders in one round and records it as covering them until it ends; a failure is
   * recorded, and refuses every later install of the session (see syncFailures).
   */
  private syncRound(dirs: readonly string[]): Promise<void> {
    const round = settleBounded(dirs, SYNC_CONCURRENCY, this.syncFolder);
    for (const dir of dirs) this.dirRounds.set(dir, round);
    const settle = () => {
      for (const dir of dirs) if (this.dirRounds.get(dir) === round) this.dirRounds.delete(dir);
    };
    round.then(settle, (error: unknown) => {
      this.recordSyncFailure({ error, of: 'a folder' });
      settle();
    });
    return round;
  }

  /**
   * Fsyncs a written temporary file's bytes (before its rename, or early in a batch); a failure is
   * recorded as a folder's is, and refuses every later install of the session (see syncFailures).
   */
  syncTemporary(tempPath: string): Promise<void> {
    const syncing = this.syncFile(tempPath);
    syncing.catch((error: unknown) => {
      // A file that could not be opened (too many open files) was never fsynced: not the disk's word.
      if ((error as NodeJS.ErrnoException).syscall !== 'open')
        this.recordSyncFailure({ error, of: 'a blob file' });
    });
    return syncing;
  }

  /** Keeps the first failed fsync of this store for the rest of the process (see syncFailures). */
  private recordSyncFailure(failure: SyncFailure): void {
    for (const key of this.storeKeys()) if (!syncFailures.has(key)) syncFailures.set(key, failure);
  }

  /**
   * This store's keys in syncFailures: its blob folder's real path (the same however the folder is
   * reached, through a symbolic link or not) and the path it was given (all there is while the
   * real path cannot be found; a failure is kept under both, and either refuses). Not the folder's
   * inode: a store's folder deleted and made again can reuse it.
   */
  private storeKeys(): string[] {
    const keys = [path.resolve(this.root)];
    try {
      this.failureKey ??= realpathSync(this.root);
    } catch {
      // not there (yet), or not to be looked at: the path alone
    }
    if (this.failureKey) keys.push(this.failureKey);
    return keys;
  }

  /** Throws, writing nothing, once an fsync of this store has failed in this process (see syncFailures). */
  private refuseAfterFailedSync(): void {
    const failure = this.storeKeys()
      .map((key) => syncFailures.get(key))
      .find((found) => found !== undefined);
    if (!failure) return;
    const { error, of } = failure;
    const detail = error instanceof Error ? error.message : String(error);
    throw failureSaying(
      (next) =>
        `an fsync of ${of} on the disk holding ${this.root} failed earlier in this session (${detail}); ` +
        'the disk may be failing, and a retry can report success though the data was lost, so nothing more is stored until Custos is started again. ' +
        `Stop, check the disk (its health and the system log), copy the store to a sound disk if it is failing, then ${next.restart}`,
      { cause: error },
    );
  }

  /** The fan-out folders these blobs live in, each `aa/` before its `aa/bb/`. */
  private foldersFor(sha256s: readonly string[]): string[] {
    const leaves = [...new Set(sha256s.map((sha256) => path.dirname(this.pathOf(sha256))))];
    return [...new Set(leaves.map((dir) => path.dirname(dir))), ...leaves];
  }

  /** Every folder whose entries a blob's name depends on: `aa/bb/`, `aa/` and the blob root. */
  private chainsOf(sha256s: readonly string[]): Set<string> {
    const dirs = new Set<string>(sha256s.length > 0 ? [this.root] : []);
    for (const dir of this.foldersFor(sha256s)) dirs.add(dir);
    return dirs;
  }

  /**
   * Renames written temporary files (made read-only first) to their blob names, each folder that
   * gains a name owed its fsync at once. Each a metadata change of microseconds, made
   * synchronously: a thousand small blobs would otherwise cost three thousand trips through the
   * thread pool.
   */
  private renameIntoPlace(written: readonly TemporaryBlob[]): void {
    for (const blob of written) {
      const finalPath = this.pathOf(blob.sha256);
      if (existsSync(finalPath)) {
        // Stored meanwhile by another write of the same content: that blob stands, never replaced
        // (makeDurable waits for its folder's round).
        unlinkSync(blob.tempPath);
        continue;
      }
      chmodSync(blob.tempPath, 0o444);
      renameSync(blob.tempPath, finalPath);
      this.owedDirs.add(path.dirname(finalPath));
    }
  }

  /** Whether a blob with this SHA-256 is stored. */
  has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  private tempDirReady: Promise<unknown> | undefined;
  /** The temporary folder was made by `writeTemporarySync`. */
  private tempDirMade = false;

  private ensureTempDir(): Promise<unknown> {
    this.tempDirReady ??= fs.mkdir(this.tempDir, { recursive: true });
    this.tempDirReady.catch(() => {
      this.tempDirReady = undefined;
    });
    return this.tempDirReady;
  }

  /**
   * Re-reads a blob and returns its SHA-256 and size, or null when the file is missing. Aborted
   * (`signal`, the audit's cancel), it stops before its next read (`Cancelled`), its file closed:
   * a video of gigabytes is not read to its end for a report nobody reads.
   */
  async rehash(
    sha256: string,
    onBytes?: (bytes: number) => void,
    signal?: AbortSignal,
  ): Promise<StoredBlob | null> {
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
        throwIfCancelled(signal);
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

/** A blob written to a temporary file, hashed, not yet under its name. */
export interface TemporaryBlob {
  readonly tempPath: string;
  readonly sha256: string;
  readonly size: number;
  /** Its fsync, when it was started as soon as the file was written (see EARLY_SYNC_BYTES). */
  readonly synced?: Promise<void>;
}

/**
 * A batch's blob of at least this size is fsynced as soon as it is written: its write-back then
 * overlaps the reading and hashing of the next files instead of waiting for the group's commit.
 */
export const EARLY_SYNC_BYTES = 4 * 1024 * 1024;

/** The largest file a batch copies inside the kernel (see BlobStore.copyTemporary); larger ones are streamed. */
export const KERNEL_COPY_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Blobs written one by one and made durable together (group commit): each `putFile` streams and
 * hashes into a temporary file with no fsync; `persist` then fsyncs them all at once and renames
 * them into place, so a thousand small files cost a few rounds of the disk's journal, not three
 * fsyncs each. Nothing may reference a batch's blobs until `persist` has resolved; `discard`
 * removes what was not persisted. Content already stored, or already in the batch, is kept once.
 */
export class BlobBatch {
  private readonly pending = new Map<string, TemporaryBlob>();
  /** Put into the batch but found stored already: `persist` waits for their names to be durable too. */
  private readonly found = new Set<string>();
  /**
   * Blobs a `persist` has taken from `pending` and is installing, until installed (a failed install
   * stays, so that a later persist choosing the same content rethrows why it is missing): a later
   * persist of the same content (a twin put while it was pending, in the next group) waits for it.
   */
  private readonly installing = new Map<string, Promise<void>>();
  private bytes = 0;

  constructor(private readonly blobs: BlobStore) {}

  /**
   * Copies a file into the batch byte for byte: in the kernel and then hashed from the copy up to
   * KERNEL_COPY_MAX_BYTES, streamed through this process and hashed on the way above (a large
   * video's copy reports progress and stops at a cancel). A kernel copy that failed is streamed
   * instead, whose errors say which side failed (the source's reads, the store's writes); but a
   * device error of the kernel copy, when the stream then read the whole source cleanly, was the
   * store's disk: it is the store's disk failure, never a silent success on a failing disk.
   */
  async putFile(source: string | Buffer, onProgress?: ByteProgress): Promise<StoredBlob> {
    const handle = await openSource(source);
    try {
      const { size } = await handle.stat().catch((error: unknown) => {
        throw new SourceReadError(source, error);
      });
      const copied =
        size <= KERNEL_COPY_MAX_BYTES ? await this.blobs.copyTemporary(source, onProgress) : null;
      if (copied && 'tempPath' in copied) return this.add(copied);
      const streamed = await this.blobs.writeTemporary(sourceChunks(readChunks(handle), source), onProgress);
      if (copied && isDeviceFailure(copied.refused)) {
        await fs.unlink(streamed.tempPath).catch(() => undefined);
        const storeDisk = Object.assign(copied.refused as Error, { path: this.blobs.root });
        throw describeSystemError(storeDisk, this.blobs.root) ?? storeDisk;
      }
      return this.add(streamed);
    } finally {
      await handle.close();
    }
  }

  /** Writes a stream of chunks into the batch, hashing while writing. */
  async putChunks(
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    onProgress?: ByteProgress,
  ): Promise<StoredBlob> {
    return this.add(await this.blobs.writeTemporary(chunks, onProgress));
  }

  /**
   * Writes bytes held in memory into the batch (a small file read whole), synchronously: see
   * BlobStore.writeTemporarySync.
   */
  putBytes(data: Uint8Array): StoredBlob {
    return this.add(this.blobs.writeTemporarySync(data));
  }

  /** Takes a written temporary file into the batch, or removes it when its content is stored or pending already. */
  private add(written: TemporaryBlob): StoredBlob {
    const { sha256, size } = written;
    // Checked without yielding: no twin can join between the test and the set.
    if (this.pending.has(sha256)) unlinkSync(written.tempPath);
    else if (existsSync(this.blobs.pathOf(sha256))) {
      unlinkSync(written.tempPath);
      this.found.add(sha256);
    } else {
      const synced = size >= EARLY_SYNC_BYTES ? this.blobs.syncTemporary(written.tempPath) : undefined;
      synced?.catch(() => undefined); // awaited by persist or discard; this only keeps it from counting as unhandled
      this.pending.set(sha256, { ...written, synced });
      this.installing.delete(sha256); // a failed install's content, written again: this copy is installed
      this.bytes += size;
    }
    return { sha256, size };
  }

  /** Where a blob's bytes can be read now: its temporary file until persisted, then its blob file. */
  pathOf(sha256: string): string {
    return this.pending.get(sha256)?.tempPath ?? this.blobs.pathOf(sha256);
  }

  /** How many new blobs, and their bytes, wait to be persisted. */
  get size(): { readonly blobs: number; readonly bytes: number } {
    return { blobs: this.pending.size, bytes: this.bytes };
  }

  /**
   * Makes blobs of the batch durable under their names (see BlobStore.install): those with the
   * given SHA-256s, or all of them. Those found stored when put: this resolves once their names are
   * durable too (BlobStore.makeDurable). Those an earlier persist of this batch is still installing
   * (a twin of a pending blob was put, and dropped, for a later group): this waits for that install,
   * and fails with its error. A SHA-256 given that is none of these and not stored is refused before
   * anything is installed: nothing may reference a blob that is not there. After a failure, the
   * chosen blobs now under their names stay found, so that a retry still waits for them.
   */
  async persist(sha256s?: Iterable<string>): Promise<void> {
    const chosen = new Set(sha256s ?? [...this.pending.keys(), ...this.found]);
    const written: TemporaryBlob[] = [];
    // Chosen blobs found stored when put: by an earlier write, whose round may still be in flight.
    const stored: string[] = [];
    const earlierInstalls = new Set<Promise<void>>();
    for (const sha256 of chosen) {
      if (this.pending.has(sha256) || this.installing.has(sha256)) continue;
      if (!existsSync(this.blobs.pathOf(sha256))) {
        throw new Error(
          `blob ${sha256} was never stored (not in this batch, not in the store): nothing may reference it`,
        );
      }
    }
    for (const sha256 of chosen) {
      const blob = this.pending.get(sha256);
      const installing = this.installing.get(sha256);
      if (blob) {
        written.push(blob);
        this.pending.delete(sha256);
        this.bytes -= blob.size;
      } else if (installing) earlierInstalls.add(installing);
      else stored.push(sha256);
    }
    const install = this.blobs.install(written);
    install.catch(() => undefined); // awaited below, and by a later persist of the same content
    for (const blob of written) this.installing.set(blob.sha256, install);
    try {
      await install;
      await settleAll([this.blobs.makeDurable(stored), ...earlierInstalls]);
    } catch (error) {
      await Promise.all(written.map((blob) => fs.unlink(blob.tempPath).catch(() => undefined)));
      // A retry must still wait for every chosen name now in the store (found ones, and written ones
      // renamed in before the failure): each stays found until a persist has made it durable.
      for (const blob of written) {
        if (!existsSync(this.blobs.pathOf(blob.sha256))) continue;
        this.found.add(blob.sha256);
        this.installing.delete(blob.sha256);
      }
      throw describeSystemError(error, this.blobs.root) ?? error;
    }
    for (const sha256 of chosen) {
      this.found.delete(sha256);
      if (this.installing.get(sha256) === install) this.installing.delete(sha256);
    }
  }

  /** Removes the temporary files of blobs not persisted (a cancel, a failure before the commit). */
  async discard(): Promise<void> {
    const written = [...this.pending.values()];
    this.pending.clear();
    this.found.clear();
    this.installing.clear();
    this.bytes = 0;
    await Promise.all(
      written.map(async (blob) => {
        await blob.synced?.catch(() => undefined); // Windows cannot remove a file still open
        await fs.unlink(blob.tempPath).catch(() => undefined);
      }),
    );
  }
}

/** Bytes asked for at a time past the size a file had when opened (it may still grow). */
const PAST_END_READ = 16 * 1024;

/**
 * Reads a file in chunks of at most 1 MiB, no larger than what is left of the file's size (a 4 KiB
 * photo thumbnail must not cost a megabyte). The next read is already under way while the consumer
 * hashes and writes the current chunk. Two buffers are used in turn, so a chunk's bytes are valid
 * only until the consumer asks for the next one (then the one after it is read into them): fresh
 * buffers cost the kernel a page fault per 4 KiB and the collector the rest, a third of an import's
 * CPU time for large files.
 */
async function* readChunks(handle: fs.FileHandle): AsyncGenerator<Uint8Array> {
  const expected = (await handle.stat()).size;
  const buffers: Buffer[] = [];
  let turn = 0;
  let asked = 0;
  const readChunk = async () => {
    // One byte more than what is left, so that a file read whole needs no second full-size read.
    const length = asked < expected ? Math.min(CHUNK_SIZE, expected - asked + 1) : PAST_END_READ;
    asked += length;
    const slot = turn++ % 2;
    let buffer = buffers[slot];
    if (!buffer || buffer.byteLength < length) {
      buffer = Buffer.allocUnsafe(length);
      buffers[slot] = buffer;
    }
    const { bytesRead } = await handle.read(buffer, 0, length, null);
    return bytesRead === 0 ? null : buffer.subarray(0, bytesRead);
  };
  // A read runs ahead while the chunk before it is written: a failed one (a source disk's EIO) is
  // only awaited after that write, so it is marked handled at once, or Node would take it for an
  // unhandled rejection and end the process.
  const readAhead = () => {
    const reading = readChunk();
    reading.catch(() => null);
    return reading;
  };
  let next = readAhead();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk === null) return;
      next = readAhead();
      yield chunk;
    }
  } finally {
    // A consumer that stops early leaves one read in flight: let it settle before the file closes.
    await next.catch(() => null);
  }
}

/** Opens a file given to `putFile` for reading; a failure is the source's (SourceReadError). */
async function openSource(source: string | Buffer): Promise<fs.FileHandle> {
  try {
    return await fs.open(source, fsConstants.O_RDONLY);
  } catch (error) {
    throw new SourceReadError(source, error);
  }
}

/**
 * Chunks read from a source outside the store (a file given to import, a received bundle): a
 * failed read is the source's (SourceReadError), not the store's, which the blob store's writes
 * would otherwise word as its own disk's.
 */
export async function* sourceChunks(
  chunks: AsyncIterable<Uint8Array>,
  source: string | Buffer,
): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } catch (error) {
    throw new SourceReadError(source, error);
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

/**
 * Makes a folder unless it exists; true when it was made. Something else under its name (a file)
 * throws, so that it is never taken for the folder.
 */
function mkdirIfMissing(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw error;
    return false;
  }
}

/** Waits for every operation (none is left running behind a failure), then throws the first failure. */
async function settleAll(operations: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(operations)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Fsyncs a file's data through a handle that may write (Windows refuses to flush a read-only one). */
function fsyncWritable(file: string): Promise<void> {
  return fsyncPath(file, fsConstants.O_RDWR);
}

/**
 * Opens a path synchronously (microseconds) and fsyncs it on the thread pool: one trip through
 * the pool instead of three, and no FileHandle to track and collect.
 */
function fsyncPath(file: string, flags: number): Promise<void> {
  let fd: number;
  try {
    fd = openSync(file, flags);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    fsync(fd, (syncError) => {
      try {
        closeSync(fd);
      } catch (closeError) {
        reject(syncError ?? closeError);
        return;
      }
      if (syncError) reject(syncError);
      else resolve();
    });
  });
}

/**
 * Fsyncs in flight at once: enough to keep libuv's threads busy and let the disk's journal commit
 * many together, while holding at most this many files open (a group holds a thousand). The
 * `custos` command sizes its thread pool to match (bin/custos.cjs); libuv's default is 4 threads.
 */
const SYNC_CONCURRENCY = 32;

/**
 * Runs `work` on every value, at most `limit` at a time, waits for all of them (none is left
 * running behind a failure), then throws the first failure.
 */
async function settleBounded<T>(
  values: readonly T[],
  limit: number,
  work: (value: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async () => {
    while (next < values.length) {
      const value = values[next++] as T;
      try {
        await work(value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  if (failure) throw failure.error;
}

/** Makes a rename durable: fsync the folder that holds the new name (a no-op where unsupported). */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // Windows cannot open a folder for fsync; NTFS journals renames.
  await fsyncPath(dir, fsConstants.O_RDONLY);
}
