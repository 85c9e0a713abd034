import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOS_BIN } from '../support/run-custos.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

/**
 * The launcher (bin/custos.cjs) alone: a copy of it runs beside a stub custos.mjs in a temporary
 * folder. No real command stalls on demand, and a hook to make one stall would be test code in the
 * shipped CLI; what is under test is only what the launcher makes of its module's outcome, so the
 * stub stands in for the command and nothing else is replaced.
 */
describe('the custos launcher', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('custos-launcher-');
    fs.copyFileSync(CUSTOS_BIN, path.join(dir, 'custos.cjs'));
  });
  afterEach(() => removeTempDir(dir));

  /** Runs the launcher copy with this custos.mjs beside it. */
  const launch = (module: string) => {
    fs.writeFileSync(path.join(dir, 'custos.mjs'), module);
    const run = spawnSync(process.execPath, [path.join(dir, 'custos.cjs')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: run.status, stderr: run.stderr };
  };

  it('a command that stalls (its promise never settles) exits 3 and says so, never 0 ("verified")', () => {
    const run = launch('await new Promise(() => {});\n');
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('stopped before finishing');
  });

  it('a stalled command that already set a failure status keeps it', () => {
    const run = launch('process.exitCode = 1;\nawait new Promise(() => {});\n');
    expect(run.status).toBe(1);
  });

  it('a command that finishes keeps its own status, with nothing added to stderr', () => {
    expect(launch('process.exitCode = 1;\n')).toEqual({ status: 1, stderr: '' });
    expect(launch('process.exitCode = 0;\n')).toEqual({ status: 0, stderr: '' });
  });

  it('a command module that cannot load exits 3 with one line saying to reinstall', () => {
    const run = launch("throw new Error('a damaged file');\n");
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('custos: cannot start: a damaged file');
    expect(run.stderr).toContain('Reinstall Custos');
  });
});
