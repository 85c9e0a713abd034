/**
 * An export's file on its way into place (bundle or WACZ): written under a temporary
 * `.NAME.PID.partial` name beside the target, then linked to the target in the same transaction
 * as the custody entry that records it, so that a crash leaves either both or neither.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LedgerEntry } from '../../../shared/domain.js';
import { processAlive } from '../process-alive.js';
import { fsyncDir } from '../store/blob-store.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import type { LedgerInput } from '../store/ledger.js';

const PARTIAL_SUFFIX = '.partial';
/** `.NAME.PID.partial`: an export's file while it is written (the pid says whose). */
const PARTIAL_NAME = /^\..+\.(\d+)\.partial$/;

/** `.NAME.PID.partial` beside the target: where an export writes until its file is whole. */
export function partialFileFor(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}${PARTIAL_SUFFIX}`);
}

/** An export's target and the temporary file it is written to until it is whole. */
export class ExportFile {
  /** Where the export writes until it commits. */
  readonly partial: string;
  private linked = false;
  /** The fsync begun while the export still waits on something else (`flushAhead`), if any. */
  private earlyFlush: Promise<void> | null = null;

  /** `syncFile` fsyncs a file: the tests give one that fails as a failing disk's does. */
  constructor(
    readonly out: string,
    private readonly syncFile: (file: string) => Promise<void> = fsyncFile,
  ) {
    this.partial = partialFileFor(out);
  }

  /**
   * Begins an fsync of what is written so far, to overlap it with other work: the bundle's
   * evidence is usually written long before report.pdf is printed, and its hundreds of MB would
   * otherwise wait in the page cache for `sync` after the last byte (0.35-0.4 s of the bench's
   * 16 x 32 MiB export). Only a head start: `sync` still makes the whole file durable. Its
   * failure is the export's, thrown by `sync`: Linux reports a failed write-back to one fsync only
   * and may let the next succeed over the lost pages, so a later fsync's success proves nothing.
   */
  flushAhead(): void {
    if (this.earlyFlush) return;
    const flushing = this.syncFile(this.partial);
    flushing.catch(() => undefined); // met by `sync`, or let go by `discard`
    this.earlyFlush = flushing;
  }

  /** Makes the whole written file durable; throws if the head start (if one was begun) failed. */
  async sync(): Promise<void> {
    await this.earlyFlush;
    await this.syncFile(this.partial);
  }

  /**
   * Puts the whole (already fsynced) file in place with its custody entry: one transaction appends
   * the entry and links the file to the target, then the temporary name goes and the link is made
   * durable. Returns the entry.
   */
  async commit(store: EvidenceStore, entry: LedgerInput): Promise<LedgerEntry> {
    const ledgerEntry = store.transaction((wdb) => {
      const appended = store.appendInTransaction(wdb, entry);
      // link() refuses to replace a file that appeared meanwhile; the entry rolls back with it.
      fs.linkSync(this.partial, this.out);
      this.linked = true;
      return appended;
    });
    fs.unlinkSync(this.partial);
    await fsyncDir(path.dirname(this.out));
    return ledgerEntry;
  }

  /**
   * Removes the temporary file of an export that failed before it was linked into place. The file
   * is removed only once `stream` (the one writing it, if any) has closed: an open still on its way
   * would otherwise create it again after the removal.
   */
  async discard(stream?: fs.WriteStream): Promise<void> {
    if (this.linked) return;
    if (stream && !stream.closed) {
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
      stream.destroy();
      await closed;
    }
    // An fsync begun early holds the file open: on Windows it could not be removed meanwhile.
    await this.earlyFlush?.catch(() => undefined);
    fs.rmSync(this.partial, { force: true });
  }
}

/**
 * Removes the `.NAME.PID.partial` files that exports killed mid-way (their process is gone) left
 * in the output folder, whatever bundle they were for; a live export's file is never touched.
 */
export function removeStalePartials(dir: string): { files: number; bytes: number; swept: string[] } {
  const swept: string[] = [];
  let bytes = 0;
  for (const name of fs.readdirSync(dir)) {
    const pid = PARTIAL_NAME.exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    const file = path.join(dir, name);
    try {
      const stat = fs.lstatSync(file);
      if (!stat.isFile()) continue;
      bytes += stat.size;
    } catch {
      continue;
    }
    fs.rmSync(file, { force: true });
    swept.push(file);
  }
  return { files: swept.length, bytes, swept };
}

/** fsyncs a file's content to disk. */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
