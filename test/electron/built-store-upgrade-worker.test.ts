/**
 * The built app upgrades a store an older Custos wrote on the worker thread of its own build:
 * out/electron/store-upgrade-worker.mjs (from `npm run build:electron`), started as the built main
 * bundle starts it. A build that left it out or broke its imports would otherwise go unseen, since
 * the migration falls back to the main thread (holding the window) when the thread cannot load.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations/index.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import type { UpgradeAnswer } from '../../electron/core/store/store-upgrade.js';
import { buildAppOnce, runBuiltWorker } from '../support/built-app.js';
import { makeOlderStore, schemaVersionOf } from '../support/older-store.js';
import { REPO_ROOT } from '../support/run-custos.js';
import type { TempStore } from '../support/temp-store.js';

const builtWorker = path.join(REPO_ROOT, 'out', 'electron', 'store-upgrade-worker.mjs');

describe('the built store-upgrade worker', () => {
  let temp: TempStore | undefined;
  beforeAll(buildAppOnce, 600_000);
  afterEach(() => temp?.remove());

  it('upgrades a store an older Custos wrote to the current schema and says it is done', async () => {
    temp = await makeOlderStore('OLD-9');
    const { answer, code } = await runBuiltWorker<UpgradeAnswer>(builtWorker, {
      database: storeLayout(temp.dir).database,
      sqliteBinding: null,
    });
    expect(answer).toEqual({ done: true });
    expect(code).toBe(0);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
  });
});
