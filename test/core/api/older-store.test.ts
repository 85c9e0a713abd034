import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import { SCHEMA_VERSION } from '../../../electron/core/store/migrations/index.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import type { MigrationSite } from '../../../electron/core/store/store-upgrade.js';
import { WriterLock } from '../../../electron/core/store/writer-lock.js';
import { apiForStore } from '../../support/api-for-store.js';
import { makeOlderStore, schemaVersionOf } from '../../support/older-store.js';
import { REPO_ROOT, runCustos } from '../../support/run-custos.js';
import { openRawDatabase } from '../../support/sqlite.js';
import type { TempStore } from '../../support/temp-store.js';

/** The tables of a store's database as they are on disk. */
function tablesOf(dir: string): string[] {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('the app opens a store an older Custos wrote', () => {
  let temp: TempStore;
  let api: ApiService | undefined;
  beforeEach(async () => {
    temp = await makeOlderStore('OLD-1');
  });
  afterEach(() => {
    api?.close();
    temp.remove();
  });

  it('upgrades it on the first read and lists its cases and items, then lets the writer lock go', async () => {
    // Before, every read answered "run any write command (such as `custos init`) once to upgrade
    // it": a command the app's user never types, and the evidence list stayed empty.
    api = apiForStore(temp);
    const cases = await api.call('listCases', {});
    expect(cases.ok, JSON.stringify(cases)).toBe(true);
    expect(cases.ok && (cases.value as { number: string; itemCount: number }[])).toEqual([
      expect.objectContaining({ number: 'OLD-1', itemCount: 1 }),
    ]);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
    temp.open().close(); // the writer lock is free again: the `custos` command can write
  });

  it('says at once that it is upgrading and between which versions, and keeps answering while the upgrade runs', async () => {
    const sites: MigrationSite[] = [];
    api = apiForStore(temp, { storeUpgradeProbe: { migrated: (site) => sites.push(site) } });
    const started = await api.call('startStoreUpgrade', {});
    expect(started).toEqual({ ok: true, value: { fromVersion: 16, toVersion: SCHEMA_VERSION } });
    let listed = false;
    const listing = api.call('listCases', {}).finally(() => {
      listed = true;
    });
    // The migration runs on a worker thread: the service answers another call before the read that waits for it.
    expect(await api.call('startStoreUpgrade', {})).toEqual(started);
    expect(listed).toBe(false);
    const cases = await listing;
    expect(cases.ok && (cases.value as { number: string }[]).map((c) => c.number)).toEqual(['OLD-1']);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
    // On the worker thread itself, not on the main-thread fallback (which would hold the window).
    expect(sites).toEqual(['thread']);
    temp.open().close();
  });

  it('a write that comes first waits for the upgrade and then writes', async () => {
    api = apiForStore(temp);
    api.call('startStoreUpgrade', {});
    const created = await api.call('createCase', { number: 'OLD-2', title: 'After the upgrade' });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
  });

  it('a crash in the middle of the upgrade leaves the store as it was, and the next start upgrades it', async () => {
    const script = path.join(REPO_ROOT, 'test', 'support', 'migrate-then-die.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, temp.dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(child.stdout).toBe('migrated\n');
    expect(schemaVersionOf(temp.dir)).toBe(16);
    expect(tablesOf(temp.dir)).not.toContain('search_impacts');

    api = apiForStore(temp);
    expect(await api.call('startStoreUpgrade', {})).toEqual({
      ok: true,
      value: { fromVersion: 16, toVersion: SCHEMA_VERSION },
    });
    const cases = await api.call('listCases', {});
    expect(cases.ok && (cases.value as { number: string; itemCount: number }[])).toEqual([
      expect.objectContaining({ number: 'OLD-1', itemCount: 1 }),
    ]);
    expect(tablesOf(temp.dir)).toContain('search_impacts');
    api.close();
    api = undefined;
    const audit = await runCustos(['audit'], { store: temp.dir });
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  });

  it('while another Custos process holds the writer lock, says at once whom it waits for, then upgrades once it is let go', async () => {
    // Before, the upgrade waited 5 s for the lock on the app's main thread, answered nothing, and
    // the profile's read waited 5 s more and failed. The holder here is a connection of the test's
    // own process: SQLite's exclusive lock refuses another connection just as another process.
    const layout = storeLayout(temp.dir);
    const holder = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
    try {
      api = apiForStore(temp);
      const started = await api.call('startStoreUpgrade', {});
      expect(started).toEqual({
        ok: true,
        value: {
          fromVersion: 16,
          toVersion: SCHEMA_VERSION,
          waiting: { holder: expect.stringContaining(`pid ${process.pid} on `) },
        },
      });
      const listing = api.call('listCases', {});
      expect(await api.call('startStoreUpgrade', {})).toEqual(started);
      expect(schemaVersionOf(temp.dir)).toBe(16);
      holder.release();
      const cases = await listing;
      expect(cases.ok && (cases.value as { number: string }[]).map((c) => c.number)).toEqual(['OLD-1']);
      expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
      expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
    } finally {
      holder.release();
    }
  });

  it('a current store says there is nothing to upgrade', async () => {
    api = apiForStore(temp);
    await api.call('listCases', {});
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
  });
});
