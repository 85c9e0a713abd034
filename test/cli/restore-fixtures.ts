import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { type StoreLayout, storeLayout } from '../../electron/core/store/store-layout.js';
import { REPO_ROOT, runCustos } from '../support/run-custos.js';
import { seedStore } from '../support/seed-store.js';
import { sqliteShell } from '../support/sqlite.js';
import { copyTempStore, makeTempStore, type TempStore } from '../support/temp-store.js';

/**
 * A store (case RB-1, one item) with a backup of its database in `backupDir`, then one custody
 * entry more than the backup (case RB-2): restoring the backup loses that entry, so it takes
 * --accept-loss, and store.json is ahead of the backup, as after most backups.
 */
export async function storeWithOlderBackup(): Promise<{ temp: TempStore; backupDir: string }> {
  const temp = makeTempStore({ caseNumber: 'RB-1' });
  await seedStore(temp, { files: 1 });
  const backupDir = path.join(temp.base, 'backup');
  fs.mkdirSync(backupDir);
  sqliteShell(temp.dir, `.backup '${path.join(backupDir, 'custos.sqlite')}'`);
  const after = await runCustos(['case', 'create', '--number', 'RB-2', '--title', 'after'], {
    store: temp.dir,
  });
  expect(after.status, after.stderr).toBe(0);
  return { temp, backupDir };
}

/**
 * The store and backup of `storeWithOlderBackup`, built once for the calling suite, and a fresh copy
 * of both for each test (removed after it): tests change the store, none changes the one built.
 */
export function eachStoreWithOlderBackup(): { temp: TempStore; backupDir: string; layout: StoreLayout } {
  const current = {} as { temp: TempStore; backupDir: string; layout: StoreLayout };
  let built: { temp: TempStore; backupDir: string } | undefined;
  beforeAll(async () => {
    built = await storeWithOlderBackup();
  });
  afterAll(() => built?.temp.remove());
  beforeEach(() => {
    if (!built) throw new Error('the store with an older backup was not built');
    const temp = copyTempStore(built.temp);
    current.temp = temp;
    current.backupDir = path.join(temp.base, path.relative(built.temp.base, built.backupDir));
    current.layout = storeLayout(temp.dir);
  });
  afterEach(() => current.temp.remove());
  return current;
}

/**
 * Runs `custos restore --from BACKUP --accept-loss` on `storeDir`, killed with SIGKILL at `step`
 * (test/support/kill-restore-at.mjs), and checks that it was.
 */
export async function restoreKilledAt(storeDir: string, backupDir: string, step: string): Promise<void> {
  const preload = path.join(REPO_ROOT, 'test', 'support', 'kill-restore-at.mjs');
  const killed = await runCustos(['restore', '--from', backupDir, '--accept-loss'], {
    store: storeDir,
    env: {
      CUSTOS_TEST_KILL_RESTORE_AT: step,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
    },
  });
  expect(killed.signal, killed.stderr).toBe('SIGKILL');
  expect(killed.stderr).toContain(`killed at ${step}\n`);
}
