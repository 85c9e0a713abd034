/**
 * The built app runs the audit's SQLite integrity check on the worker thread of its own build:
 * out/electron/integrity-worker.mjs (from `npm run build:electron`), started as the built main
 * bundle starts it. A build that left it out or broke its imports would otherwise go unseen, since
 * the check falls back to the calling thread (holding the window) when the thread cannot load.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrityAnswer } from '../../electron/core/store/audit/integrity-thread.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { buildAppOnce, runBuiltWorker } from '../support/built-app.js';
import { REPO_ROOT } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

const builtWorker = path.join(REPO_ROOT, 'out', 'electron', 'integrity-worker.mjs');

describe('the built integrity-check worker', () => {
  let temp: TempStore | undefined;
  beforeAll(buildAppOnce, 600_000);
  afterEach(() => temp?.remove());

  it("checks a store's database and answers with its findings: none for a sound one", async () => {
    temp = makeTempStore({ caseNumber: 'IW-1' });
    const { answer, code } = await runBuiltWorker<IntegrityAnswer>(builtWorker, {
      database: storeLayout(temp.dir).database,
      sqliteBinding: null,
    });
    expect(answer).toEqual({ findings: [] });
    expect(code).toBe(0);
  });

  it('says why it could not check a database that is not there, with SQLite code', async () => {
    temp = makeTempStore({ caseNumber: 'IW-2' });
    const { answer } = await runBuiltWorker<IntegrityAnswer>(builtWorker, {
      database: path.join(temp.dir, 'no-such.sqlite'),
      sqliteBinding: null,
    });
    expect(answer).toMatchObject({ failed: { code: 'SQLITE_CANTOPEN' } });
  });
});
