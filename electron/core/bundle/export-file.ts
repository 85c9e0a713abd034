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

  constructor(readonly out: string) {
    this.partial = partialFileFor(out);
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
