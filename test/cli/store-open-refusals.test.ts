import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { CUSTOS_BIN, type CustosResult, REPO_ROOT, runCustos, waitForCustos } from '../support/run-custos.js';
import { type SeededEvidence, seedStore } from '../support/seed-store.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { holdDatabaseLock } from '../support/writer-lock-holder.js';
import { storeFilesSnapshot } from './store-state.js';

/** The user account a permission is refused to: tests run as root, whom no file mode refuses. */
const OTHER_USER = { user: 'nobody', group: 'nogroup' } as const;

/**
 * Runs `custos --store DIR …` as an account that file modes can refuse: when the suite runs as
 * root (which reads any file whatever its mode), as `nobody` through `setpriv`, the store handed
 * over to it; otherwise as the suite's own user.
 */
function runCustosRefusable(temp: TempStore, args: readonly string[]): Promise<CustosResult> {
  const custos = [process.execPath, CUSTOS_BIN, '--store', temp.dir, ...args];
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    fs.chmodSync(temp.base, 0o755); // the store's own folder stays 0700, owned by the other account
    const inside = fs.readdirSync(temp.dir, { recursive: true }) as string[];
    for (const name of ['', ...inside])
      fs.chownSync(path.join(temp.dir, name), uidOf(OTHER_USER.user), gidOf(OTHER_USER.group));
  }
  const [command, ...rest] = asRoot
    ? [
        'setpriv',
        `--reuid=${OTHER_USER.user}`,
        `--regid=${OTHER_USER.group}`,
        '--clear-groups',
        '--',
        ...custos,
      ]
    : custos;
  const child = spawn(command as string, rest, {
    cwd: REPO_ROOT,
    env: { ...process.env, CUSTOS_STORE: undefined, NO_COLOR: '1', HOME: temp.base },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return waitForCustos(child);
}

function uidOf(user: string): number {
  return Number(lineOf('/etc/passwd', user)[2]);
}

function gidOf(group: string): number {
  return Number(lineOf('/etc/group', group)[2]);
}

function lineOf(file: string, name: string): string[] {
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`${name} is not in ${file}`);
  return line.split(':');
}

describe('a store Custos is kept from reading is not called tampered: exit 3 saying what to do, not exit 1', {
  timeout: 180_000,
}, () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  let layout: ReturnType<typeof storeLayout>;

  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'OP-1' });
    seeded = await seedStore(temp, { files: 1 });
    layout = storeLayout(temp.dir);
  });
  afterEach(() => temp.remove());

  const storeSnapshot = () => storeFilesSnapshot(temp.dir);

  it('while another program holds the database locked, readers, writers, audit and init stop with exit 3, saying it is in use and what to close, and write nothing', async () => {
    const before = storeSnapshot();
    const commands = [
      ['case', 'list'],
      ['log'],
      ['audit'],
      ['note', seeded.items[0]?.id ?? '', 'written while a database browser holds the file?'],
      ['init', '--investigator', 'Ana Ruiz', '--agency', 'Test Unit', '--badge', '4411'],
    ];
    const holder = await holdDatabaseLock(temp.dir); // a second real process: a database browser, say
    let results: CustosResult[];
    try {
      results = await Promise.all(commands.map((args) => runCustos(args, { store: temp.dir })));
    } finally {
      await holder.kill();
    }
    results.forEach((result, i) => {
      const what = `custos ${commands[i]?.join(' ')}: ${result.stderr}`;
      expect(result.status, what).toBe(3);
      expect(result.stderr, what).toMatch(
        /the store's database is in use by another program \(SQLITE_BUSY\w*\): close any other program that has it open \(another Custos, a database browser, a backup or sync tool\) and run the command again/,
      );
      expect(result.stderr, what).not.toMatch(/restore|damaged|tamper/i);
    });
    expect(storeSnapshot()).toEqual(before);
    // Once the other program lets go, the same store opens and audits clean.
    expect((await runCustos(['audit'], { store: temp.dir })).status).toBe(0);
  });

  it('a store.json the user account may not read stops every command with exit 3, naming the file and the permission, never a restore', async () => {
    fs.chmodSync(layout.anchor, 0o000);
    const before = storeSnapshot();
    for (const args of [['case', 'list'], ['audit']]) {
      const result = await runCustosRefusable(temp, args);
      expect(result.status, result.stderr).toBe(3);
      expect(result.stderr).toContain(
        `permission was refused for ${layout.anchor} (EACCES): your user account may not read it. Give it read access`,
      );
      expect(result.stderr).not.toMatch(/restore|edited|tamper/i);
    }
    expect(storeSnapshot()).toEqual(before);
  });

  it('a database the user account may not read stops with exit 3, saying it could not be opened and to check permissions', async () => {
    fs.chmodSync(layout.database, 0o000);
    const result = await runCustosRefusable(temp, ['case', 'list']);
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toMatch(
      /the store's database could not be opened \(SQLITE_CANTOPEN\w*: [^)]+\): your user account may not read it or its folder.*Check the store folder's permissions/,
    );
    expect(result.stderr).not.toMatch(/restore/i);
  });

  it.each([
    ['a table dropped', () => editDatabase(layout.database, 'DROP TABLE settings')],
    ['a column renamed', () => editDatabase(layout.database, 'ALTER TABLE ledger RENAME COLUMN hash TO h')],
    [
      'a folder put in its place',
      () => {
        fs.rmSync(layout.database);
        fs.mkdirSync(layout.database);
      },
    ],
    ['a folder put where its write-ahead log belongs', () => fs.mkdirSync(`${layout.database}-wal`)],
    [
      'a named pipe put where its shared memory belongs',
      () => execFileSync('mkfifo', [`${layout.database}-shm`]),
    ],
    [
      'a loop of symbolic links put in its place',
      () => {
        fs.rmSync(layout.database);
        fs.symlinkSync(layout.database, layout.database);
      },
    ],
  ])(
    'a database with %s is an integrity finding: audit and every command exit 1, never a disk or a lock',
    async (_edit, edit) => {
      for (const suffix of ['-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
      edit();
      for (const args of [['audit'], ['case', 'list']]) {
        const result = await runCustos(args, { store: temp.dir });
        expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toMatch(/custos\.sqlite cannot be read as a SQLite database/);
      }
    },
  );

  it('a store.json far larger than an anchor is an integrity finding, not read whole', async () => {
    fs.truncateSync(layout.anchor, 200 * 1024 * 1024);
    const result = await runCustos(['case', 'list'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/store\.json is 209715200 bytes, far too large to be an anchor/);
  });

  it('a named pipe in place of store.json is an integrity finding, not a read that waits for ever', async () => {
    fs.rmSync(layout.anchor);
    execFileSync('mkfifo', [layout.anchor]);
    const result = await runCustos(['case', 'list'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/store\.json is not a file/);
  });

  it('a database cut shorter than the SQLite header is still damage: exit 1, naming it and the restore', async () => {
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
    fs.truncateSync(layout.database, 50);
    const result = await runCustos(['case', 'list'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /custos\.sqlite cannot be read as a SQLite database \((file is not a database|database disk image is malformed)\)\. Nothing was written\. Restore the database from a backup/,
    );
  });
});

/** Runs one statement on the database as another program would (the sqlite3 shell). */
function editDatabase(file: string, sql: string): void {
  execFileSync('sqlite3', [file, sql]);
}
