import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import { SCHEMA_VERSION } from '../../../electron/core/store/migrations/index.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import type { MigrationSite } from '../../../electron/core/store/store-upgrade.js';
import { WriterLock } from '../../../electron/core/store/writer-lock.js';
import type { StoreUpgrade } from '../../../shared/api.js';
import { apiForStore } from '../../support/api-for-store.js';
import { editStoreAnchor } from '../../support/edited-anchor.js';
import { makeDatabaseUnreadable, makeOlderStore, schemaVersionOf } from '../../support/older-store.js';
import { REPO_ROOT, runCustos } from '../../support/run-custos.js';
import { addTableOfMissingModule, openRawDatabase, sqliteShell } from '../../support/sqlite.js';
import { storeBytes } from '../../support/store-bytes.js';
import type { TempStore } from '../../support/temp-store.js';

/** Resolves once every callback already queued, and every promise callback they queue, has run. */
const afterPendingCallbacks = () => new Promise((resolve) => setImmediate(resolve));

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
    // the last migration (019, the search documents' blocks) had run all its statements: undone too
    expect(tablesOf(temp.dir)).not.toContain('search_case_blocks');

    api = apiForStore(temp);
    expect(await api.call('startStoreUpgrade', {})).toEqual({
      ok: true,
      value: { fromVersion: 16, toVersion: SCHEMA_VERSION },
    });
    const cases = await api.call('listCases', {});
    expect(cases.ok && (cases.value as { number: string; itemCount: number }[])).toEqual([
      expect.objectContaining({ number: 'OLD-1', itemCount: 1 }),
    ]);
    expect(tablesOf(temp.dir)).toEqual(expect.arrayContaining(['search_impacts', 'search_case_blocks']));
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

  it('remembers a failed upgrade and why, refuses every call meanwhile, and upgrades only when asked again', async () => {
    // A table in the way of migration 017's CREATE TABLE makes its one transaction fail and roll back.
    const db = openRawDatabase(temp.dir);
    db.exec('CREATE TABLE search_impact_terms (in_the_way INTEGER)');
    db.close();
    api = apiForStore(temp);
    api.call('startStoreUpgrade', {});
    const first = await api.call('getProfile', {});
    expect(first.ok).toBe(false);
    const failed = await api.call('startStoreUpgrade', {});
    expect(failed).toEqual({
      ok: true,
      value: {
        fromVersion: 16,
        toVersion: SCHEMA_VERSION,
        failed: expect.objectContaining({ details: expect.stringContaining('search_impact_terms') }),
      },
    });

    // Failed before its commit: no step after it is named, and the store is as it was.
    expect(failed.ok && (failed.value as StoreUpgrade).failed?.unfinished).toBeUndefined();
    expect(schemaVersionOf(temp.dir)).toBe(16);

    const fix = openRawDatabase(temp.dir);
    fix.exec('DROP TABLE search_impact_terms');
    fix.close();
    // Remembered until the user asks again: a read does not start another attempt behind the window's card.
    expect((await api.call('listCases', {})).ok).toBe(false);
    expect(await api.call('startStoreUpgrade', {})).toEqual(failed);
    expect(schemaVersionOf(temp.dir)).toBe(16);

    expect(await api.call('startStoreUpgrade', { again: true })).toEqual({
      ok: true,
      value: { fromVersion: 16, toVersion: SCHEMA_VERSION },
    });
    const cases = await api.call('listCases', {});
    expect(cases.ok && (cases.value as { number: string }[]).map((c) => c.number)).toEqual(['OLD-1']);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
  });

  it("an upgrade another program keeps from the database says so plainly, with SQLite's code on its details line", async () => {
    // Another program's write transaction on the database (a database browser, say) outlasts
    // SQLite's 10 s busy timeout: the migration fails with SQLITE_BUSY and rolls back.
    const other = openRawDatabase(temp.dir);
    other.exec('BEGIN IMMEDIATE');
    try {
      api = apiForStore(temp);
      api.call('startStoreUpgrade', {});
      expect((await api.call('getProfile', {})).ok).toBe(false);
    } finally {
      other.close();
    }
    const failed = await api.call('startStoreUpgrade', {});
    const failure = failed.ok ? (failed.value as StoreUpgrade | null)?.failed : undefined;
    // Before, the reason was SQLite's own text after "unexpected error:".
    expect(failure?.reason).toMatch(
      /^the store's database is in use by another program \(SQLITE_BUSY\): close any other program/,
    );
    expect(failure?.details).toMatch(/^SQLITE_BUSY: database is locked/);
    expect(schemaVersionOf(temp.dir)).toBe(16);
  }, 60_000);

  it('a failure after the upgrade committed says the store was upgraded and which step did not finish', async () => {
    // While the migration runs, the store's tmp folder becomes a link to itself: setting the
    // store's files owner-only, the step after the commit, meets ELOOP and throws.
    const layout = storeLayout(temp.dir);
    api = apiForStore(temp, {
      storeUpgradeProbe: {
        beforeMigration: async () => {
          fs.rmSync(layout.temp, { recursive: true, force: true });
          fs.symlinkSync(layout.temp, layout.temp);
        },
      },
    });
    api.call('startStoreUpgrade', {});
    expect((await api.call('getProfile', {})).ok).toBe(false);
    const failed = await api.call('startStoreUpgrade', {});
    // Before, the card said "Nothing in the store was changed" though the migration had committed.
    expect(failed.ok && (failed.value as StoreUpgrade).failed).toEqual(
      expect.objectContaining({ unfinished: 'file-modes', details: expect.stringMatching(/^ELOOP: /) }),
    );
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);

    fs.rmSync(layout.temp);
    expect(await api.call('startStoreUpgrade', { again: true })).toEqual({ ok: true, value: null });
    const cases = await api.call('listCases', {});
    expect(cases.ok && (cases.value as { number: string }[]).map((c) => c.number)).toEqual(['OLD-1']);
  });

  it('a failed upgrade after which the database cannot be read says it cannot tell whether the update was applied, never that nothing changed', async () => {
    // Just before the migration the database turns to unreadable bytes (a failing disk, say): the
    // migration fails, and so does the read that asks whether it had committed.
    api = apiForStore(temp, {
      storeUpgradeProbe: { beforeMigration: async () => makeDatabaseUnreadable(temp.dir) },
    });
    api.call('startStoreUpgrade', {});
    expect((await api.call('getProfile', {})).ok).toBe(false);
    const failed = await api.call('startStoreUpgrade', {});
    const failure = failed.ok ? (failed.value as StoreUpgrade | null)?.failed : undefined;
    // Before, an unreadable database was taken for "not committed": the card said nothing was changed.
    expect(failure).toMatchObject({ appliedUnknown: true });
    expect(failure?.unfinished).toBeUndefined();
    expect(failure?.reason).not.toMatch(/nothing was (written|kept)/);
  });

  it('a first read that fails for another reason after the upgrade succeeded is not taken for an upgrade failure', async () => {
    // A table the upgrade does not touch is gone: the upgrade commits, the profile's read then fails.
    const db = openRawDatabase(temp.dir);
    db.exec('PRAGMA foreign_keys = OFF; DROP TABLE investigators');
    db.close();
    api = apiForStore(temp);
    expect(await api.call('startStoreUpgrade', {})).toEqual({
      ok: true,
      value: { fromVersion: 16, toVersion: SCHEMA_VERSION },
    });
    const profile = await api.call('getProfile', {});
    expect(profile.ok).toBe(false);
    expect(!profile.ok && profile.error.message).toContain('no such table: investigators');
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
    // Before, the window took any failure of this read for the upgrade's and said nothing was changed.
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
  });

  it('an older store whose store.json was edited is refused with the integrity error, as a current one is, not as an update to try again', async () => {
    editStoreAnchor(temp.dir);
    api = apiForStore(temp);
    const started = await api.call('startStoreUpgrade', {});
    const profile = await api.call('getProfile', {});
    expect(profile.ok).toBe(false);
    expect(!profile.ok && profile.error).toMatchObject({
      kind: 'integrity',
      message: expect.stringContaining(`this store's anchor ${storeLayout(temp.dir).anchor}`),
    });
    // Before, the window said the store "could not be updated… Nothing in the store was changed… Try again".
    expect(started).toEqual({ ok: true, value: null });
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
    expect(schemaVersionOf(temp.dir)).toBe(16);
  });

  it('a store whose schema version was set back below its tables is refused with the integrity error, never upgraded over a newer schema', async () => {
    temp.open().close(); // upgraded to the current schema
    const db = openRawDatabase(temp.dir);
    db.pragma('user_version = 16');
    db.close();
    api = apiForStore(temp);
    await api.call('startStoreUpgrade', {});
    const profile = await api.call('getProfile', {});
    expect(profile.ok).toBe(false);
    expect(!profile.ok && profile.error).toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        /was not upgraded and nothing was written: the recorded schema version \(PRAGMA user_version\) is 16, below what the database's tables are/,
      ),
    });
    // Before, the migrations ran over the newer tables and failed ("table … already exists"): an update to try again.
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
    expect(schemaVersionOf(temp.dir)).toBe(16);
    expect(tablesOf(temp.dir)).toContain('search_impact_lists');
  });

  it('a store whose schema version was set back and whose schema SQLite cannot read is refused by reads and writes with the integrity error, saying to audit it and restore it, nothing written', async () => {
    temp.open().close(); // upgraded to the current schema
    addTableOfMissingModule(temp.dir);
    sqliteShell(temp.dir, `PRAGMA user_version = ${SCHEMA_VERSION - 1};`);
    const before = storeBytes(temp.dir);
    api = apiForStore(temp);
    // The window asks for the upgrade first: not a failed update to try again, but nothing to do.
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
    const refused = {
      kind: 'integrity',
      message: expect.stringMatching(
        /^this store's database was edited, so it was not upgraded and nothing was written: its schema cannot be read \(SQLite: no such module: nosuchmodule\), .*\. Open Audit store and run the audit to see what else differs, and ask whoever keeps this store's backups to restore the database from one/,
      ),
    };
    for (const [name, call] of [
      ['getProfile', () => api?.call('getProfile', {})],
      ['listCases', () => api?.call('listCases', {})],
      ['createCase', () => api?.call('createCase', { number: 'OLD-2', title: 'After' })],
    ] as const) {
      const answer = await call();
      // Before, each was answered "Custos met an error it did not expect" (kind failure): the upgrade met "no such module".
      expect(answer?.ok, name).toBe(false);
      expect(!answer?.ok && answer?.error, name).toMatchObject(refused);
    }
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
    expect(storeBytes(temp.dir)).toEqual(before);
  });

  it("closing the service while the upgrade waits for another process's lock ends the wait at once, and the lock is not taken afterwards", async () => {
    const layout = storeLayout(temp.dir);
    const holder = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
    let settled = false;
    let listing: Promise<unknown> = Promise.resolve();
    try {
      api = apiForStore(temp);
      const started = await api.call('startStoreUpgrade', {});
      expect(started.ok && (started.value as StoreUpgrade).waiting).toBeTruthy();
      listing = api.call('listCases', {}).finally(() => {
        settled = true;
      });
      api.close();
      // Before, the wait slept out its second before it looked whether the service was closing.
      await afterPendingCallbacks();
      expect(settled).toBe(true);
      expect(await listing).toEqual({
        ok: false,
        error: expect.objectContaining({ message: expect.stringContaining('Custos is closing') }),
      });
    } finally {
      holder.release();
    }
    // Nothing of the closed service holds or takes the lock: another writer gets it, and the store
    // was not upgraded behind the shutdown.
    const next = WriterLock.tryAcquire(layout.writerLock, layout.writerLockInfo);
    expect(next).not.toBeNull();
    next?.release();
    expect(schemaVersionOf(temp.dir)).toBe(16);
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
  });

  it('a current store says there is nothing to upgrade', async () => {
    api = apiForStore(temp);
    await api.call('listCases', {});
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
  });
});
