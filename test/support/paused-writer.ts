import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type CustosResult, custosArgs, REPO_ROOT, spawnCustos, waitForCustos } from './run-custos.js';

const PAUSE_PRELOAD = path.join(REPO_ROOT, 'test', 'support', 'pause-settle-at.mjs');

/** A spawned `custos` process: its result once it exits, and its stderr so far. */
export interface Started {
  readonly child: ChildProcess;
  readonly result: Promise<CustosResult>;
  stderr(): string;
}

/**
 * Follows a spawned `custos` process's stderr and its end (or, `from` stdout, the terminal `script`
 * gives it: its stdout and stderr together, as a person at the console sees them); `timeoutMs` as
 * `waitForCustos` takes it.
 */
export function started(
  child: ChildProcess,
  from: 'stderr' | 'stdout' = 'stderr',
  wait: { readonly timeoutMs?: number } = {},
): Started {
  let stderr = '';
  child[from]?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, result: waitForCustos(child, wait), stderr: () => stderr };
}

/** Resolves once `pattern` is on the process's stderr, or once it has exited (whichever is first). */
export function untilSaidOrExited(run: Started, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const look = () => {
      if (pattern.test(run.stderr())) resolve();
    };
    run.child.stderr?.on('data', look);
    run.child.stdout?.on('data', look);
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

/**
 * Starts `custos ARGS` on `storeDir`, stopping at each of `steps` until resumed; `resumeBase` names
 * the resume files. With `terminal`, it runs on a pseudo-terminal (util-linux `script`), its
 * stdout and stderr both the terminal's, which `stderr()` and the result's stdout give.
 */
export function pausedWriter(
  storeDir: string,
  args: readonly string[],
  steps: readonly string[],
  resumeBase: string,
  options: { readonly terminal?: boolean } = {},
): PausedWriter {
  const env = {
    CUSTOS_TEST_PAUSE_AT: steps.join(','),
    CUSTOS_TEST_RESUME_FILE: resumeBase,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PAUSE_PRELOAD}`.trim(),
  };
  const run = options.terminal
    ? started(
        onTerminal([process.execPath, ...(custosArgs(args, { store: storeDir }) as string[])], env),
        'stdout',
      )
    : started(spawnCustos(args, { store: storeDir, env }));
  const paused = (step: string) => new RegExp(`paused at ${step}\r?\n`);
  return {
    ...run,
    untilPaused: async (step) => {
      await untilSaidOrExited(run, paused(step));
      if (!paused(step).test(run.stderr()))
        throw new Error(`the writer exited before it reached ${step}:\n${run.stderr()}`);
    },
    resume: (step) => fs.writeFileSync(`${resumeBase}.${step}`, ''),
  };
}

/** Runs `command` on a pseudo-terminal (`script -qec`), its exit status the command's. */
function onTerminal(command: readonly string[], env: Readonly<Record<string, string>>): ChildProcess {
  const quoted = command.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  return spawn('script', ['-qec', quoted, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CUSTOS_STORE: undefined, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
