import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import { BlobStore } from '../../../electron/core/store/blob-store.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { ApiProgress } from '../../../shared/api.js';
import type { AuditReport } from '../../../shared/domain.js';
import { restoreKilledAt, storeWithOlderBackup } from '../../cli/restore-fixtures.js';
import { apiForStore } from '../../support/api-for-store.js';
import { type PausedWriter, pausedWriter } from '../../support/paused-writer.js';
import { custosArgs } from '../../support/run-custos.js';
import { seedStore } from '../../support/seed-store.js';
import type { TempStore } from '../../support/temp-store.js';
import { holdWriterLock, type WriterLockHolder } from '../../support/writer-lock-holder.js';

// The window's reads while a `custos` command in another process settles a restore that a kill
// interrupted: that command is held at steps of its settle by test/support/pause-settle-at.mjs.

/** How many of this process's descriptors are open on a database a restore set aside in `dir` (/proc/self/fd). */
function descriptorsOnSetAside(dir: string): number {
  const aside = `${fs.realpathSync(dir)}/custos.sqlite.replaced-`;
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(aside);
    } catch {
      return false; // the descriptor readdir itself used, closed since
    }
  }).length;
}

/** Resolves `closed` at the first `EvidenceStore.close` after `signal` is aborted; `restore` ends the spy. */
function firstCloseAfter(signal: AbortSignal): {
  readonly closed: Promise<void>;
  readonly restore: () => void;
} {
  const close = EvidenceStore.prototype.close;
  let closedNow!: () => void;
  const closed = new Promise<void>((resolve) => {
    closedNow = resolve;
  });
  const spy = vi.spyOn(EvidenceStore.prototype, 'close').mockImplementation(function (this: EvidenceStore) {
    close.call(this);
    if (signal.aborted) closedNow();
  });
  return { closed, restore: () => spy.mockRestore() };
}

/** Counts the blobs re-hashed (`BlobStore.rehash`, the audit's longest work) before and after `signal` is aborted. */
function rehashesAfter(signal: AbortSignal): { before: number; after: number; readonly restore: () => void } {
  const rehash = BlobStore.prototype.rehash;
  const counts = { before: 0, after: 0 };
  const spy = vi.spyOn(BlobStore.prototype, 'rehash').mockImplementation(function (
    this: BlobStore,
    ...args: Parameters<BlobStore['rehash']>
  ) {
    if (signal.aborted) counts.after += 1;
    else counts.before += 1;
    return rehash.apply(this, args);
  });
  return Object.assign(counts, { restore: () => spy.mockRestore() });
}

/** Lets the API call just made run up to its first wait on a timer or a file (it is in this process). */
async function untilWaiting(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe("the window's reads while another process settles an interrupted restore", {
  timeout: 120_000,
}, () => {
  let temp: TempStore | undefined;
  let api: ApiService | undefined;
  let writer: PausedWriter | undefined;
  let holder: WriterLockHolder | undefined;
  afterEach(async () => {
    for (const step of ['settling', 'settled']) writer?.resume(step); // never leaves a writer held
    await writer?.result;
    await holder?.kill();
    holder = undefined;
    api?.close();
    temp?.remove();
    writer = undefined;
    api = undefined;
    temp = undefined;
  });

  /** A restore killed after the swap, then `custos case create RB-3` held at `steps` of its settle, and the API on the store. */
  async function settlingWrite(steps: readonly string[]): Promise<{ api: ApiService; writer: PausedWriter }> {
    const made = await storeWithOlderBackup();
    temp = made.temp;
    await restoreKilledAt(temp.dir, made.backupDir, 'swapped');
    writer = pausedWriter(
      temp.dir,
      ['case', 'create', '--number', 'RB-3', '--title', 'next'],
      steps,
      path.join(temp.base, 'resume'),
    );
    await writer.untilPaused(steps[0]!);
    api = apiForStore(temp);
    return { api, writer };
  }

  it("the case list asked while another process settles the restore and then goes on with its write answers the backup's cases once the restore is settled, without waiting for that process's lock", async () => {
    const { api, writer } = await settlingWrite(['settling', 'settled']);
    const listing = api.call('listCases', {});
    await untilWaiting();
    writer.resume('settling');
    await writer.untilPaused('settled'); // the restore settled, the writer lock still held for the write
    const cases = await listing;
    expect(cases.ok, JSON.stringify(cases)).toBe(true);
    expect(JSON.stringify(cases)).toContain('RB-1');
    expect(JSON.stringify(cases)).not.toContain('RB-2');
    expect(fs.existsSync(path.join(temp!.dir, 'restore-pending.json'))).toBe(false);
    writer.resume('settled');
    expect((await writer.result).status).toBe(0);
  });

  it("the window's audit asked while another process settles the restore reports the settled store, clean, not the restore pending", async () => {
    const { api, writer } = await settlingWrite(['settling']);
    const audit = api.call('auditStore', {});
    await untilWaiting();
    writer.resume('settling');
    const answer = await audit;
    expect(answer.ok, JSON.stringify(answer)).toBe(true);
    const report = (answer as { value: AuditReport }).value;
    expect(report.problems, JSON.stringify(report.problems)).toEqual([]);
    expect(report.notices.map((n) => n.subject)).not.toContain('restore-pending.json');
    expect((await writer.result).status).toBe(0);
  });

  /**
   * `audit` (the window's, by default) with a real `custos restore` run (to its end,
   * synchronously, as the audit's read is) at the read `isTheRead` names in each of its first
   * `overtakings` runs, `afterRestore` called after each; the answer, the restores' results, and
   * at each run's snapshot read, how many descriptors this process held on a database a restore
   * set aside; `onRun` is told of each run as its snapshot's read of store.json begins.
   */
  const auditOvertaken = async <T = Awaited<ReturnType<ApiService['call']>>>(
    isTheRead: (name: string) => boolean,
    overtakings: number,
    audit: (api: ApiService, storeDir: string) => Promise<T> = (api) =>
      api.call('auditStore', {}) as Promise<T>,
    afterRestore: () => void = () => undefined,
    onRun: (run: number) => void = () => undefined,
  ): Promise<{ answer: T; restores: ReturnType<typeof spawnSync>[]; setAsideHeld: number[] }> => {
    const made = await storeWithOlderBackup();
    temp = made.temp;
    await seedStore(temp, { files: 2 }); // 3 items in the database the restore sets aside, 1 in the backup
    api = apiForStore(temp);
    const storeDir = temp.dir;
    const readFileSync = fs.readFileSync;
    const restores: ReturnType<typeof spawnSync>[] = [];
    const setAsideHeld: number[] = [];
    let runs = 0; // the audit's runs so far, counted at their snapshot's read of store.json (`outcomeOf`)
    const spy = vi.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options) => {
      const name = path.basename(String(file));
      const stack = new Error().stack ?? '';
      if (name === 'store.json' && stack.includes('at outcomeOf')) {
        runs += 1;
        setAsideHeld.push(descriptorsOnSetAside(storeDir));
        onRun(runs);
      }
      if (restores.length < Math.min(runs, overtakings) && isTheRead(name) && stack.includes('run-audit')) {
        restores.push(
          spawnSync(
            process.execPath,
            custosArgs(['restore', '--from', made.backupDir, '--accept-loss'], {
              store: storeDir,
            }) as string[],
            { encoding: 'utf8', env: { ...process.env, CUSTOS_STORE: undefined } },
          ),
        );
        afterRestore();
      }
      return readFileSync(file, options);
    }) as typeof fs.readFileSync);
    try {
      return { answer: await audit(api, storeDir), restores, setAsideHeld };
    } finally {
      spy.mockRestore();
    }
  };

  it("the window's audit cancelled while its run is under way answers cancelled and stops that run: no blob is re-hashed after the cancel", async () => {
    const cancel = new AbortController();
    const rehashes = rehashesAfter(cancel.signal);
    // The first close after the cancel is `readCancellable`'s, once the run has ended.
    const closes = firstCloseAfter(cancel.signal);
    try {
      const { answer, restores } = await auditOvertaken(
        () => false,
        0,
        (api) => api.call('auditStore', {}, { signal: cancel.signal }),
        undefined,
        () => cancel.abort(), // as its snapshot begins, every check still to run
      );
      expect(restores).toEqual([]);
      expect(answer).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
      await closes.closed;
      // Before, the run went on unseen to its end, re-hashing every blob.
      expect(rehashes.after).toBe(0);
    } finally {
      rehashes.restore();
      closes.restore();
    }
  });

  for (const [moment, isTheRead, before] of [
    [
      'as the audit reads store.json for its snapshot, its database open',
      (name: string) => name === 'store.json',
      'its history was replaced',
    ],
    [
      "inside the audit's snapshot, at a check's first read of a file",
      (name: string) => name !== 'store.json',
      'a clean report of the database the restore set aside',
    ],
  ] as const) {
    it(`the window's audit overtaken by a real \`custos restore\` (${moment}) audits the restored store once more, its progress saying it started over, and reports that store alone, clean, not ${before}`, async () => {
      const seen: ApiProgress[] = [];
      const { answer, restores, setAsideHeld } = await auditOvertaken(isTheRead, 1, (api) =>
        api.call('auditStore', {}, { onProgress: (progress) => seen.push(progress) }),
      );
      expect(restores.map((r) => r.status)).toEqual([0]);
      // The window is told the audit started over on the restored store, and every later report says so.
      const restart = seen.findIndex((progress) => progress.restarted);
      expect(restart, JSON.stringify(seen)).toBeGreaterThan(0);
      expect(seen[restart]).toEqual({ done: 0, total: 0, restarted: true });
      expect(seen.slice(0, restart).filter((progress) => progress.restarted)).toEqual([]);
      expect(seen.length).toBeGreaterThan(restart + 1);
      expect(seen.slice(restart).filter((progress) => !progress.restarted)).toEqual([]);
      // The first run's connection, on the database the restore set aside, closed before the second run.
      expect(setAsideHeld).toEqual([0, 0]);
      expect(answer.ok, JSON.stringify(answer)).toBe(true);
      const report = (answer as { value: AuditReport }).value;
      expect(report.clean).toBe(true);
      expect(report.counts.items).toBe(1); // the backup's one item, nothing of the database set aside
      const again = await api?.call('auditStore', {});
      expect(again).toEqual(answer); // the restored store's report, as an audit run afterwards gives it
    });

    it(`the window's audit cancelled as a real \`custos restore\` overtakes it (${moment}) answers cancelled and begins no audit of the restored store unseen`, async () => {
      const cancel = new AbortController();
      const opens = vi.spyOn(EvidenceStore, 'openForReadingWhenSettled');
      // The first close after the cancel is the first run's store's, once that run has stopped (at
      // its next check), in `runAudit` or in `readCancellable`: no run on the restored store follows.
      const closes = firstCloseAfter(cancel.signal);
      try {
        const { answer, restores } = await auditOvertaken(
          isTheRead,
          1,
          (api) => api.call('auditStore', {}, { signal: cancel.signal }),
          () => cancel.abort(),
        );
        expect(restores.map((r) => r.status)).toEqual([0]);
        expect(answer).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
        await closes.closed;
        expect(opens).toHaveBeenCalledTimes(1); // the first run's open only
      } finally {
        opens.mockRestore();
        closes.restore();
      }
    });

    it(`the window's audit cancelled while its run on the restored store is under way (the restore ${moment}) answers cancelled and stops that run: no blob is re-hashed after the cancel`, async () => {
      const cancel = new AbortController();
      const rehashes = rehashesAfter(cancel.signal);
      // The first close after the cancel is the second run's store's, in `runAudit`, as that run ends.
      const closes = firstCloseAfter(cancel.signal);
      try {
        const { answer, restores } = await auditOvertaken(
          isTheRead,
          1,
          (api) => api.call('auditStore', {}, { signal: cancel.signal }),
          undefined,
          (run) => run === 2 && cancel.abort(), // as its snapshot begins, every check still to run
        );
        expect(restores.map((r) => r.status)).toEqual([0]);
        expect(answer).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
        await closes.closed;
        expect(rehashes.before).toBeGreaterThan(0); // the first run re-hashed the blobs
        // Before, the run on the restored store went on unseen to its end, re-hashing every blob.
        expect(rehashes.after).toBe(0);
      } finally {
        rehashes.restore();
        closes.restore();
      }
    });

    it(`the window's audit overtaken by a real \`custos restore\` (${moment}) in its run and again in its run on the restored store says the store was restored while it ran and to run the audit again, not ${before}`, async () => {
      const { answer, restores } = await auditOvertaken(isTheRead, 2);
      expect(restores.map((r) => r.status)).toEqual([0, 0]);
      expect(answer.ok, JSON.stringify(answer)).toBe(false);
      const { error } = answer as { error: { kind: string; message: string } };
      expect(error.kind).toBe('failure');
      expect(error.message).toMatch(
        /^the store was restored while the audit ran .* its report is left out; nothing was written\. Open Audit store and run the audit again$/,
      );
    });
  }

  it("the window's audit asked while another live process still holds the lock after the wait, the restore not recorded, says the store is in use and to try again, not an integrity failure", async () => {
    const made = await storeWithOlderBackup();
    temp = made.temp;
    await restoreKilledAt(temp.dir, made.backupDir, 'swapped');
    holder = await holdWriterLock(temp.dir, { lockOnly: true });
    api = apiForStore(temp);
    const answer = await api.call('auditStore', {});
    expect(answer.ok, JSON.stringify(answer)).toBe(false);
    const { error } = answer as { error: { kind: string; message: string } };
    expect(error.kind).toBe('failure');
    expect(error.message).toContain(`the store is in use by another Custos process (pid ${holder.pid} on `);
    expect(error.message).toMatch(/nothing was read\. Wait for it to finish, then try again$/);
    expect(fs.existsSync(path.join(temp.dir, 'restore-pending.json'))).toBe(true);
  });
});
