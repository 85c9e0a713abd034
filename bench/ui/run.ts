/**
 * Evidence-list benchmark: a store with 100,000 items in one case (built through the EvidenceStore
 * API, each item with its signed custody entry), the built renderer served by the browser harness,
 * and headless system Chromium. Prints the time from opening the case to the first painted rows,
 * the frame times while scrolling (a steady fling and random jumps), and the service's page
 * latency at the top, middle and end of the case, each as a median and p95 with the load average.
 *
 *   node --import tsx bench/ui/run.ts [ITEMS] [STORE_DIR]
 *
 * With STORE_DIR, the store is built there once and reused by later runs (building 100,000 signed
 * items takes minutes); without it, a temporary store is built and removed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApiService } from '../../electron/core/api/api-service.js';
import { deriveMissing } from '../../electron/core/derive/derive-items.js';
import { searchDeriver } from '../../electron/core/search/search-deriver.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { builtRenderer, launchChromium } from '../../test/ui/support/ui-session.js';
import { startHarness } from '../../tools/harness/harness-server.js';
import {
  makeBenchDir,
  medianAndP95,
  printFigures,
  removeBenchDir,
  secs,
  timed,
} from '../support/bench-kit.js';

const ITEMS = Number(process.argv[2] ?? 100_000);
const CASE_NUMBER = 'BENCH-UI';
const ITEMS_PER_TRANSACTION = 2000;
/** Times the case is opened in the browser (the first on a cold renderer), for a median and p95. */
const FIRST_PAINT_RUNS = 11;
/** Times each service call is made, for a median and p95. */
const SERVICE_RUNS = 20;
const TITLES = [
  'قارب للبيع — مقاعد متاحة',
  'Boat trip, seats available',
  'سفر امن با قایق',
  'Passport photos',
  'Chat export',
];

async function buildStore(dir: string): Promise<void> {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  try {
    store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
    const caseRow = store.createCase({ number: CASE_NUMBER, title: 'Evidence list benchmark' });
    const image = await store.blobs.putBuffer(
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    const start = Date.UTC(2026, 0, 1);
    for (let done = 0; done < ITEMS; done += ITEMS_PER_TRANSACTION) {
      // Many items per transaction: one fsync per batch instead of per item (the rows are the same).
      store.transaction(() => {
        for (let i = done; i < Math.min(ITEMS, done + ITEMS_PER_TRANSACTION); i++) {
          const title = `${TITLES[i % TITLES.length]} #${i}`;
          store.addItem({
            caseId: caseRow.id,
            kind: 'import',
            source: `evidence-${i}.png`,
            title,
            url: i % 3 === 0 ? `https://market.test/ad/${i}` : null,
            capturedAt: new Date(start + i * 60_000),
            metadata: { originalName: `evidence-${i}.png`, n: i },
            artifacts: [
              {
                role: 'original',
                name: 'original.png',
                mediaType: 'image/png',
                size: image.size,
                sha256: image.sha256,
              },
            ],
          });
        }
      });
    }
  } finally {
    store.close();
  }
}

/** Runs the search deriver over the items not indexed yet (unsynced: the build is not measured). */
async function indexForSearch(dir: string): Promise<number> {
  const store = EvidenceStore.openForWriting(dir);
  store.db.pragma('synchronous = OFF');
  try {
    return (await deriveMissing(store, { derivers: [searchDeriver] })).derived;
  } finally {
    store.close();
  }
}

function stats(frames: readonly number[]) {
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = frames.reduce((s, f) => s + f, 0) / Math.max(1, frames.length);
  return {
    text: `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms, ${(1000 / mean).toFixed(0)} fps, ${frames.filter((f) => f > 25).length}/${frames.length} frames over 25 ms`,
  };
}

const work = makeBenchDir('ui');
try {
  const keptStore = process.argv[3];
  const storeDir = keptStore ?? path.join(work, 'store');
  const reuse = keptStore !== undefined && fs.existsSync(path.join(keptStore, 'custos.sqlite'));
  const built = reuse ? { value: undefined, seconds: Number.NaN } : await timed(() => buildStore(storeDir));
  // Titles and addresses indexed for search, as every write leaves them (a kept store built
  // before this step gets its index once); it also brings a kept store to this build's schema.
  const indexed = await timed(() => indexForSearch(storeDir));
  const api = createApiService({ storeDir, exportDir: path.join(work, 'exports') });
  // The first call opens the read connection on a cold page cache; the list's later calls find it warm.
  const firstPage = await timed(() =>
    api.call('queryItems', { caseRef: CASE_NUMBER, offset: 0, limit: 100 }),
  );
  const serviceLatency: [string, string][] = [
    ['first page of 100 rows, cold connection', `${(firstPage.seconds * 1000).toFixed(1)} ms`],
  ];
  const calls: [string, () => Promise<unknown>][] = [
    [
      'page of 100 rows at the top',
      () => api.call('queryItems', { caseRef: CASE_NUMBER, offset: 0, limit: 100 }),
    ],
    [
      'page of 100 rows at the middle',
      () => api.call('queryItems', { caseRef: CASE_NUMBER, offset: Math.floor(ITEMS / 2), limit: 100 }),
    ],
    [
      'page of 100 rows at the end',
      () => api.call('queryItems', { caseRef: CASE_NUMBER, offset: ITEMS - 100, limit: 100 }),
    ],
    [
      'page of 100 rows, newest first',
      () => api.call('queryItems', { caseRef: CASE_NUMBER, offset: 0, limit: 100, descending: true }),
    ],
    [
      "the case's tags (the filter menu, asked on opening)",
      () => api.call('listCaseTags', { caseRef: CASE_NUMBER }),
    ],
    [
      'page of 100 rows sorted by title',
      () => api.call('queryItems', { caseRef: CASE_NUMBER, offset: 0, limit: 100, sort: 'title' }),
    ],
    [
      // Two searches in turn: each call is a new search (the service reuses only the last one's matches).
      'search "قایق" or "boat" (title and text), first 100 rows',
      (() => {
        let turn = 0;
        return () =>
          api.call('queryItems', {
            caseRef: CASE_NUMBER,
            offset: 0,
            limit: 100,
            search: turn++ % 2 === 0 ? 'قایق' : 'boat',
          });
      })(),
    ],
  ];
  for (const [label, call] of calls) {
    const times: number[] = [];
    for (let run = 0; run < SERVICE_RUNS; run++) times.push((await timed(call)).seconds * 1000);
    serviceLatency.push([label, medianAndP95(times)]);
  }
  api.close();

  const harness = await startHarness({
    rendererDir: await builtRenderer(),
    storeDir,
    exportDir: path.join(work, 'exports'),
    uploadDir: path.join(work, 'uploads'),
  });
  const browser = await launchChromium(path.join(work, 'profile'));
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(harness.url);
    const caseButton = page.locator('.case-row', { hasText: CASE_NUMBER });
    // From the click that opens the case to the frame that shows its first rows: the first time
    // (nothing of the case loaded yet), then again after going back to the cases (Alt+1).
    const firstPaints: number[] = [];
    for (let run = 0; run < FIRST_PAINT_RUNS; run++) {
      if (run > 0) await page.keyboard.press('Alt+1');
      await caseButton.waitFor();
      firstPaints.push(
        await page.evaluate(async () => {
          const g = globalThis as unknown as {
            document: { querySelector(s: string): { click(): void } | null };
            performance: { now(): number };
            requestAnimationFrame(cb: (t: number) => void): void;
          };
          const t0 = g.performance.now();
          g.document.querySelector('.case-row')?.click();
          // (No named helpers in here: tsx would wrap them in a __name call the page does not have.)
          while (!g.document.querySelector('.table-row[data-item-id]')) {
            await new Promise<number>((resolve) => g.requestAnimationFrame(resolve));
          }
          await new Promise<number>((resolve) => g.requestAnimationFrame(resolve));
          return g.performance.now() - t0;
        }),
      );
    }
    const count = await page.locator('.list-toolbar .count').textContent();

    const scrollRun = async (mode: 'fling' | 'jump') =>
      page.evaluate(
        async ({ mode, frames }) => {
          const g = globalThis as unknown as {
            document: { querySelector(s: string): { scrollTop: number; scrollHeight: number } | null };
            requestAnimationFrame(cb: (t: number) => void): void;
          };
          const list = g.document.querySelector('.vlist');
          if (!list) throw new Error('no list');
          // Long animation frames say how much of a slow frame was the page's own script.
          const PO = (
            globalThis as unknown as {
              PerformanceObserver: new (
                cb: (l: { getEntries(): { duration: number; scripts?: { duration: number }[] }[] }) => void,
              ) => { observe(o: object): void; disconnect(): void };
            }
          ).PerformanceObserver;
          let scriptMs = 0;
          let longFrames = 0;
          const observer = new PO((entries) => {
            for (const entry of entries.getEntries()) {
              longFrames++;
              for (const script of entry.scripts ?? []) scriptMs += script.duration;
            }
          });
          observer.observe({ type: 'long-animation-frame', buffered: false });
          const times: number[] = [];
          let last = await new Promise<number>((resolve) => g.requestAnimationFrame(resolve));
          let seed = 7;
          for (let i = 0; i < frames; i++) {
            if (mode === 'fling') list.scrollTop += 160;
            else {
              seed = (seed * 48271) % 2147483647;
              list.scrollTop = (seed / 2147483647) * list.scrollHeight;
            }
            const now = await new Promise<number>((resolve) => g.requestAnimationFrame(resolve));
            times.push(now - last);
            last = now;
          }
          observer.disconnect();
          return { times, scriptMs, longFrames };
        },
        { mode, frames: 300 },
      );
    // The renderer's own work while scrolling, from Chromium's counters (less sensitive to other
    // processes on the machine than frame times are).
    const cdp = await browser.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const measured = async (mode: 'fling' | 'jump') => {
      const before = await metrics();
      const run = await scrollRun(mode);
      const after = await metrics();
      const perFrame = (name: string) =>
        (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / run.times.length;
      return {
        ...run,
        work: `script ${perFrame('ScriptDuration').toFixed(1)} ms, style ${perFrame('RecalcStyleDuration').toFixed(1)} ms, layout ${perFrame('LayoutDuration').toFixed(1)} ms per frame`,
      };
    };
    const fling = await measured('fling');
    const jump = await measured('jump');
    const scriptShare = (run: typeof fling) =>
      `${run.longFrames} long frames (> 50 ms) held ${run.scriptMs.toFixed(0)} ms of page script in all`;
    printFigures(`Evidence list with ${count} (headless Chromium, 1440×900)`, [
      ['store built (items with signed custody entries)', reuse ? 'reused' : secs(built.seconds)],
      ['search index', `${indexed.value} items indexed in ${secs(indexed.seconds)}`],
      ['open case → first rows painted, the first time', `${(firstPaints[0] ?? 0).toFixed(0)} ms`],
      ['open case → first rows painted, again', medianAndP95(firstPaints.slice(1))],
      ['scrolling, steady fling (160 px/frame)', stats(fling.times).text],
      ['  of which', scriptShare(fling)],
      ['  renderer work', fling.work],
      ['scrolling, random jumps across the case', stats(jump.times).text],
      ['  of which', scriptShare(jump)],
      ['  renderer work', jump.work],
      ['machine load average (1 min) at the end', os.loadavg()[0]?.toFixed(1) ?? '?'],
      ...serviceLatency,
    ]);
  } finally {
    await browser.close();
    await harness.close();
  }
} finally {
  removeBenchDir(work);
}
