import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './run-custos.js';

/** A child process holding a store's writer lock (as another Custos command would) or its database's lock. */
export interface WriterLockHolder {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Kills the holder with SIGKILL (no chance to clean up) and waits until it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts a process that opens the store in `dir` for writing and holds the lock until killed;
 * resolves once it holds it. With `midTransaction` it also keeps an uncommitted write open; with
 * `lockOnly` it takes the lock and opens nothing (so settles no interrupted restore).
 */
export function holdWriterLock(
  dir: string,
  options: { readonly midTransaction?: boolean; readonly lockOnly?: boolean } = {},
): Promise<WriterLockHolder> {
  const mode = options.midTransaction ? ['--mid-transaction'] : options.lockOnly ? ['--lock-only'] : [];
  return startHolder('hold-writer-lock.ts', [dir, ...mode]);
}

/**
 * Starts a process that holds an exclusive SQLite lock on the store's database (no Custos code: a
 * database browser, a backup tool) until killed; resolves once it holds it.
 */
export function holdDatabaseLock(dir: string): Promise<WriterLockHolder> {
  return startHolder('hold-database-lock.ts', [dir]);
}

/** Runs a holder script of test/support and resolves once it prints "holding". */
function startHolder(scriptName: string, scriptArgs: readonly string[]): Promise<WriterLockHolder> {
  const script = path.join(REPO_ROOT, 'test', 'support', scriptName);
  const args = ['--import', 'tsx', script, ...scriptArgs];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('holding\n') && child.pid !== undefined) {
        resolve({
          pid: child.pid,
          child,
          kill: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`${scriptName} exited (${code ?? signal}) before holding its lock:\n${stderr}`)),
    );
  });
}
