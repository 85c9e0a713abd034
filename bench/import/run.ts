/**
 * Import benchmark. Makes two sets of files, a large one (16 files of 32 MiB, incompressible) and a
 * small one (2,000 files of 4 KiB), and for each set times, in the same run:
 *
 * - `custos import` of the set into a fresh store (a new Node process, fsync of every blob, its
 *   folders and every SQLite commit included), and
 * - the baseline: `openssl dgst -sha256` over the same files, then `cp` of them to a fresh folder,
 *   then `sync` (so that the copy is on the disk, as the import's blobs are).
 *
 * - where rsync (3.2.4 or later) is installed, a second baseline that, like the import, makes each
 *   file durable on its own before the next: `openssl dgst -sha256`, then `rsync --fsync` of the
 *   files to a fresh folder (each file written under a temporary name, fsynced, renamed). `cp` and
 *   one `sync` make 2,000 small files durable in one journal commit; custos cannot, since each
 *   item's blob must be durable before the ledger entry that names it is committed (DESIGN.md's
 *   invariants), so for small files the second ratio compares like with like.
 *
 * It prints both, the ratio (goal: at most 1.5), the baseline without the `sync`, the ratio with
 * custos's own start-up (`custos --version`) taken out, the load average before and after each
 * set (the machine may be shared), and the ratio of both sets together.
 * Each set is timed BENCH_REPEATS times (default 2), alternating, and the fastest of each is kept:
 * on a shared machine the slower runs measure the neighbours.
 * A set of 0 files is skipped (`0 0 2000 4096` times the small set alone).
 * With BENCH_DROP_CACHES=1 (root on Linux) the page cache is emptied before each timing, so that
 * the files are read from the disk; otherwise they are read from the cache, where they were just written.
 *
 *   node --import tsx bench/import/run.ts [LARGE_FILES] [LARGE_FILE_BYTES] [SMALL_FILES] [SMALL_FILE_BYTES]
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import {
  CUSTOS_BIN,
  dropPageCache,
  makeBenchDir,
  mb,
  mbPerSecond,
  printFigures,
  removeBenchDir,
  run,
  runCustos,
  secs,
  syncDisks,
  timed,
} from '../support/bench-kit.js';

const LARGE_FILES = Number(process.argv[2] ?? 16);
const LARGE_SIZE = Number(process.argv[3] ?? 32 * 1024 * 1024);
const SMALL_FILES = Number(process.argv[4] ?? 2000);
const SMALL_SIZE = Number(process.argv[5] ?? 4096);
const DROP_CACHES = process.env.BENCH_DROP_CACHES === '1';
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 2));
/** Whether rsync is installed and can fsync what it writes (3.2.4 and later). */
const RSYNC_FSYNC = spawnSync('rsync', ['--help'], { encoding: 'utf8' }).stdout?.includes('--fsync') ?? false;

interface FileSet {
  readonly name: string;
  readonly files: readonly string[];
  readonly bytes: number;
}

/** Writes `count` files of random bytes with the sizes given, in a folder of their own. */
function writeFiles(dir: string, sizes: readonly number[]): FileSet {
  fs.mkdirSync(dir, { recursive: true });
  const scratch = Buffer.alloc(Math.max(0, ...sizes));
  const files = sizes.map((size, i) => {
    const file = path.join(dir, `file-${String(i).padStart(5, '0')}.bin`);
    fs.writeFileSync(file, randomFillSync(scratch, 0, size).subarray(0, size));
    return file;
  });
  return { name: path.basename(dir), files, bytes: sizes.reduce((sum, size) => sum + size, 0) };
}

/** Runs a command over many files, in batches that fit on a command line. */
async function overFiles(
  command: string,
  before: readonly string[],
  files: readonly string[],
  after: readonly string[] = [],
) {
  for (let start = 0; start < files.length; start += 500) {
    await run(command, [...before, ...files.slice(start, start + 500), ...after]);
  }
}

/** A fresh store with one case, made in this process (not part of any timing). */
function makeStore(dir: string): void {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  try {
    store.init({ name: 'Bench Investigator', agency: null, badge: null });
    store.createCase({ number: 'BENCH-IMPORT', title: 'Import benchmark' });
  } finally {
    store.close();
  }
}

async function prepareTiming(): Promise<void> {
  await syncDisks();
  if (DROP_CACHES) dropPageCache();
}

interface Timings {
  readonly openssl: number;
  readonly cp: number;
  readonly sync: number;
  readonly imported: number;
  readonly items: number;
  /** openssl + `rsync --fsync`, when rsync can fsync. */
  readonly durableEach: number | null;
}

/** One timing of the baseline and of the import, over the same files. */
async function measureOnce(base: string, set: FileSet): Promise<Timings> {
  await prepareTiming();
  const openssl = await timed(() => overFiles('openssl', ['dgst', '-sha256'], set.files));
  const copyDir = path.join(base, `${set.name}-copy`);
  fs.mkdirSync(copyDir);
  const cp = await timed(() => overFiles('cp', [], set.files, [copyDir]));
  const sync = await timed(() => syncDisks());
  fs.rmSync(copyDir, { recursive: true });
  let durableEach: number | null = null;
  if (RSYNC_FSYNC) {
    const rsyncDir = path.join(base, `${set.name}-rsync`);
    fs.mkdirSync(rsyncDir);
    await prepareTiming();
    const rsync = await timed(() => overFiles('rsync', ['--fsync'], set.files, [`${rsyncDir}/`]));
    durableEach = openssl.seconds + rsync.seconds;
    fs.rmSync(rsyncDir, { recursive: true });
  }

  const storeDir = path.join(base, `${set.name}-store`);
  makeStore(storeDir);
  await prepareTiming();
  const imported = await timed(() =>
    runCustos(storeDir, ['--json', 'import', ...set.files, '--case', 'BENCH-IMPORT']),
  );
  const items = (JSON.parse(imported.value.stdout) as { items: unknown[] }).items.length;
  fs.rmSync(storeDir, { recursive: true, force: true });
  return {
    openssl: openssl.seconds,
    cp: cp.seconds,
    sync: sync.seconds,
    imported: imported.seconds,
    items,
    durableEach,
  };
}

/** The load average over 1, 5 and 15 minutes, as `uptime` prints it. */
function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
}

/** The best import and baseline times of a set. */
interface Best {
  readonly imported: number;
  readonly baseline: number;
}

/** Times the set REPEATS times, alternating baseline and import, and keeps the fastest of each (the least disturbed). */
async function measure(base: string, set: FileSet, startup: number): Promise<Best> {
  const loadBefore = loadAverage();
  const runs: Timings[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await measureOnce(base, set));
  const best = (pick: (t: Timings) => number) => Math.min(...runs.map(pick));
  const baselineOf = (t: Timings) => t.openssl + t.cp + t.sync;
  const imported = best((t) => t.imported);
  const baseline = best(baselineOf);
  const ratio = imported / baseline;
  printFigures(
    `${set.name}: ${set.files.length} files, ${mb(set.bytes)}, best of ${REPEATS}${DROP_CACHES ? ' (page cache emptied before each timing)' : ''}`,
    [
      [
        'custos import (fsync included)',
        `${secs(imported)}  ${mbPerSecond(set.bytes, imported)}  (${runs[0]?.items} items)`,
      ],
      ['  of which starting custos', `${secs(startup)} (custos --version)`],
      ['openssl dgst -sha256', secs(best((t) => t.openssl))],
      ['cp to a fresh folder', secs(best((t) => t.cp))],
      ['sync after cp', secs(best((t) => t.sync))],
      ['baseline: openssl + cp + sync', `${secs(baseline)}  ${mbPerSecond(set.bytes, baseline)}`],
      [
        'ratio import / baseline',
        `${ratio.toFixed(2)}  (goal: at most 1.5${ratio <= 1.5 ? ', met' : ', MISSED'})`,
      ],
      ['ratio import / (openssl + cp)', (imported / best((t) => t.openssl + t.cp)).toFixed(2)],
      ...durableEachRows(runs, imported),
      ['ratio without start-up', ((imported - startup) / baseline).toFixed(2)],
      [
        'all runs (import / baseline)',
        runs.map((t) => `${secs(t.imported)} / ${secs(baselineOf(t))}`).join(', '),
      ],
      ['load average before, after', `${loadBefore}, ${loadAverage()}`],
    ],
  );
  return { imported, baseline };
}

/** The second baseline's rows: openssl + `rsync --fsync`, each file durable on its own. */
function durableEachRows(runs: readonly Timings[], imported: number): [string, string][] {
  const times = runs.map((t) => t.durableEach).filter((t): t is number => t !== null);
  if (times.length === 0) return [['baseline, each file durable', 'not measured: no rsync with --fsync']];
  const best = Math.min(...times);
  return [
    ['baseline, each file durable: openssl + rsync --fsync', secs(best)],
    ['ratio import / that baseline', (imported / best).toFixed(2)],
  ];
}

async function main(): Promise<void> {
  const base = makeBenchDir('import');
  try {
    console.log(`Import benchmark in ${base}`);
    const large = writeFiles(
      path.join(base, 'large'),
      Array.from({ length: LARGE_FILES }, () => LARGE_SIZE),
    );
    const small = writeFiles(
      path.join(base, 'small'),
      Array.from({ length: SMALL_FILES }, () => SMALL_SIZE),
    );
    await run(process.execPath, [CUSTOS_BIN, '--version']); // builds the CLI bundle if the sources changed
    const startup = (await timed(() => run(process.execPath, [CUSTOS_BIN, '--version']))).seconds;
    const bests: Best[] = [];
    for (const set of [large, small]) if (set.files.length > 0) bests.push(await measure(base, set, startup));
    if (bests.length < 2) return;
    const imported = bests.reduce((sum, b) => sum + b.imported, 0);
    const baseline = bests.reduce((sum, b) => sum + b.baseline, 0);
    printFigures('both sets', [
      ['ratio import / baseline', `${(imported / baseline).toFixed(2)}`],
      ['ratio without start-up', `${((imported - 2 * startup) / baseline).toFixed(2)}`],
    ]);
  } finally {
    removeBenchDir(base);
  }
}

await main();
