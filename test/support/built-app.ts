import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from './run-custos.js';

const run = promisify(execFile);
const OUT = path.join(REPO_ROOT, 'out');
const LOCK = path.join(OUT, '.test-build.lock');

/**
 * Builds the desktop app into out/ (`npm run build:electron`, `vite build` and `npm run
 * build:replay`) once per test run.
 * The boot and packaging tests both read out/ and may run at once in two workers: a second build
 * while the other test boots or packs the first one would swap files under it. So the build is
 * made under a lock folder (mkdir is atomic), and a stamp named after the run (the workers'
 * parent, the vitest process) tells a later caller of the same run that out/ is already built.
 */
export async function buildAppOnce(): Promise<void> {
  const stamp = path.join(OUT, `.test-build-${process.ppid}`);
  fs.mkdirSync(OUT, { recursive: true });
  await acquire();
  try {
    if (fs.existsSync(stamp)) return;
    for (const old of fs.readdirSync(OUT).filter((n) => n.startsWith('.test-build-'))) {
      fs.rmSync(path.join(OUT, old), { force: true });
    }
    await run('npm', ['run', 'build:electron'], { cwd: REPO_ROOT });
    await run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT });
    await run('npm', ['run', 'build:replay'], { cwd: REPO_ROOT });
    fs.writeFileSync(stamp, '');
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

async function acquire(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a run that was killed: older than any build takes.
      if (Date.now() - fs.statSync(LOCK).mtimeMs > 5 * 60_000)
        fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${LOCK} is held; remove it if no test run is building`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Runs the built worker thread `file` (out/electron/NAME.mjs) on `job`, as the built main bundle
 * starts it, and resolves with its one answer (null when it gave none) and its exit code.
 */
export function runBuiltWorker<Answer>(
  file: string,
  job: unknown,
): Promise<{ answer: Answer | null; code: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: job });
    let answer: Answer | null = null;
    worker.once('message', (message: Answer) => {
      answer = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => resolve({ answer, code }));
  });
}
