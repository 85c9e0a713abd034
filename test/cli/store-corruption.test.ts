import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../shared/domain.js';
import { runCustos } from '../support/run-custos.js';
import { type SeededEvidence, seedStore } from '../support/seed-store.js';
import { corruptTablePage, openRawDatabase } from '../support/sqlite.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { filesUnder } from './store-state.js';

describe('a damaged database page', { timeout: 180_000 }, () => {
  let temp: TempStore;
  let seeded: SeededEvidence;

  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'COR-1' });
    seeded = await seedStore(temp, { files: 40 }); // enough rows for the items table to span pages
  });
  afterEach(() => temp.remove());

  /** What a refused write must leave as it was: the ledger (readable: only items is damaged) and the blobs. */
  function untouched(): { ledger: number; blobs: readonly string[] } {
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      return {
        ledger: db.prepare('SELECT count(*) FROM ledger').pluck().get() as number,
        blobs: filesUnder(path.join(temp.dir, 'blobs')),
      };
    } finally {
      db.close();
    }
  }

  it('random bytes on an items page make audit exit 1 and name the items table, not exit 3 with nothing named', async () => {
    corruptTablePage(temp.dir, 'items');
    const result = await runCustos(['audit'], { store: temp.dir, json: true });
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as AuditReport;
    expect(report.clean).toBe(false);
    const integrity = report.problems.filter((p) => p.problem.startsWith('SQLite integrity check:'));
    expect(integrity.length).toBeGreaterThan(0);
    expect(integrity.map((p) => p.problem).join('\n')).toMatch(/\bitems\b/);
    // Found on the integrity check's own thread: the command's bundle carries its worker (a fallback
    // to the calling thread says so on stderr).
    expect(result.stderr).not.toMatch(/worker thread failed/);

    const human = await runCustos(['audit'], { store: temp.dir });
    expect(human.status).toBe(1);
    expect(human.stdout).toMatch(/PROBLEM {2}database: SQLite integrity check: .*\bitems\b/);
  });

  it('import, note and case create refuse a store whose evidence tables are damaged: exit 1, the table named, nothing written', async () => {
    corruptTablePage(temp.dir, 'items');
    const before = untouched();
    const file = temp.writeFile('new-evidence.txt', 'must not be stored in a damaged store\n');
    for (const args of [
      ['import', file, '--case', 'COR-1'],
      ['note', seeded.items[0]?.id ?? '', 'not on a damaged store'],
      ['case', 'create', '--number', 'COR-2', '--title', 'not on a damaged store'],
    ]) {
      const result = await runCustos(args, { store: temp.dir });
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toMatch(/damaged/);
      expect(result.stderr).toMatch(/\bitems\b/);
      expect(result.stderr).toMatch(/nothing was written/);
      expect(result.stderr).toMatch(/custos audit/);
    }
    expect(untouched()).toEqual(before);
  });
});
