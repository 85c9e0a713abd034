import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCustos } from '../support/run-custos.js';
import { openRawDatabase } from '../support/sqlite.js';
import { holdDatabaseLock } from '../support/writer-lock-holder.js';
import { eachStoreWithOlderBackup } from './restore-fixtures.js';
import { storeFilesSnapshot } from './store-state.js';

// `custos restore` as a user runs it: the real command in its own process, and the situations it
// meets that the in-process tests of restore-store cannot show end to end (another process holding
// the database, a damaged backup, a backup that nothing can compare).

describe('custos restore', { timeout: 120_000 }, () => {
  const fixture = eachStoreWithOlderBackup();

  const storeSnapshot = () => storeFilesSnapshot(fixture.temp.dir);

  it('refuses with exit 1 a backup whose custody details canonical JSON cannot encode, naming the entry, and changes nothing', async () => {
    const backup = openRawDatabase(fixture.backupDir);
    try {
      // Custos never writes a number beyond a double's range: put in by hand, as an edit of the file would.
      const head = backup.prepare('SELECT * FROM ledger ORDER BY seq DESC LIMIT 1').get() as {
        seq: number;
        hash: string;
      };
      backup
        .prepare(
          `INSERT INTO ledger (seq, time, time_zone, investigator_id, key_fingerprint, action, case_id, subject, details, prev_hash, hash, signature)
           SELECT seq + 1, time, time_zone, investigator_id, key_fingerprint, action, case_id, subject, '{"n":1e400}', hash, ?, signature FROM ledger WHERE seq = ?`,
        )
        .run(randomBytes(32).toString('hex'), head.seq);
    } finally {
      backup.close();
    }
    const before = storeSnapshot();
    const result = await runCustos(['restore', '--from', fixture.backupDir, '--accept-loss'], {
      store: fixture.temp.dir,
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /ledger entry (\d+): entry \1 cannot be encoded as canonical JSON .*: the backup was damaged or edited and cannot be used; nothing was restored/,
    );
    expect(storeSnapshot()).toEqual(before);
  });

  // A second real process holds one of the two databases locked: a database browser on the store's,
  // a backup or sync tool still writing the backup.
  it.each([
    {
      held: 'the database',
      folder: () => fixture.temp.dir,
      says: /the store's database is in use by another program \(SQLITE_BUSY\w*\), so the backup cannot be checked against it and nothing was restored: close any other program that has it open .* and run the command again/,
    },
    {
      held: 'the backup',
      folder: () => fixture.backupDir,
      says: /the backup .*custos\.sqlite is in use by another program \(SQLITE_BUSY\w*\), so it cannot be checked and nothing was restored: close any other program that has it open .* and run the command again/,
    },
  ])(
    'stops with exit 3, saying $held is busy and what to do, and changes nothing while another process holds it locked',
    async ({ folder, says }) => {
      const before = storeSnapshot();
      const holder = await holdDatabaseLock(folder());
      let result: Awaited<ReturnType<typeof runCustos>>;
      try {
        result = await runCustos(['restore', '--from', fixture.backupDir, '--accept-loss'], {
          store: fixture.temp.dir,
        });
      } finally {
        await holder.kill();
      }
      expect(result.status, result.stderr).toBe(3);
      expect(result.stderr).toMatch(says);
      expect(result.stdout).toBe('');
      expect(storeSnapshot()).toEqual(before);
      expect((await runCustos(['audit'], { store: fixture.temp.dir })).status).toBe(0);
    },
  );

  it.each([
    {
      edit: 'a table dropped',
      sql: 'DROP TABLE investigators',
      says: /the backup .* cannot be read as a Custos database \(no such table: investigators\); nothing was restored/,
    },
    {
      edit: "an entry's details no longer JSON",
      sql: "DROP TRIGGER IF EXISTS ledger_no_update; UPDATE ledger SET details = 'not json' WHERE seq = 2",
      says: /has a custody ledger that does not verify \(ledger entry 2: its details are not JSON .*\): the backup was damaged or edited and cannot be used; nothing was restored/,
    },
    {
      edit: "the ledger's append-only trigger dropped",
      sql: 'DROP TRIGGER ledger_no_update',
      says: /has a database schema that is not the one Custos makes \(the trigger ledger_no_update is missing: the custody ledger could be edited\): the backup was edited and cannot be used; nothing was restored/,
    },
    {
      edit: 'a view added',
      sql: 'CREATE VIEW recent_items AS SELECT id FROM items',
      says: /has a database schema that is not the one Custos makes \(the view recent_items is not one Custos's migrations make .*: someone added it .*\): the backup was edited and cannot be used; nothing was restored/,
    },
  ])(
    'refuses with exit 1 a backup edited with $edit, naming the problem, and changes nothing',
    async ({ sql, says }) => {
      const backup = openRawDatabase(fixture.backupDir);
      try {
        backup.pragma('foreign_keys = OFF');
        backup.exec(sql);
      } finally {
        backup.close();
      }
      const before = storeSnapshot();
      const result = await runCustos(['restore', '--from', fixture.backupDir, '--accept-loss'], {
        store: fixture.temp.dir,
      });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(says);
      expect(storeSnapshot()).toEqual(before);
    },
  );

  it.each([
    { given: 'the store folder', from: () => fixture.temp.dir },
    { given: "the store's database", from: () => fixture.layout.database },
  ])(
    'refuses --from naming $given as bad input (exit 2): it is no backup, and nothing is changed',
    async ({ from }) => {
      const before = storeSnapshot();
      const result = await runCustos(['restore', '--from', from(), '--accept-loss'], {
        store: fixture.temp.dir,
      });
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        `${fixture.layout.database} is this store's own database, not a backup of it; give a copy of the store folder or of its custos.sqlite taken earlier (nothing was restored)`,
      );
      expect(storeSnapshot()).toEqual(before);
    },
  );

  it('with no readable database in place and --accept-loss, restores a shorter backup and says, and records, that its entries could not be compared', async () => {
    fs.writeFileSync(fixture.layout.database, 'garbage where the database was');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${fixture.layout.database}${suffix}`, { force: true });
    const restored = await runCustos(['restore', '--from', fixture.backupDir, '--accept-loss'], {
      store: fixture.temp.dir,
    });
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(
      /Not checked: its \d+ custody entries could not be compared with this store's history: store\.json records only its head \(entry \d+\), and the database in place cannot be read/,
    );
    const log = await runCustos(['log'], { store: fixture.temp.dir, json: true });
    const entries = (
      JSON.parse(log.stdout) as { entries: { action: string; details: Record<string, unknown> }[] }
    ).entries;
    expect(entries.at(-1)).toMatchObject({
      action: 'store.restore',
      details: { unchecked: expect.stringMatching(/could not be compared/) },
    });
  });
});
