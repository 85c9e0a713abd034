/**
 * Capture benchmark. Serves the fixture site on 127.0.0.1 and prints, in one run:
 *
 * - the time of `custos capture` of the fixture post (a new Node process: browser start, page load,
 *   settling, all seven artifacts, storing and committing them) beside Chromium alone loading and
 *   screenshotting the same page (`chromium --headless --screenshot`, fresh profile), as the median
 *   of ROUNDS alternating runs, and their ratio (goal: at most 1.5);
 * - the peak memory of `custos capture` of the 40,000 px page (goal: under 1 GB): the Custos
 *   process's own peak, and the peak of the whole process tree (Custos and every Chromium
 *   process), summed as proportional set size so that shared pages count once.
 *
 *   node --import tsx bench/capture/run.ts [ROUNDS]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findChromium } from '../../electron/core/capture/browser/browser-discovery.js';
import { CHROMIUM_SWITCHES } from '../../electron/core/capture/browser/playwright-browser.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { startFixtureServer } from '../../test/support/fixture-server.js';
import {
  CUSTOS_BIN,
  makeBenchDir,
  printFigures,
  removeBenchDir,
  run,
  runCustos,
  secs,
  timed,
} from '../support/bench-kit.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const CASE = 'BENCH-CAPTURE';

function makeStore(dir: string): void {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  try {
    store.init({ name: 'Bench Investigator', agency: null, badge: null });
    store.createCase({ number: CASE, title: 'Capture benchmark' });
  } finally {
    store.close();
  }
}

/** Chromium on its own, with the switches the capture browser uses, in a fresh profile. */
async function chromiumScreenshot(chromium: string, url: string, dir: string, round: number): Promise<void> {
  const profile = path.join(dir, `profile-${round}`);
  await run(chromium, [
    '--headless',
    ...CHROMIUM_SWITCHES,
    `--user-data-dir=${profile}`,
    '--window-size=1280,800',
    '--hide-scrollbars',
    `--screenshot=${path.join(dir, `chromium-${round}.png`)}`,
    url,
  ]);
  fs.rmSync(profile, { recursive: true, force: true });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Every process below `pid`, `pid` included. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while being read.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** A memory figure of a process from /proc (kB), or 0 when it has gone. */
function memoryKb(pid: number, file: 'status' | 'smaps_rollup', field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      fs.readFileSync(`/proc/${pid}/${file}`, 'utf8'),
    );
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs `custos capture` and samples its memory every 50 ms: the Custos process's peak (VmHWM) and the tree's peak PSS. */
async function captureWithMemory(store: string, url: string) {
  const child = spawn(process.execPath, [CUSTOS_BIN, '--store', store, 'capture', url, '--case', CASE], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CUSTOS_STORE: undefined },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let custosPeakKb = 0;
  let treePeakKb = 0;
  const sampler = setInterval(() => {
    if (!child.pid) return;
    custosPeakKb = Math.max(custosPeakKb, memoryKb(child.pid, 'status', 'VmHWM'));
    const tree = processTree(child.pid).reduce((sum, pid) => sum + memoryKb(pid, 'smaps_rollup', 'Pss'), 0);
    treePeakKb = Math.max(treePeakKb, tree);
  }, 50);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  if (status !== 0) throw new Error(`custos capture exited ${status}:\n${stderr}`);
  return { custosPeakKb, treePeakKb };
}

async function main(): Promise<void> {
  const chromium = findChromium();
  const server = await startFixtureServer();
  const dir = makeBenchDir('capture');
  const store = path.join(dir, 'store');
  makeStore(store);
  const post = server.url('/post.html');
  try {
    // One untimed run of each, so both start from the same warm disk cache.
    await chromiumScreenshot(chromium, post, dir, -1);
    await runCustos(store, ['capture', post, '--case', CASE]);

    const custosTimes: number[] = [];
    const chromiumTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      chromiumTimes.push((await timed(() => chromiumScreenshot(chromium, post, dir, round))).seconds);
      custosTimes.push((await timed(() => runCustos(store, ['capture', post, '--case', CASE]))).seconds);
    }
    const custos = median(custosTimes);
    const alone = median(chromiumTimes);
    printFigures(`custos capture of the fixture post vs Chromium alone (median of ${ROUNDS} runs each)`, [
      ['custos capture (7 artifacts, stored)', secs(custos)],
      ['chromium --headless --screenshot', secs(alone)],
      ['ratio (goal ≤ 1.5)', `${(custos / alone).toFixed(2)}`],
      ['custos runs', custosTimes.map((t) => t.toFixed(2)).join(' ')],
      ['chromium runs', chromiumTimes.map((t) => t.toFixed(2)).join(' ')],
    ]);

    const memory = await captureWithMemory(store, server.url('/tall.html'));
    printFigures('custos capture of the 40,000 px page: peak memory (goal < 1 GB)', [
      ['custos process (VmHWM)', `${(memory.custosPeakKb / 1024).toFixed(0)} MiB`],
      ['custos + Chromium processes (sum of PSS)', `${(memory.treePeakKb / 1024).toFixed(0)} MiB`],
    ]);
  } finally {
    await server.close();
    removeBenchDir(dir);
  }
}

await main();
