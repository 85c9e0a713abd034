import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import { StoreAccess } from '../../../electron/core/api/services/store-access.js';
import { WatchScheduler } from '../../../electron/core/api/services/watch-scheduler.js';
import type { WatchRunCheck } from '../../../electron/core/watch/watch-runner.js';
import { addWatch } from '../../../electron/core/watch/watch-service.js';
import type { ApiResult, WatchRunOutcome } from '../../../shared/api.js';
import type { WatchView } from '../../../shared/watch.js';
import { apiForStore } from '../../support/api-for-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { startWatchSite } from '../../support/watch-site.js';

function value<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

/** An address on 127.0.0.1 whose port was open and is now closed (connection refused). */
async function closedUrl(): Promise<string> {
  const site = await startWatchSite();
  await site.stop();
  return site.postUrl;
}

describe('watch API', () => {
  let temp: TempStore;
  let api: ApiService;
  let unreachable: string;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    api = apiForStore(temp);
    unreachable = await closedUrl();
  });
  afterAll(() => {
    api.close();
    temp.remove();
  });

  it('refuses a bad address or interval as bad input and writes nothing', async () => {
    const badUrl = await api.call('addWatch', { caseRef: 'BE-1', url: 'javascript:alert(1)' });
    expect(!badUrl.ok && badUrl.error.kind).toBe('bad-input');
    const badEvery = await api.call('addWatch', { caseRef: 'BE-1', url: unreachable, every: 'often' });
    expect(!badEvery.ok && badEvery.error).toMatchObject({
      kind: 'bad-input',
      message: expect.stringMatching(/e\.g\. 30m/),
    });
    expect(value<WatchView[]>(await api.call('listWatches', {}))).toEqual([]);
    expect(
      value<{ action: string }[]>(await api.call('getLedger', {})).some((e) => e.action.startsWith('watch.')),
    ).toBe(false);
  });

  it('adds a watch, checks it now, lists its history with the state and error, and removes it keeping the history', async () => {
    const added = value<WatchView>(
      await api.call('addWatch', { caseRef: 'BE-1', url: unreachable, every: '1d' }),
    );
    expect(added).toMatchObject({ url: unreachable, intervalSeconds: 86_400, state: null });
    const run = value<WatchRunOutcome>(await api.call('runWatches', { watchId: added.id }));
    expect(run.checks).toMatchObject([
      { watchId: added.id, state: 'unreachable', previousState: null, itemId: null },
    ]);
    const [listed] = value<WatchView[]>(await api.call('listWatches', { caseRef: 'BE-1' }));
    expect(listed?.state).toBe('unreachable');
    expect(listed?.history[0]?.error).toMatch(/refused the connection/);

    const removed = value<WatchView>(await api.call('removeWatch', { watchId: added.id }));
    expect(removed.removedAt).not.toBeNull();
    expect(value<WatchView[]>(await api.call('listWatches', {}))).toEqual([]);
    const all = value<WatchView[]>(await api.call('listWatches', { includeRemoved: true }));
    expect(all.map((w) => [w.id, w.history.length])).toEqual([[added.id, 1]]);
    const again = await api.call('removeWatch', { watchId: added.id });
    expect(!again.ok && again.error.message).toMatch(/already removed/);
  });
});

describe('the watch scheduler', () => {
  let temp: TempStore;
  beforeAll(() => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
  });
  afterAll(() => temp.remove());

  it('runs a due watch on its own timer, once, then releases the writer lock until the next is due', async () => {
    const url = await closedUrl();
    const store = temp.open();
    try {
      addWatch(store, { url, caseRef: 'BE-1', intervalSeconds: 3600 });
    } finally {
      store.close();
    }
    const access = new StoreAccess(temp.dir);
    const runs: (readonly WatchRunCheck[])[] = [];
    const scheduler = new WatchScheduler({
      store: access,
      tickMs: 100,
      onChecked: (checks) => runs.push(checks),
    });
    scheduler.start();
    try {
      const deadline = Date.now() + 120_000;
      while (runs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // A few more ticks: the watch is not due again for an hour, so nothing more runs.
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      scheduler.stop();
    }
    expect(runs.map((checks) => checks.map((c) => c.check.state))).toEqual([['unreachable']]);
    // The scheduler is idle: the `custos` command (another writer) can take the lock.
    const other = temp.open();
    other.close();
    access.close();
  }, 150_000);

  it('does nothing on a store that does not exist yet (a new workstation)', async () => {
    const scheduler = new WatchScheduler({ store: new StoreAccess(path.join(temp.base, 'nowhere')) });
    expect(await scheduler.tick()).toEqual([]);
  });
});
