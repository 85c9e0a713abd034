import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations/index.js';
import { backToSchemaVersion16, schemaVersionOf } from '../support/older-store.js';
import { runCustos } from '../support/run-custos.js';
import { makeTempDir, makeTempStore, removeTempDir, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';

const UPGRADE_NOTE =
  /upgrading this store's database from schema version (\d+) to (\d+);.*stopped, it leaves the store as it was/;

describe('upgrading an older store', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let temp: TempStore;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'UP-1' });
  });
  afterEach(() => temp.remove());

  it('the first write says, before the wait, that the database is being upgraded and from which version; later ones say nothing', async () => {
    const file = temp.writeFile('ad.txt', 'crossing 3000 EUR');
    expect((await runCustos(['import', file, '--case', 'UP-1'], { store: temp.dir })).status).toBe(0);
    backToSchemaVersion16(temp.dir);

    const upgrading = await runCustos(['case', 'create', '--number', 'UP-2', '--title', 'Second'], {
      store: temp.dir,
    });
    expect(upgrading.status, upgrading.stderr).toBe(0);
    expect(upgrading.stderr).toMatch(UPGRADE_NOTE);
    expect(UPGRADE_NOTE.exec(upgrading.stderr)?.slice(1)).toEqual(['16', String(SCHEMA_VERSION)]);
    // Messages go to stderr: stdout stays what the command prints.
    expect(upgrading.stdout).not.toMatch(/upgrading/);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);

    const after = await runCustos(['case', 'create', '--number', 'UP-3', '--title', 'Third'], {
      store: temp.dir,
    });
    expect(after.status, after.stderr).toBe(0);
    expect(after.stderr).not.toMatch(/upgrading/);
    expect((await runCustos(['audit'], { store: temp.dir })).status).toBe(0);
  });

  it('a new store says nothing of an upgrade', async () => {
    const dir = makeTempDir();
    try {
      const fresh = await runCustos(['init', '--investigator', 'Ana Ruiz'], { store: dir });
      expect(fresh.status, fresh.stderr).toBe(0);
      expect(fresh.stderr).not.toMatch(/upgrading/);
    } finally {
      removeTempDir(dir);
    }
  });
});
