import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import type { AuditReport } from '../../shared/domain.js';
import { runCustos } from '../support/run-custos.js';
import { type SeededEvidence, seedStore } from '../support/seed-store.js';
import { sqliteShell } from '../support/sqlite.js';
import { makeTempDir, makeTempStore, removeTempDir, type TempStore } from '../support/temp-store.js';
import { filesUnder } from './store-state.js';

/** Every kind of command a user runs on a store: readers, writers and `init` again. */
function everyCommand(temp: TempStore, itemId: string): string[][] {
  return [
    ['case', 'list'],
    ['items', '--case', 'AN-1'],
    ['log'],
    ['audit'],
    ['note', itemId, 'written to a store that lost its history?'],
    ['import', temp.writeFile('late.txt', 'late evidence\n'), '--case', 'AN-1'],
    ['export', '--case', 'AN-1', '--out', path.join(temp.base, 'bundle.zip')],
    ['init', '--investigator', 'Ana Ruiz', '--agency', 'Test Unit', '--badge', '4411'],
  ];
}

describe('the store anchor (store.json) catches a lost or rolled-back database', { timeout: 180_000 }, () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  let layout: ReturnType<typeof storeLayout>;

  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'AN-1' });
    seeded = await seedStore(temp, { files: 2 }); // ledger: init, case, 2 imports, note, tag = 6 entries
    layout = storeLayout(temp.dir);
  });
  afterEach(() => temp.remove());

  /** Runs every command and expects each to exit 1 with `message`, writing nothing into the store folder. */
  async function expectEveryCommandRefused(message: RegExp): Promise<void> {
    // SQLite makes its (empty) -wal and -shm files beside a WAL database that anyone opens, even
    // read-only; the database's own bytes are compared below.
    const storeFiles = () => filesUnder(temp.dir).filter((f) => !/-(wal|shm)$/.test(f));
    const before = storeFiles();
    const databaseBefore = fs.existsSync(layout.database) ? fs.readFileSync(layout.database) : null;
    const commands = everyCommand(temp, seeded.items[0]?.id ?? '');
    const results = await Promise.all(commands.map((args) => runCustos(args, { store: temp.dir })));
    results.forEach((result, i) => {
      expect(result.status, `${commands[i]?.join(' ')}: ${result.stderr}`).toBe(1);
      expect(`${result.stdout}${result.stderr}`).toMatch(message); // audit names it among its problems, on stdout
    });
    expect(storeFiles()).toEqual(before);
    if (databaseBefore) expect(fs.readFileSync(layout.database).equals(databaseBefore)).toBe(true);
    expect(fs.existsSync(path.join(temp.base, 'bundle.zip'))).toBe(false);
  }

  function removeDatabaseFiles(): void {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
  }

  it('an emptied database (0 bytes) is refused by every command with exit 1: the ledger was 6 entries; the database has 0', async () => {
    removeDatabaseFiles();
    fs.writeFileSync(layout.database, '');
    await expectEveryCommandRefused(
      /the ledger was 6 entries at [0-9a-f]{16}… .*; the database has 0: custos\.sqlite is empty/,
    );
  });

  it('a deleted database is refused by every command with exit 1, and init does not start a new ledger over the evidence', async () => {
    removeDatabaseFiles();
    await expectEveryCommandRefused(
      /the ledger was 6 entries .*; the database has 0: custos\.sqlite is missing/,
    );
    expect(fs.existsSync(layout.database)).toBe(false);
  });

  it('a database replaced by an older copy is refused by every command with exit 1, naming both lengths', async () => {
    const older = path.join(temp.base, 'older.sqlite');
    sqliteShell(temp.dir, `.backup '${older}'`);
    expect(
      (await runCustos(['note', seeded.items[1]?.id ?? '', 'after the backup'], { store: temp.dir })).status,
    ).toBe(0);
    removeDatabaseFiles();
    fs.copyFileSync(older, layout.database);
    await expectEveryCommandRefused(
      /the ledger was 7 entries .*; the database has 6: it was replaced by an older copy or truncated/,
    );
  });

  it('audit of a rolled-back database exits 1 and says so in --json too', async () => {
    const older = path.join(temp.base, 'older.sqlite');
    sqliteShell(temp.dir, `.backup '${older}'`);
    await runCustos(['tag', seeded.items[1]?.id ?? '', 'later'], { store: temp.dir });
    removeDatabaseFiles();
    fs.copyFileSync(older, layout.database);
    const result = await runCustos(['audit'], { store: temp.dir, json: true });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as AuditReport;
    expect(report.problems).toContainEqual({
      subject: 'store anchor store.json',
      problem: expect.stringMatching(/the ledger was 7 entries .*; the database has 6/),
    });
  });

  it('an edited store.json is refused: its signature no longer verifies', async () => {
    const anchor = JSON.parse(fs.readFileSync(layout.anchor, 'utf8')) as { ledger: { count: number } };
    anchor.ledger.count = 2;
    fs.writeFileSync(layout.anchor, JSON.stringify(anchor));
    const result = await runCustos(['items', '--case', 'AN-1'], { store: temp.dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/store\.json has a signature that does not verify: it was edited/);
  });

  it('a deleted store.json is refused once the database records that it was written', async () => {
    fs.rmSync(layout.anchor);
    const result = await runCustos(['log'], { store: temp.dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/store\.json is missing, though its database records that it was written/);
  });

  it('an anchor left behind by a crash after a commit is accepted, and the next write catches it up', async () => {
    const behind = fs.readFileSync(layout.anchor);
    expect(
      (await runCustos(['note', seeded.items[0]?.id ?? '', 'committed, then killed'], { store: temp.dir }))
        .status,
    ).toBe(0);
    fs.writeFileSync(layout.anchor, behind); // as if the writer died before rewriting the anchor
    expect((await runCustos(['audit'], { store: temp.dir })).status).toBe(0);
    expect((await runCustos(['tag', seeded.items[0]?.id ?? '', 'next'], { store: temp.dir })).status).toBe(0);
    const anchor = JSON.parse(fs.readFileSync(layout.anchor, 'utf8')) as { ledger: { count: number } };
    expect(anchor.ledger.count).toBe(8);
  });
});

describe('init refuses a folder that already holds evidence', { timeout: 60_000 }, () => {
  it('a folder with blobs and keys but no database (a store from before anchors that lost it) is refused with exit 1', async () => {
    const temp = makeTempStore({ caseNumber: 'AN-2' });
    try {
      await seedStore(temp, { files: 1 });
      const layout = storeLayout(temp.dir);
      fs.rmSync(layout.anchor);
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
      const result = await runCustos(['init', '--investigator', 'Someone New'], { store: temp.dir });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /holds evidence \(1 blob files, 1 signing key file\(s\)\) but its database is missing/,
      );
      expect(fs.existsSync(layout.database)).toBe(false);
    } finally {
      temp.remove();
    }
  });

  it('init --store naming a file is bad input (exit 2), not a raw EEXIST', async () => {
    const dir = makeTempDir();
    try {
      const file = path.join(dir, 'not-a-folder');
      fs.writeFileSync(file, 'x');
      const result = await runCustos(['init', '--investigator', 'Ana Ruiz'], { store: file });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/is a file, not a folder/);
    } finally {
      removeTempDir(dir);
    }
  });

  it('every other command given a file as --store is bad input (exit 2) too, not a damaged anchor (exit 1)', async () => {
    const dir = makeTempDir();
    try {
      const file = path.join(dir, 'not-a-folder');
      fs.writeFileSync(file, 'x');
      for (const args of [['items', '--case', 'BE-1'], ['case', 'list'], ['log'], ['audit']]) {
        const result = await runCustos(args, { store: file });
        expect([args.join(' '), result.status, result.stderr]).toEqual([
          args.join(' '),
          2,
          `custos: ${file} is a file, not a folder; pass --store with a folder (new or a Custos store)\n`,
        ]);
      }
      expect(fs.readFileSync(file, 'utf8')).toBe('x');
    } finally {
      removeTempDir(dir);
    }
  });
});

describe('custos restore checks a backup against the anchor', { timeout: 120_000 }, () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  let layout: ReturnType<typeof storeLayout>;
  let backupDir: string;

  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'RS-1' });
    seeded = await seedStore(temp, { files: 2 }); // 6 entries
    layout = storeLayout(temp.dir);
    backupDir = path.join(temp.base, 'backup');
    fs.mkdirSync(backupDir);
    sqliteShell(temp.dir, `.backup '${path.join(backupDir, 'custos.sqlite')}'`);
  });
  afterEach(() => temp.remove());

  function loseDatabase(): void {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
  }

  it('a complete backup is restored, recorded as a store.restore entry, and the store audits clean', async () => {
    loseDatabase();
    const result = await runCustos(['restore', '--from', backupDir], { store: temp.dir, json: true });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      backupEntries: 6,
      anchoredEntries: 6,
      lostEntries: 0,
      entrySeq: 7,
    });
    expect((await runCustos(['audit'], { store: temp.dir })).status).toBe(0);
    expect((await runCustos(['items', '--case', 'RS-1'], { store: temp.dir })).status).toBe(0);
  });

  it('an older backup is refused (exit 1, naming what would be lost) until --accept-loss, which records the loss and sets the database in place aside', async () => {
    await runCustos(['note', seeded.items[0]?.id ?? '', 'after the backup'], { store: temp.dir });
    fs.writeFileSync(layout.database, 'garbage where the database was');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
    const refused = await runCustos(['restore', '--from', backupDir], { store: temp.dir });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /holds 6 of the 7 custody entries store\.json records: the 1 after entry 6 would be lost/,
    );
    expect(fs.readFileSync(layout.database, 'utf8')).toBe('garbage where the database was');

    const restored = await runCustos(['restore', '--from', backupDir, '--accept-loss'], {
      store: temp.dir,
      json: true,
    });
    expect(restored.status, restored.stderr).toBe(0);
    const outcome = JSON.parse(restored.stdout) as { lostEntries: number; setAside: string };
    expect(outcome.lostEntries).toBe(1);
    expect(fs.readFileSync(outcome.setAside, 'utf8')).toBe('garbage where the database was');
    const log = await runCustos(['log'], { store: temp.dir, json: true });
    const entries = (
      JSON.parse(log.stdout) as { entries: { action: string; details: Record<string, unknown> }[] }
    ).entries;
    expect(entries.at(-1)).toMatchObject({ action: 'store.restore', details: { lostEntries: 1 } });
    expect((await runCustos(['audit'], { store: temp.dir })).status).toBe(0);
  });

  it('a backup that reaches only a lagging store.json is refused (exit 1) while the database in place holds newer entries, and --accept-loss counts them as lost', async () => {
    const anchorAtBackup = fs.readFileSync(layout.anchor);
    await runCustos(['note', seeded.items[0]?.id ?? '', 'after the backup'], { store: temp.dir });
    fs.writeFileSync(layout.anchor, anchorAtBackup); // the writer was killed before store.json caught up
    const refused = await runCustos(['restore', '--from', backupDir], { store: temp.dir });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /holds 6 of the 7 custody entries the database in place holds \(store\.json, rewritten at most once a second, records 6\): the 1 after entry 6 would be lost/,
    );

    const restored = await runCustos(['restore', '--from', backupDir, '--accept-loss'], { store: temp.dir });
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/the database in place held 7, store\.json recorded 6; 1 lost/);
    expect((await runCustos(['audit'], { store: temp.dir })).status).toBe(0);
  });

  it('says the backup was checked against store.json only when the database in place cannot be read', async () => {
    fs.writeFileSync(layout.database, 'garbage where the database was');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
    const restored = await runCustos(['restore', '--from', backupDir], { store: temp.dir });
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/checked against store\.json only: the database in place cannot be read/);
  });

  it("another store's database is refused as a backup", async () => {
    const other = makeTempStore({ caseNumber: 'RS-2' });
    try {
      loseDatabase();
      const result = await runCustos(['restore', '--from', other.dir], { store: temp.dir });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/belongs to another store/);
      expect(fs.existsSync(layout.database)).toBe(false);
    } finally {
      other.remove();
    }
  });
});
