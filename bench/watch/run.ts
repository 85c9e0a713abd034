/**
 * How long one `watch run` takes per URL: a check that captures the page (system Chromium, every
 * artifact, the comparison with the previous capture, the check and its custody entry) and a check
 * of an unreachable address (refused connection). Also the classifier alone.
 *
 *   node --import tsx bench/watch/run.ts
 */
import { performance } from 'node:perf_hooks';
import { classifyCheck, type PageObservation } from '../../electron/core/watch/classify-check.js';
import { runWatches } from '../../electron/core/watch/watch-runner.js';
import { addWatch } from '../../electron/core/watch/watch-service.js';
import { makeTempStore } from '../../test/support/temp-store.js';
import { startWatchSite } from '../../test/support/watch-site.js';
import { printFigures, timed } from '../support/bench-kit.js';

const ROUNDS = 4;
const site = await startWatchSite();
const temp = makeTempStore({ caseNumber: 'BENCH-1' });
try {
  const store = temp.open();
  try {
    addWatch(store, { url: site.postUrl, caseRef: 'BENCH-1', intervalSeconds: 3600 });
    const reached: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      site.mode = i % 2 === 0 ? 'live' : 'changed';
      reached.push((await timed(() => runWatches(store, { force: 'all' }))).seconds);
    }
    await site.stop();
    const unreachable = (await timed(() => runWatches(store, { force: 'all' }))).seconds;

    const page: PageObservation = {
      httpStatus: 200,
      requestedUrl: site.postUrl,
      finalUrl: site.postUrl,
      title: 'post',
      text: 'Crossing to Lampedusa this Friday. '.repeat(300),
      screenshotHash: 'c3a1f0e0b8e0f0f0',
    };
    const n = 200;
    const started = performance.now();
    for (let i = 0; i < n; i++)
      classifyCheck({ kind: 'captured', current: page, baseline: page, lastCapturedState: 'live' });
    const classifyMs = (performance.now() - started) / n;

    const sorted = [...reached].sort((a, b) => a - b);
    printFigures('watch run, one URL per run (browser start included)', [
      [
        'page reached, captured and compared (median)',
        `${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} s`,
      ],
      ['page reached (each round)', reached.map((s) => `${s.toFixed(2)} s`).join(', ')],
      ['unreachable (connection refused)', `${unreachable.toFixed(2)} s`],
      ['classifier alone, 1,800-word page', `${classifyMs.toFixed(2)} ms`],
    ]);
  } finally {
    store.close();
  }
} finally {
  await site.stop();
  temp.remove();
}
