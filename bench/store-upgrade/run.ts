/**
 * Store upgrade benchmark: what the app's window meets when it opens a store an older Custos
 * wrote. It copies a schema-16 store (its database, anchor and keys; the blobs are not read by an
 * upgrade) into a temporary folder, starts the API service on it as the app does, asks what the
 * window asks first (`startStoreUpgrade`, where the code has it, then `listCases`), and reports how
 * long until the window was told, how long until the cases came, and the longest stall of the
 * process's event loop meanwhile: while it stalls, Electron's main process answers nothing (its
 * window can be neither redrawn with news nor moved).
 *
 *   node --import tsx bench/store-upgrade/run.ts OLD_STORE_DIR [CODE_ROOT]
 *
 * CODE_ROOT (default: this checkout) is the checkout whose API service is measured, so that two
 * versions can be compared side by side in the same minutes on the same store. A schema-16 store:
 * `bench/search/run.ts` with CUSTOS_BENCH_STORE, built before migration 017 or put back with
 * test/support/older-store.ts.
 */
import fs from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeBenchDir, printFigures, REPO_ROOT, removeBenchDir, secs } from '../support/bench-kit.js';

const [source, codeRoot = REPO_ROOT] = process.argv.slice(2);
if (!source) throw new Error('usage: bench/store-upgrade/run.ts OLD_STORE_DIR [CODE_ROOT]');

interface Service {
  call(
    method: string,
    input: unknown,
  ): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
  close(): void;
}

const base = makeBenchDir('store-upgrade');
try {
  const store = path.join(base, 'store');
  fs.mkdirSync(store, { mode: 0o700 });
  for (const name of ['custos.sqlite', 'store.json', 'keys'])
    fs.cpSync(path.join(source, name), path.join(store, name), { recursive: true });
  const { createApiService } = (await import(
    pathToFileURL(path.join(codeRoot, 'electron/core/api/api-service.ts')).href
  )) as { createApiService: (options: { storeDir: string; watchTickMs: false }) => Service };

  // The event loop's longest stall: a timer due every 10 ms, and the longest gap between its runs.
  let last = performance.now();
  let longest = 0;
  const ticking = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);

  const start = performance.now();
  const api = createApiService({ storeDir: store, watchTickMs: false });
  const told = await api.call('startStoreUpgrade', {});
  const toldAfter = performance.now() - start;
  const listed = await api.call('listCases', {});
  const listedAfter = performance.now() - start;
  longest = Math.max(longest, performance.now() - last); // a stall that lasted to the answer
  clearInterval(ticking);
  api.close();
  if (!listed.ok) throw new Error(`listCases failed: ${listed.error?.message}`);
  printFigures(`store upgrade, code of ${codeRoot} (load ${loadavg()[0]?.toFixed(1)})`, [
    [
      'the window told of the upgrade',
      told.ok && told.value
        ? `after ${secs(toldAfter / 1000)}: ${JSON.stringify(told.value)}`
        : `never (${told.ok ? 'nothing to upgrade' : told.error?.message})`,
    ],
    ['cases listed (upgrade included)', secs(listedAfter / 1000)],
    ['longest event-loop stall', secs(longest / 1000)],
  ]);
} finally {
  removeBenchDir(base);
}
