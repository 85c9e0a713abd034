import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, so tests run the same `bin/custos.cjs` that `npx custos` runs. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `custos` entry point. */
export const CUSTOS_BIN = path.join(REPO_ROOT, 'bin', 'custos.cjs');

/** How to run one `custos` child process. */
export interface RunCustosOptions {
  /** Passed as `--store DIR` before the command (omit to test CUSTOS_STORE or the default). */
  readonly store?: string;
  /** Adds the global `--json`. */
  readonly json?: boolean;
  /** Extra environment; CUSTOS_STORE is removed from the inherited one so a test never touches a real store. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Written to the child's stdin, which is then closed. */
  readonly input?: string | Buffer;
  /** Kills the child (SIGKILL) after this long; the result then has `signal` set. Default 60 s. */
  readonly timeoutMs?: number;
}

/** What a finished `custos` process left behind. */
export interface CustosResult {
  /** The exit status, or null when the process was killed by a signal. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The full argument list of a `custos` run: the global options first, then the command. */
export function custosArgs(
  args: readonly (string | Buffer)[],
  options: RunCustosOptions = {},
): (string | Buffer)[] {
  const globals: string[] = [];
  if (options.store !== undefined) globals.push('--store', options.store);
  if (options.json) globals.push('--json');
  return [CUSTOS_BIN, ...globals, ...args];
}

/**
 * Starts `node bin/custos.cjs …` as a child process without waiting for it (for tests that kill it,
 * or that run something else while it works). Buffer arguments carry file names that are not UTF-8.
 */
export function spawnCustos(
  args: readonly (string | Buffer)[],
  options: RunCustosOptions = {},
): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, CUSTOS_STORE: undefined, NO_COLOR: '1' };
  for (const [key, value] of Object.entries(options.env ?? {})) env[key] = value;
  // Node's spawn types take strings only, but it passes Buffers through as raw bytes.
  return spawn(process.execPath, custosArgs(args, options) as string[], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Collects a spawned `custos` process's output until it exits. */
export function waitForCustos(
  child: ChildProcess,
  options: Pick<RunCustosOptions, 'input' | 'timeoutMs'> = {},
): Promise<CustosResult> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        status,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin?.end(options.input);
  });
}

/** Runs `custos` with these arguments to the end: `{ status, signal, stdout, stderr }`. */
export function runCustos(
  args: readonly (string | Buffer)[],
  options: RunCustosOptions = {},
): Promise<CustosResult> {
  return waitForCustos(spawnCustos(args, options), options);
}

/** Runs `custos --json …` and parses its stdout; throws with stderr when the output is not JSON. */
export async function runCustosJson<T = unknown>(
  args: readonly (string | Buffer)[],
  options: RunCustosOptions = {},
): Promise<CustosResult & { readonly json: T }> {
  const result = await runCustos(args, { ...options, json: true });
  try {
    return { ...result, json: JSON.parse(result.stdout) as T };
  } catch {
    throw new Error(
      `custos ${args.join(' ')} exited ${result.status} without JSON on stdout:\n${result.stdout}\n${result.stderr}`,
    );
  }
}
