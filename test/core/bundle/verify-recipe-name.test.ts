/**
 * VERIFY.txt names the bundle file in its commands: whatever name the exporter chose, the recipe's
 * lines must stay whole bash commands that name that one file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyText } from '../../../electron/core/bundle/verify-instructions.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

const SIGNER = 'ab'.repeat(32);

let dir: string | undefined;
afterEach(() => {
  if (dir) removeTempDir(dir);
  dir = undefined;
});

/**
 * Runs VERIFY.txt's Custos line (the one naming the bundle) in bash from `<dir>/bundle`, with the
 * bundle beside that folder and a stand-in `custos` that writes down the arguments it was given.
 */
function runCustosLine(bundleName: string): { status: number | null; args: string[]; stderr: string } {
  dir = makeTempDir();
  const folder = path.join(dir, 'bundle');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(folder);
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(dir, bundleName), 'zip');
  const argsFile = path.join(dir, 'args');
  fs.writeFileSync(
    path.join(bin, 'custos'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${argsFile}'\n`,
    { mode: 0o755 },
  );
  const line = verifyText(bundleName, SIGNER)
    .split('\n')
    .find((l) => l.startsWith('$ ') && l.includes('custos verify'))!
    .slice(2);
  const run = spawnSync('bash', ['-e', '-c', `verify_failed=0\n${line}`], {
    cwd: folder,
    env: { PATH: `${bin}:${process.env.PATH}`, EXPECTED_SIGNER: SIGNER },
    encoding: 'utf8',
  });
  const args = fs.existsSync(argsFile) ? fs.readFileSync(argsFile, 'utf8').split('\n').slice(0, -1) : [];
  return { status: run.status, args, stderr: run.stderr };
}

describe("VERIFY.txt's commands and the bundle's file name", () => {
  it('run custos verify on a bundle named with spaces, brackets and a quote (an intact bundle must not fail the recipe)', () => {
    const name = "Case 12 (final) it's.zip";
    const run = runCustosLine(name);
    expect(run.status).toBe(0);
    expect(run.args).toEqual(['verify', `../${name}`, '--expect-signer', SIGNER]);
  });

  it('never run a command written into the file name', () => {
    const name = 'BE-1 $(touch pwned) `touch pwned2`.zip';
    const run = runCustosLine(name);
    expect(run.status).toBe(0);
    expect(run.args).toEqual(['verify', `../${name}`, '--expect-signer', SIGNER]);
    expect(fs.readdirSync(path.join(dir!, 'bundle'))).toEqual([]);
  });

  it('leave a plain name as it is', () => {
    expect(verifyText('BE-2026-0142.zip', SIGNER)).toContain(
      '[ -f ../BE-2026-0142.zip ]; then custos verify ../BE-2026-0142.zip --expect-signer',
    );
    expect(runCustosLine('BE-2026-0142.zip').args).toEqual([
      'verify',
      '../BE-2026-0142.zip',
      '--expect-signer',
      SIGNER,
    ]);
  });
});
