/**
 * `npm run electron:sqlite` (scripts/electron-sqlite.ts), checked without the network: this
 * machine cannot reach the prebuilt downloads or Electron's headers, and its npm sets `nodedir`,
 * so a real Electron build here would prove nothing. What is checked is the plan the script runs
 * (which Electron, which runtime, which flags, which folders), its refusal of a Node build, and
 * that nothing in node_modules is touched.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  buildEnvironment,
  type PlanOptions,
  planElectronSqlite,
  prepareStaging,
  wrongBuild,
} from '../../scripts/electron-sqlite-plan.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..', '..');
const modules = path.join(repo, 'node_modules');
const installedElectron = JSON.parse(fs.readFileSync(path.join(modules, 'electron', 'package.json'), 'utf8'))
  .version as string;
const nodeBuild = path.join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

function options(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    repoRoot: repo,
    platform: 'linux',
    arch: 'x64',
    env: { PATH: '/usr/bin', npm_config_nodedir: '/usr', npm_config_target: '20.19.0', HOME: '/home/ana' },
    staging: path.join(os.tmpdir(), 'custos-electron-sqlite-test'),
    hostPlatform: 'linux',
    nodePath: '/usr/bin/node',
    ...overrides,
  };
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('npm run electron:sqlite: better-sqlite3 for the installed Electron, kept apart from Node’s', () => {
  it('targets the Electron in node_modules/electron and writes native/electron-<version>-<platform>-<arch>/better_sqlite3.node', () => {
    const plan = planElectronSqlite(options());
    expect(plan.electronVersion).toBe(installedElectron);
    expect(plan.electronAbi).toBe(
      Number(fs.readFileSync(path.join(modules, 'electron', 'abi_version'), 'utf8')),
    );
    expect(plan.output).toBe(
      path.join(repo, 'native', `electron-${installedElectron}-linux-x64`, 'better_sqlite3.node'),
    );
  });

  it('first downloads better-sqlite3’s prebuilt for the Electron runtime, in a staging copy outside the project', () => {
    const [download] = planElectronSqlite(options()).steps;
    expect(download?.args).toEqual([
      path.join(modules, 'prebuild-install', 'bin.js'),
      '--runtime=electron',
      `--target=${installedElectron}`,
      '--arch=x64',
      '--platform=linux',
      '--tag-prefix=v',
      '--verbose',
    ]);
    expect(download?.command).toBe('/usr/bin/node');
    expect(download?.cwd).toBe(
      path.join(os.tmpdir(), 'custos-electron-sqlite-test', 'node_modules', 'better-sqlite3'),
    );
    expect(path.relative(repo, download?.cwd ?? repo).startsWith('..')).toBe(true);
  });

  it('then compiles against Electron’s headers with @electron/rebuild, only the staging copy, from source', () => {
    const staging = path.join(os.tmpdir(), 'custos-electron-sqlite-test');
    const compile = planElectronSqlite(options()).steps[1];
    expect(compile?.args).toEqual([
      path.join(modules, '@electron', 'rebuild', 'lib', 'cli.js'),
      `--version=${installedElectron}`,
      '--arch=x64',
      '--platform=linux',
      `--module-dir=${staging}`,
      '--only=better-sqlite3',
      '--build-from-source',
      '--force',
      '--sequential',
    ]);
    expect(compile?.cwd).toBe(staging);
  });

  it('runs every step without the npm settings that would make node-gyp build for Node (nodedir, target)', () => {
    for (const step of planElectronSqlite(options()).steps) {
      expect(step.env).toEqual({ PATH: '/usr/bin', HOME: '/home/ana' });
    }
    expect(
      buildEnvironment({
        NPM_CONFIG_NODEDIR: '/usr',
        npm_config_runtime: 'node',
        ELECTRON_REBUILD_DIST_URL: 'x',
      }),
    ).toEqual({ ELECTRON_REBUILD_DIST_URL: 'x' });
  });

  it('for another platform, only downloads (a source build cannot cross-compile)', () => {
    const plan = planElectronSqlite(options({ platform: 'win32', arch: 'arm64' }));
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]?.args).toContain('--platform=win32');
    expect(plan.steps[0]?.args).toContain('--arch=arm64');
    expect(path.basename(path.dirname(plan.output))).toBe(`electron-${installedElectron}-win32-arm64`);
  });

  it('refuses a build compiled for Node’s ABI (what an npm nodedir setting silently produces)', () => {
    const plan = planElectronSqlite(options({ platform: process.platform, arch: process.arch }));
    const wrong = wrongBuild(plan, nodeBuild, process.execPath);
    expect(wrong).toBe(
      `${nodeBuild} was compiled for module ABI ${process.versions.modules} (this is the ABI of Node, not of Electron), but Electron ${installedElectron} needs ABI ${plan.electronAbi}`,
    );
  });

  it('stages a copy of better-sqlite3 without its build, and leaves node_modules as npm made it', () => {
    const base = makeTempDir('custos-staging-');
    try {
      const before = sha256(nodeBuild);
      const plan = planElectronSqlite(options({ staging: path.join(base, 'staging') }));
      prepareStaging(plan);
      expect(fs.existsSync(path.join(plan.stagedModule, 'binding.gyp'))).toBe(true);
      expect(fs.existsSync(path.join(plan.stagedModule, 'src'))).toBe(true);
      expect(fs.existsSync(path.join(plan.stagedModule, 'build'))).toBe(false);
      expect(JSON.parse(fs.readFileSync(path.join(plan.staging, 'package.json'), 'utf8'))).toMatchObject({
        dependencies: { 'better-sqlite3': plan.betterSqliteVersion },
      });
      expect(fs.existsSync(path.join(plan.staging, 'package-lock.json'))).toBe(true);
      expect(sha256(nodeBuild)).toBe(before);
    } finally {
      removeTempDir(base);
    }
  });

  it('prints its plan with --print and runs nothing; refuses an unknown option with exit 2', async () => {
    const script = path.join(repo, 'scripts', 'electron-sqlite.ts');
    const tsx = path.join(modules, '.bin', 'tsx');
    const { stdout } = await run(tsx, [script, '--print', '--platform', 'darwin', '--arch', 'arm64'], {
      cwd: repo,
    });
    const plan = JSON.parse(stdout) as { output: string; steps: { args: string[] }[] };
    expect(plan.output).toBe(
      path.join(repo, 'native', `electron-${installedElectron}-darwin-arm64`, 'better_sqlite3.node'),
    );
    expect(plan.steps[0]?.args).toContain(`--target=${installedElectron}`);
    expect(fs.existsSync(plan.output)).toBe(false);
    const refused = await run(tsx, [script, '--verbose'], { cwd: repo }).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/usage: npm run electron:sqlite/),
    });
  });
});
