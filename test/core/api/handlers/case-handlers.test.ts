import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../../electron/core/api/api-service.js';
import { storeLayout } from '../../../../electron/core/store/store-layout.js';
import { filesUnder } from '../../../cli/store-state.js';
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
    // What the check found comes apart from the advice, for the window's card; the advice names
    // no command (the window's user may have no terminal), but whom to ask.
    expect(!profile.ok && profile.error).toMatchObject({
      kind: 'integrity',
      message: expect.stringContaining(
        "Nothing was written. Ask whoever keeps this store's backups to restore the database",
      ),
      finding: {
        what: `this store's anchor ${anchorFile} has a signature that does not verify: it was edited`,
      },
    });
    expect(await api.call('getStoreFolder', {})).toEqual({ ok: true, value: { storeDir: temp.dir } });
    expect(!profile.ok && profile.error.message).not.toMatch(/custos (restore|audit)/);
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

  it("a database another program holds locked: the profile read fails as busy (not integrity), naming what to close and saying to try again (not the CLI's run the command again)", async () => {
    temp = makeTempStore();
    const holder = await holdDatabaseLock(temp.dir); // a second real process: a database browser, say
    try {
      api = apiForStore(temp);
      expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
      const profile = await api.call('getProfile', {});
      expect(!profile.ok && profile.error).toMatchObject({
        kind: 'failure',
        message: expect.stringMatching(
          /^the store's database is in use by another program \(SQLITE_BUSY\w*\): close any other program that has it open .* and try again$/,
        ),
      });
    } finally {
      await holder.kill();
    }
    // Once it lets go, the same service reads the profile.
    expect(await api.call('getProfile', {})).toMatchObject({ ok: true, value: { name: 'Ana Ruiz' } });
  });

  it('a database deleted while store.json and the evidence remain: the profile read is refused as integrity (never the first run), and no new identity is made there', async () => {
    temp = makeTempStore({ caseNumber: 'M-1' });
    const { database } = storeLayout(temp.dir);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${database}${suffix}`, { force: true });
    const before = filesUnder(temp.dir);
    api = apiForStore(temp);

    const profile = await api.call('getProfile', {});
    expect(!profile.ok && profile.error).toMatchObject({
      kind: 'integrity',
      finding: { what: expect.stringMatching(/the database has 0: custos\.sqlite is missing$/) },
    });
    const cases = await api.call('listCases', {});
    expect(!cases.ok && cases.error.kind).toBe('integrity');
    const created = await api.call('initProfile', { name: 'Someone Else', agency: null, badge: null });
    expect(!created.ok && created.error.kind).toBe('integrity');
    expect(fs.existsSync(database)).toBe(false);
    expect(filesUnder(temp.dir)).toEqual(before);
  });

  it('a folder with evidence files but no database and no store.json (a store from before anchors): refused as integrity, not the first run', async () => {
    temp = makeTempStore();
    const { database, anchor, blobs } = storeLayout(temp.dir);
    // One evidence file where the blob store keeps it (blobs/ab/cd/<sha-256>).
    const hash = 'abcd'.padEnd(64, '0');
    fs.mkdirSync(path.join(blobs, 'ab', 'cd'), { recursive: true });
    fs.writeFileSync(path.join(blobs, 'ab', 'cd', hash), 'evidence bytes\n');
    for (const file of [anchor, database, `${database}-wal`, `${database}-shm`])
      fs.rmSync(file, { force: true });
    api = apiForStore(temp);
    const profile = await api.call('getProfile', {});
    expect(!profile.ok && profile.error).toMatchObject({
      kind: 'integrity',
      finding: {
        what: expect.stringMatching(/holds evidence \(1 blob files.*\) but its database is missing/),
      },
    });
  });

  it('an empty folder is still the first run: no profile, and the first-run setup makes one', async () => {
    temp = makeTempStore();
    fs.rmSync(temp.dir, { recursive: true });
    api = apiForStore(temp);
    expect(await api.call('getProfile', {})).toEqual({ ok: true, value: null });
    const created = await api.call('initProfile', { name: 'Ana Ruiz', agency: null, badge: null });
    expect(created).toMatchObject({ ok: true, value: { name: 'Ana Ruiz' } });
  });
});
