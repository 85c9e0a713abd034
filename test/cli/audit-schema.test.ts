import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations/index.js';
import type { AuditReport } from '../../shared/domain.js';
import { appendForeignEntries } from '../support/forged-ledger.js';
import { makeOlderStore, schemaVersionOf } from '../support/older-store.js';
import { type CustosResult, runCustos, runCustosJson } from '../support/run-custos.js';
import {
  addTableOfMissingModule,
  committedCaseNumbers,
  openRawDatabase,
  sqliteShell,
} from '../support/sqlite.js';
import { storeBytes } from '../support/store-bytes.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';

/** `custos audit --json` on the store: its exit status and report. */
async function audit(dir: string): Promise<CustosResult & { readonly report: AuditReport }> {
  const result = await runCustosJson<AuditReport>(['audit'], { store: dir });
  return { ...result, report: result.json };
}

/** The sequence number of the last entry of the store's ledger, read with no Custos code. */
function ledgerHeadOf(dir: string): number {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return db.prepare('SELECT max(seq) FROM ledger').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** The problems the audit names under `subject`, one text. */
function problemsOf(report: AuditReport, subject: string): string {
  return report.problems
    .filter((p) => p.subject === subject)
    .map((p) => p.problem)
    .join('\n');
}

describe('custos audit compares the database schema with the one Custos makes', {
  timeout: CLI_TEST_TIMEOUT_MS,
}, () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'SCH-1' });
    const file = temp.writeFile('ad.txt', 'crossing 3000 EUR, call +218 91 234 5678');
    const imported = await runCustos(['import', file, '--case', 'SCH-1'], { store: temp.dir });
    expect(imported.status, imported.stderr).toBe(0);
  });
  afterEach(() => temp.remove());

  it('an untouched store has no schema finding and audits clean', async () => {
    const result = await audit(temp.dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.report.problems).toEqual([]);
  });

  it.each([
    [
      "the custody ledger's append-only trigger dropped",
      'DROP TRIGGER ledger_no_update;',
      /the trigger ledger_no_update is missing: the custody ledger could be edited/,
    ],
    [
      'a view added',
      'CREATE VIEW ledger_summary AS SELECT seq, action FROM ledger;',
      /the view ledger_summary is not one Custos's migrations make \(schema version \d+\): someone added it/,
    ],
    [
      'a column added to the items table',
      'ALTER TABLE items ADD COLUMN reviewer TEXT;',
      /the table items was altered \(schema version \d+\): it has columns Custos does not make: reviewer/,
    ],
    ['an index dropped', 'DROP INDEX ledger_by_subject;', /the index ledger_by_subject is missing/],
  ])('%s is named as an integrity failure (exit 1)', async (_what, sql, words) => {
    sqliteShell(temp.dir, sql);

    const result = await audit(temp.dir);
    expect(result.status, result.stderr).toBe(1);
    expect(result.report.clean).toBe(false);
    expect(problemsOf(result.report, 'database schema')).toMatch(words);
    // Nothing else was changed: the schema is the one problem.
    expect(result.report.problems.map((p) => p.subject)).toEqual(['database schema']);
    const text = await runCustos(['audit'], { store: temp.dir });
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`PROBLEM {2}database schema: ${words.source}`));
  });

  it('a trigger and a view named sqlite_* (added with PRAGMA writable_schema; SQLite loads and fires them) are named (exit 1)', async () => {
    sqliteShell(
      temp.dir,
      "PRAGMA writable_schema=ON; CREATE TRIGGER sqlite_hide BEFORE INSERT ON annotations WHEN NEW.kind='note' BEGIN SELECT RAISE(IGNORE); END; CREATE VIEW sqlite_v AS SELECT 1;",
    );

    const result = await audit(temp.dir);
    expect(result.status, result.stderr).toBe(1);
    const schema = problemsOf(result.report, 'database schema');
    expect(schema).toMatch(
      /the trigger sqlite_hide is not one Custos's migrations make .*: someone added it/,
    );
    expect(schema).toMatch(/the view sqlite_v is not one Custos's migrations make .*: someone added it/);
  });

  it('ANALYZE and PRAGMA optimize (statistics tables SQLite makes itself) leave the audit clean', async () => {
    sqliteShell(temp.dir, 'ANALYZE; PRAGMA optimize;');
    const made = openRawDatabase(temp.dir, { readonly: true });
    try {
      // The exclusion is exercised: ANALYZE made its statistics table.
      expect(made.prepare("SELECT name FROM sqlite_schema WHERE name = 'sqlite_stat1'").pluck().get()).toBe(
        'sqlite_stat1',
      );
    } finally {
      made.close();
    }

    const result = await audit(temp.dir);
    expect(result.status, JSON.stringify(result.report.problems)).toBe(0);
    expect(result.report.problems).toEqual([]);
  });

  it('a schema version set back is named by the audit (exit 1), and refused by writes and reads with nothing written', async () => {
    const anchorBefore = fs.readFileSync(`${temp.dir}/store.json`);
    sqliteShell(temp.dir, 'PRAGMA user_version = 16;');
    const lowered =
      /the recorded schema version \(PRAGMA user_version\) is 16, below what the database's tables are: it holds .*search_case_blocks.* as schema version 19 makes them/;

    // The audit reads: it names the version and still audits the rest.
    const result = await audit(temp.dir);
    expect(result.status, result.stderr).toBe(1);
    expect(problemsOf(result.report, 'database schema')).toMatch(lowered);
    expect(result.report.problems.map((p) => p.subject)).toEqual(['database schema']);
    expect(result.report.counts.items).toBe(1);

    // A write refuses to upgrade over a newer schema: exit 1, the same words, nothing written.
    const write = await runCustos(['case', 'create', '--number', 'SCH-2', '--title', 'Second'], {
      store: temp.dir,
    });
    expect(write.status, write.stderr).toBe(1);
    expect(write.stderr).toMatch(/was edited, so it was not upgraded and nothing was written/);
    expect(write.stderr).toMatch(lowered);
    expect(write.stderr).not.toMatch(/upgrading this store's database/);
    // A read refuses too, rather than telling the user to upgrade it.
    const read = await runCustos(['case', 'list'], { store: temp.dir });
    expect(read.status, read.stderr).toBe(1);
    expect(read.stderr).toMatch(lowered);

    expect(schemaVersionOf(temp.dir)).toBe(16);
    expect(committedCaseNumbers(temp.dir)).toEqual(['SCH-1']);
    expect(fs.readFileSync(`${temp.dir}/store.json`)).toEqual(anchorBefore);
  });

  it('a table SQLite cannot read (a module it lacks), in a store whose schema version was also set back, is named by the audit as a database schema problem (exit 1), as at the current version, not a failure of the audit (exit 3)', async () => {
    const anchorBefore = fs.readFileSync(`${temp.dir}/store.json`);
    addTableOfMissingModule(temp.dir);
    const unreadable = /^could not be checked: no such module: nosuchmodule/;
    const current = await audit(temp.dir);
    expect(current.status, current.stderr).toBe(1);
    expect(problemsOf(current.report, 'database schema')).toMatch(unreadable);

    sqliteShell(temp.dir, `PRAGMA user_version = ${SCHEMA_VERSION - 1};`);
    const setBack = await audit(temp.dir);
    expect(setBack.status, setBack.stderr).toBe(1);
    expect(setBack.stderr).not.toMatch(/failed:/);
    expect(problemsOf(setBack.report, 'database schema')).toMatch(unreadable);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION - 1);
    expect(fs.readFileSync(`${temp.dir}/store.json`)).toEqual(anchorBefore);
  });

  it('a store whose schema version was set back and whose schema SQLite cannot read is refused by a read (items) and by writes (import, export) as an integrity failure (exit 1), saying to audit it and restore it, with nothing written', async () => {
    addTableOfMissingModule(temp.dir);
    sqliteShell(temp.dir, `PRAGMA user_version = ${SCHEMA_VERSION - 1};`);
    const before = storeBytes(temp.dir);
    const file = temp.writeFile('second.txt', 'a second ad');
    const refused = new RegExp(
      `^custos: this store's database was edited, so it was not upgraded and nothing was written: its schema cannot be read \\(SQLite: no such module: nosuchmodule\\), and it records schema version ${SCHEMA_VERSION - 1} \\(PRAGMA user_version\\), below this Custos's ${SCHEMA_VERSION}: .*\\. Run \`custos audit\` to see what else differs, and restore the database from a backup with \`custos restore --from BACKUP\``,
    );

    for (const args of [
      ['items', '--case', 'SCH-1'],
      ['import', file, '--case', 'SCH-1'],
      ['export', '--case', 'SCH-1', '--out', `${temp.base}/SCH-1.zip`],
    ]) {
      const result = await runCustos(args, { store: temp.dir });
      // Before, every command but the audit failed with "failed: no such module" (exit 3), as if it were at fault.
      expect(result.status, `${args[0]}: ${result.stderr}`).toBe(1);
      expect(result.stderr, args[0]).toMatch(refused);
      expect(storeBytes(temp.dir), args[0]).toEqual(before);
    }
    expect(fs.existsSync(`${temp.base}/SCH-1.zip`)).toBe(false);
  });

  it('a negative schema version is named by the audit as set back (exit 1), and a write refuses it with nothing written', async () => {
    const anchorBefore = fs.readFileSync(`${temp.dir}/store.json`);
    sqliteShell(temp.dir, 'PRAGMA user_version = -1;');
    const lowered = /the recorded schema version \(PRAGMA user_version\) is -1, which no Custos writes/;

    const result = await audit(temp.dir);
    expect(result.status, result.stderr).toBe(1);
    expect(problemsOf(result.report, 'database schema')).toMatch(lowered);
    expect(result.report.problems.map((p) => p.subject)).toEqual(['database schema']);

    const write = await runCustos(['case', 'create', '--number', 'SCH-2', '--title', 'Second'], {
      store: temp.dir,
    });
    expect(write.status, write.stderr).toBe(1);
    expect(write.stderr).toMatch(lowered);
    expect(schemaVersionOf(temp.dir)).toBe(-1);
    expect(committedCaseNumbers(temp.dir)).toEqual(['SCH-1']);
    expect(fs.readFileSync(`${temp.dir}/store.json`)).toEqual(anchorBefore);
  });

  it("a schema version raised above this Custos's own cannot be told from a newer store: the audit answers exit 2, use the newer Custos", async () => {
    sqliteShell(temp.dir, `PRAGMA user_version = ${SCHEMA_VERSION + 1};`);
    const result = await runCustos(['audit'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `schema version ${SCHEMA_VERSION + 1}, newer than this Custos understands .*Use the newer Custos`,
      ),
    );
  });

  it('an investigator key added to the database, with entries it signed, is named: signatures are checked with the key store.json anchors', async () => {
    const headBefore = ledgerHeadOf(temp.dir);
    // A store.init introducing the forger's key (so the investigator row matches a signed entry), then one more entry.
    const forged = appendForeignEntries(temp.dir, 2, { introduce: true });

    const result = await audit(temp.dir);
    expect(result.status, result.stderr).toBe(1);
    for (const seq of [headBefore + 1, headBefore + 2])
      expect(problemsOf(result.report, `ledger entry ${seq}`)).toMatch(
        new RegExp(
          `signed by an unknown key ${forged.slice(0, 16)}…, not this store's key .* \\(anchored in store.json\\)`,
        ),
      );
    expect(problemsOf(result.report, `ledger entry ${headBefore}`)).toBe('');
  });

  it("without store.json (and its 'store.anchored' row), entries signed by a key added to the database are still named: checked against the workstation's key file", async () => {
    const head = ledgerHeadOf(temp.dir);
    const forged = appendForeignEntries(temp.dir, 1, { introduce: true });
    fs.rmSync(`${temp.dir}/store.json`);
    sqliteShell(temp.dir, "DELETE FROM settings WHERE key = 'store.anchored';");

    const result = await audit(temp.dir);
    expect(result.status, result.stderr).toBe(1);
    expect(problemsOf(result.report, `ledger entry ${head + 1}`)).toMatch(
      new RegExp(
        `signed by an unknown key ${forged.slice(0, 16)}…, not this store's key .* \\(the workstation's signing key file in .*keys`,
      ),
    );
    expect(problemsOf(result.report, `ledger entry ${head}`)).toBe('');
  });

  it('without store.json or a key file, the key ledger entry 1 (store.init) introduces is the reference', async () => {
    const head = ledgerHeadOf(temp.dir);
    const forged = appendForeignEntries(temp.dir, 1, { introduce: true });
    fs.rmSync(`${temp.dir}/store.json`);
    fs.rmSync(`${temp.dir}/keys`, { recursive: true });
    sqliteShell(temp.dir, "DELETE FROM settings WHERE key = 'store.anchored';");

    const result = await audit(temp.dir);
    expect(result.status, result.stderr).toBe(1);
    expect(problemsOf(result.report, `ledger entry ${head + 1}`)).toMatch(
      new RegExp(
        `signed by an unknown key ${forged.slice(0, 16)}…, not this store's key .* \\(the key ledger entry 1 \\(store.init\\) introduces`,
      ),
    );
    // The store's own entries still verify with that key.
    for (let seq = 1; seq <= head; seq++) expect(problemsOf(result.report, `ledger entry ${seq}`)).toBe('');
  });
});

describe('an older store, once upgraded', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('has exactly the schema a new store has, and audits clean', async () => {
    const older = await makeOlderStore('OLD-1');
    try {
      const upgrade = await runCustos(['case', 'create', '--number', 'OLD-2', '--title', 'After'], {
        store: older.dir,
      });
      expect(upgrade.status, upgrade.stderr).toBe(0);
      expect(upgrade.stderr).toMatch(/upgrading this store's database from schema version 16/);
      const result = await audit(older.dir);
      expect(result.status, JSON.stringify(result.report.problems)).toBe(0);
      expect(result.report.problems).toEqual([]);
    } finally {
      older.remove();
    }
  });
});
