import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { type StoreLayout, storeLayout } from '../../electron/core/store/store-layout.js';
import { runCustos } from '../support/run-custos.js';
import { seedStore } from '../support/seed-store.js';
import { sqliteShell } from '../support/sqlite.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

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

/** The store and backup of `storeWithOlderBackup`, made afresh for each test of the calling suite and removed after it. */
export function eachStoreWithOlderBackup(): { temp: TempStore; backupDir: string; layout: StoreLayout } {
  const current = {} as { temp: TempStore; backupDir: string; layout: StoreLayout };
  beforeEach(async () => {
    Object.assign(current, await storeWithOlderBackup());
    current.layout = storeLayout(current.temp.dir);
  });
  afterEach(() => current.temp.remove());
  return current;
}
