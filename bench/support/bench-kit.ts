/**
 * Small helpers shared by the benchmarks: timing, temp folders, running commands, printing figures.
 * Benchmarks print what they measured and never fail on timing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `custos` entry point, run as `npx custos` runs it. */
export const CUSTOS_BIN = path.join(REPO_ROOT, 'bin', 'custos.cjs');

/** A fresh folder for generated data; remove it with `removeBenchDir` when done. */
export function makeBenchDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `custos-bench-${name}-`));
}

/** Removes a bench folder, read-only blobs included. */
export function removeBenchDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs `work` and returns its result with the wall-clock seconds it took. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** What a finished command left behind. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to the end, stdout collected (or sent to a file descriptor such as /dev/null's),
 * and throws with its stderr when it fails: a benchmark of a failing command measures nothing.
 */
export function run(
  command: string,
  args: readonly string[],
  options: {
    readonly cwd?: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly allowFailure?: boolean;
    /** Told the process id once started (to watch the process while it runs). */
    readonly onSpawn?: (pid: number) => void;
  } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const result = {
        status,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (status !== 0 && !options.allowFailure) {
        reject(
          new Error(
            `${command} ${args.slice(0, 6).join(' ')}… exited ${status}:\n${result.stderr.slice(-2000)}`,
          ),
        );
      } else resolve(result);
    });
  });
}

/** Runs `custos --store STORE …` (with `--json` when asked) through Node, as `npx custos` does. */
export function runCustos(
  store: string,
  args: readonly string[],
  options: { readonly allowFailure?: boolean } = {},
) {
  const env = { ...process.env, CUSTOS_STORE: undefined };
  return run(process.execPath, [CUSTOS_BIN, '--store', store, ...args], {
    env,
    allowFailure: options.allowFailure,
  });
}

/** Empties the page cache where that is allowed (root on Linux), so reads come from the disk; false otherwise. */
export function dropPageCache(): boolean {
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

/** Runs `sync` so that the next timing does not pay for earlier writes still being flushed. */
export async function syncDisks(): Promise<void> {
  await run('sync', []);
}

/** Megabytes (10^6 bytes) per second. */
export function mbPerSecond(bytes: number, seconds: number): string {
  return `${(bytes / 1e6 / seconds).toFixed(1)} MB/s`;
}

/** Seconds with millisecond precision. */
export function secs(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}

/** Bytes in MB (10^6), as the figures print them. */
export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The value below which `q` (0–1) of the sorted times fall. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Millisecond timings as the benchmarks print them: "median 4.1 ms, p95 9.8 ms (20 runs)". */
export function medianAndP95(times: readonly number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  return `median ${quantile(sorted, 0.5).toFixed(1)} ms, p95 ${quantile(sorted, 0.95).toFixed(1)} ms (${sorted.length} runs)`;
}

/** Median and p95 of `runs` synchronous calls of `work`, timed one by one. */
export function timeCalls(runs: number, work: () => unknown): string {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return medianAndP95(times);
}

/** Prints a two-column table of figures. */
export function printFigures(title: string, rows: readonly (readonly [string, string])[]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/** A small deterministic random generator (0 ≤ x < 1), so that every run builds the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Prints the machine's load average (1, 5 and 15 minutes), which every figure should be read with. */
export function printLoadAverage(): void {
  console.log(
    `\nload average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on this machine`,
  );
}
