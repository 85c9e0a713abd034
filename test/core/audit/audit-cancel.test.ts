import { afterEach, describe, expect, test, vi } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { Cancelled } from '../../../electron/core/cancel.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { BlobStore } from '../../../electron/core/store/blob-store.js';
import { requestPending } from '../../../electron/core/timestamp/stamp-queue.js';
import { addTrustedRoots } from '../../../electron/core/timestamp/timestamp-settings.js';
import { localTsaForTests } from '../../support/local-tsa.js';
import { seedStore } from '../../support/seed-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

// The window's cancel of an audit (AuditContext.signal) stops the work under way: the window is
// answered at once, and whatever still runs holds the store's database open and reads the disk
// for a report nobody reads.
const localTsa = localTsaForTests();
let temp: TempStore | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  temp?.remove();
});

/** Audits the store read-only with a signal, `onProgress` given the controller to abort from. */
async function auditCancelled(
  store: TempStore,
  onProgress?: (done: number, controller: AbortController) => void,
): Promise<{ error: unknown; controller: AbortController }> {
  const controller = new AbortController();
  const reader = store.openForReading();
  try {
    await runAudit(reader, (p) => onProgress?.(p.done, controller), undefined, undefined, {
      signal: controller.signal,
    });
    return { error: undefined, controller };
  } catch (error) {
    return { error, controller };
  } finally {
    reader.close();
  }
}

describe('a cancelled audit stops the work under way', { timeout: 60_000 }, () => {
  test('a cancel given while a large blob is re-hashed stops its re-hash before its end, and the audit ends cancelled, not with a finding', async () => {
    temp = makeTempStore({ caseNumber: 'AC-1' });
    const size = 8 * 1024 * 1024; // eight of the re-hash's 1 MiB reads
    const file = temp.writeFile('video.bin', Buffer.alloc(size, 7));
    const store = temp.open();
    try {
      await importFile(store, temp.caseId ?? '', file);
    } finally {
      store.close();
    }
    let doneAtCancel = -1;
    let mostDone = 0;
    const { error } = await auditCancelled(temp, (done, controller) => {
      mostDone = Math.max(mostDone, done);
      if (done > 0 && doneAtCancel < 0) {
        doneAtCancel = done; // the first megabyte read: the investigator cancels
        controller.abort();
      }
    });
    expect(error).toBeInstanceOf(Cancelled);
    expect(doneAtCancel).toBeGreaterThan(0);
    // Before, the blob was read to its end (all 8 MiB) after the cancel; a video of gigabytes kept
    // the disk and the database handle busy for minutes.
    expect(mostDone).toBeLessThan(size);
  });

  test('a cancel given while the timestamp tokens are checked re-hashes none of the tokens after it', async () => {
    temp = makeTempStore({ caseNumber: 'AC-2' });
    await seedStore(temp, { files: 3 });
    const store = temp.open();
    try {
      addTrustedRoots(store, localTsa().caPem, 'ca.pem');
      const results = await requestPending(store, { authorities: [localTsa().url] });
      expect(results.length).toBeGreaterThan(1);
      expect(results.every((r) => r.status === 'granted')).toBe(true);
    } finally {
      store.close();
    }
    const rehash = BlobStore.prototype.rehash;
    let controller: AbortController | undefined;
    let afterCancel = -1;
    vi.spyOn(BlobStore.prototype, 'rehash').mockImplementation(function (this: BlobStore, ...args) {
      // The timestamp check re-hashes its token and chain blobs without a progress callback.
      if (args[1] === undefined && controller && afterCancel < 0) {
        controller.abort();
        afterCancel = 0;
      } else if (afterCancel >= 0) afterCancel++;
      return rehash.apply(this, args);
    });
    const { error } = await auditCancelled(temp, (_done, c) => {
      controller = c;
    });
    expect(error).toBeInstanceOf(Cancelled);
    // Before, every token's and chain's blob was re-hashed after the cancel.
    expect(afterCancel).toBe(0);
  });
});
