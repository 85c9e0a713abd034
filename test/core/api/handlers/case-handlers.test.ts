import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../../electron/core/api/api-service.js';
import { storeLayout } from '../../../../electron/core/store/store-layout.js';
import { apiForStore } from '../../../support/api-for-store.js';
import { editStoreAnchor } from '../../../support/edited-anchor.js';
import { makeDatabaseUnreadable } from '../../../support/older-store.js';
import { openRawDatabase } from '../../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';
import { holdDatabaseLock } from '../../../support/writer-lock-holder.js';

describe('what the window is told when the store fails its checks on open', () => {
  let temp: TempStore | undefined;
  let api: ApiService | undefined;
  afterEach(() => {
    api?.close();
    temp?.remove();
  });

  it('a store whose store.json was edited: the profile read is refused with the finding apart, and the store folder is still answered', async () => {
    temp = makeTempStore();
    editStoreAnchor(temp.dir);
    const anchorFile = path.resolve(storeLayout(temp.dir).anchor);
    const before = fs.readFileSync(anchorFile);
    api = apiForStore(temp);

    const profile = await api.call('getProfile', {});
    expect(profile.ok).toBe(false);
    // What the check found comes apart from the command line's advice, for the window's card.
    expect(!profile.ok && profile.error).toMatchObject({
      kind: 'integrity',
      message: expect.stringContaining('custos restore --from BACKUP'),
      finding: {
        what: `this store's anchor ${anchorFile} has a signature that does not verify: it was edited`,
      },
    });
    expect(await api.call('getStoreFolder', {})).toEqual({ ok: true, value: { storeDir: temp.dir } });
    // Asking wrote nothing: store.json is as the test left it.
    expect(fs.readFileSync(anchorFile)).toEqual(before);
  });

  it("names an unreadable database in words and keeps SQLite's own text apart, as details", async () => {
    temp = makeTempStore();
    makeDatabaseUnreadable(temp.dir);
    api = apiForStore(temp);
    const profile = await api.call('getProfile', {});
    expect(!profile.ok && profile.error).toMatchObject({
      kind: 'integrity',
      finding: {
        what: `${path.resolve(storeLayout(temp.dir).database)} cannot be read as a database`,
        details: 'file is not a database',
      },
    });
  });

  it('names a database replaced by an older copy by the ledger lengths, without the advice', async () => {
    temp = makeTempStore();
    const older = path.join(temp.base, 'older.sqlite');
    const raw = openRawDatabase(temp.dir, { readonly: true });
    await raw.backup(older);
    raw.close();
    const store = temp.open();
    store.createCase({ number: 'B-2', title: 'after the backup' });
    store.close();
    const { database } = storeLayout(temp.dir);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${database}${suffix}`, { force: true });
    fs.copyFileSync(older, database);
    api = apiForStore(temp);
    const profile = await api.call('getProfile', {});
    expect(!profile.ok && profile.error.kind).toBe('integrity');
    expect(!profile.ok && profile.error.finding?.what).toMatch(
      /^the ledger was \d+ entries at [0-9a-f]{16}… \(store\.json, [^)]+\); the database has \d+: it was replaced by an older copy or truncated$/,
    );
  });

  it('a database another program holds locked: the profile read fails as busy (not integrity), naming what to close', async () => {
    temp = makeTempStore();
    const holder = await holdDatabaseLock(temp.dir); // a second real process: a database browser, say
    try {
      api = apiForStore(temp);
      expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
      const profile = await api.call('getProfile', {});
      expect(!profile.ok && profile.error).toMatchObject({
        kind: 'failure',
        message: expect.stringMatching(
          /^the store's database is in use by another program \(SQLITE_BUSY\w*\): close any other program that has it open/,
        ),
      });
    } finally {
      await holder.kill();
    }
    // Once it lets go, the same service reads the profile.
    expect(await api.call('getProfile', {})).toMatchObject({ ok: true, value: { name: 'Ana Ruiz' } });
  });
});
