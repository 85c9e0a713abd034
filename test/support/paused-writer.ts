import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type CustosResult, REPO_ROOT, spawnCustos, waitForCustos } from './run-custos.js';

const PAUSE_PRELOAD = path.join(REPO_ROOT, 'test', 'support', 'pause-settle-at.mjs');

/** A spawned `custos` process: its result once it exits, and its stderr so far. */
export interface Started {
  readonly child: ChildProcess;
  readonly result: Promise<CustosResult>;
  stderr(): string;
}

/** Follows a spawned `custos` process's stderr and its end. */
export function started(child: ChildProcess): Started {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, result: waitForCustos(child), stderr: () => stderr };
}

/** Resolves once `pattern` is on the process's stderr, or once it has exited (whichever is first). */
export function untilSaidOrExited(run: Started, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const look = () => {
      if (pattern.test(run.stderr())) resolve();
    };
    run.child.stderr?.on('data', look);
    look();
    void run.result.then(() => resolve());
  });
}

/** A writing `custos` process that stops at steps of its settle (test/support/pause-settle-at.mjs). */
export interface PausedWriter extends Started {
  /** Resolves once it has stopped at `step`; throws when it exited first. */
  untilPaused(step: string): Promise<void>;
  /** Lets it go on from `step`. */
  resume(step: string): void;
}

/** Starts `custos ARGS` on `storeDir`, stopping at each of `steps` until resumed; `resumeBase` names the resume files. */
export function pausedWriter(
  storeDir: string,
  args: readonly string[],
  steps: readonly string[],
  resumeBase: string,
): PausedWriter {
  const run = started(
    spawnCustos(args, {
      store: storeDir,
      env: {
        CUSTOS_TEST_PAUSE_AT: steps.join(','),
        CUSTOS_TEST_RESUME_FILE: resumeBase,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PAUSE_PRELOAD}`.trim(),
      },
    }),
  );
  return {
    ...run,
    untilPaused: async (step) => {
      await untilSaidOrExited(run, new RegExp(`paused at ${step}\n`));
      if (!run.stderr().includes(`paused at ${step}\n`))
        throw new Error(`the writer exited before it reached ${step}:\n${run.stderr()}`);
    },
    resume: (step) => fs.writeFileSync(`${resumeBase}.${step}`, ''),
  };
}
