import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { WriterLock } from '../../../electron/core/store/writer-lock.js';
import { runCustos } from '../../support/run-custos.js';
import { seedStore } from '../../support/seed-store.js';
import { committedCaseNumbers } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { holdWriterLock, type WriterLockHolder } from '../../support/writer-lock-holder.js';

// Each test starts two or more Node processes and one of them waits out the writer's 5 s lock
// timeout: allow for a busy machine (a bound, not a timing assertion).
describe('the writer lock (one writing process per store)', { timeout: 180_000 }, () => {
  let temp: TempStore;
  let holder: WriterLockHolder | undefined;

  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'LOCK-1' });
    await seedStore(temp, { files: 1 });
  });
  afterEach(async () => {
    await holder?.kill();
    holder = undefined;
    temp.remove();
  });

  test('a second writer gets exit 3 and a clear "in use" message naming the holder, and writes nothing', async () => {
    holder = await holdWriterLock(temp.dir);

    const refused = await runCustos(['case', 'create', '--number', 'LOCK-2', '--title', 'Second'], {
      store: temp.dir,
    });

    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('the store is in use by another Custos process');
    expect(refused.stderr).toContain(`pid ${holder.pid}`);
    expect(refused.stderr).toContain('wait for it to finish');
    expect(committedCaseNumbers(temp.dir)).toEqual(['LOCK-1']);
  });

  test('after the holder is killed with SIGKILL the lock is free at once: no stale lock', async () => {
    holder = await holdWriterLock(temp.dir);
    const infoFile = path.join(temp.dir, 'writer.lock.json');
    expect(JSON.parse(fs.readFileSync(infoFile, 'utf8'))).toMatchObject({ pid: holder.pid });

    await holder.kill();
    expect(fs.existsSync(infoFile)).toBe(true); // the killed holder could not clean up after itself

    const created = await runCustos(['case', 'create', '--number', 'LOCK-2', '--title', 'After the crash'], {
      store: temp.dir,
    });
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(committedCaseNumbers(temp.dir)).toEqual(['LOCK-1', 'LOCK-2']);
  });

  test('readers (case list, items, audit) work while a writer holds the lock mid-transaction, and see only committed data', async () => {
    holder = await holdWriterLock(temp.dir, { midTransaction: true });

    const [cases, items, audit] = await Promise.all([
      runCustos(['case', 'list'], { store: temp.dir }),
      runCustos(['items', '--case', 'LOCK-1'], { store: temp.dir }),
      runCustos(['audit'], { store: temp.dir, json: true }),
    ]);

    expect(cases.status).toBe(0);
    expect(cases.stdout).toContain('LOCK-1');
    expect(cases.stdout).not.toContain('UNCOMMITTED');
    expect(items.status).toBe(0);
    expect(items.stdout).toContain('evidence-1.txt');
    expect(audit.status).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ clean: true, counts: { items: 1, ledgerEntries: 5 } });
  });

  test('an uncommitted write of a killed writer is gone: the store audits clean and holds only committed rows', async () => {
    holder = await holdWriterLock(temp.dir, { midTransaction: true });
    await holder.kill();

    expect(committedCaseNumbers(temp.dir)).toEqual(['LOCK-1']);
    const store = temp.openForReading();
    try {
      expect(await runAudit(store)).toMatchObject({ clean: true, problems: [] });
    } finally {
      store.close();
    }
  });
});

describe('a wait for the writer lock that its caller has stopped', () => {
  test('takes a free lock no more once the app is closing: the abort is looked at before the first try', async () => {
    const temp = makeTempStore();
    try {
      const layout = storeLayout(temp.dir);
      const closed = new AbortController();
      closed.abort(); // the app closed before this write asked for the lock
      await expect(
        WriterLock.acquire(layout.writerLock, layout.writerLockInfo, { signal: closed.signal }),
      ).rejects.toThrow('Custos is closing; nothing was done');
      // Nothing holds it: a `custos` command can write at once.
      WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo).release();
      expect(fs.existsSync(layout.writerLockInfo)).toBe(false);
    } finally {
      temp.remove();
    }
  });
});
