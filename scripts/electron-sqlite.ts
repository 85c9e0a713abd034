/**
 * `npm run electron:sqlite`: puts better-sqlite3 compiled for the installed Electron into
 * `native/electron-<version>-<platform>-<arch>/better_sqlite3.node`, which the app loads with
 * better-sqlite3's `nativeBinding` option (electron/main/sqlite-native.ts). `npm start` and
 * `npm run dist` run it; never postinstall, since it needs the network (a prebuilt download) or a
 * C++ toolchain and Electron's headers. Node's build in node_modules is never touched, so the CLI
 * and the tests keep working in the same checkout.
 *
 *   tsx scripts/electron-sqlite.ts [--force] [--print] [--platform P] [--arch A]
 *
 * `--print` shows the plan (the commands and the output path) as JSON and runs nothing.
 * Exit status: 0 the build is there; 2 bad usage; 3 it could not be fetched or built.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ELECTRON_SQLITE_COMMAND } from '../electron/main/sqlite-native.js';
import {
  type ElectronSqlitePlan,
  planElectronSqlite,
  prepareStaging,
  stagedAddon,
  wrongBuild,
} from './electron-sqlite-plan.js';

const repoRoot = path.resolve(import.meta.dirname, '..');

function fail(status: number, message: string): never {
  console.error(`electron:sqlite: ${message}`);
  process.exit(status);
}

/** Runs the plan's steps in order until one leaves a build for the right Electron; returns it or null. */
function fetchOrBuild(plan: ElectronSqlitePlan): string | null {
  const problems: string[] = [];
  for (const step of plan.steps) {
    console.error(`electron:sqlite: ${step.label}…`);
    const run = spawnSync(step.command, step.args, { cwd: step.cwd, env: step.env, stdio: 'inherit' });
    const built = stagedAddon(plan);
    if (run.status === 0 && fs.existsSync(built)) {
      const wrong = wrongBuild(plan, built, process.execPath);
      if (wrong === null) return built;
      problems.push(wrong);
    } else {
      problems.push(`${step.label} failed${run.error ? `: ${run.error.message}` : ''}`);
    }
    fs.rmSync(path.dirname(built), { recursive: true, force: true });
  }
  console.error(problems.map((line) => `  - ${line}`).join('\n'));
  return null;
}

/**
 * Moves the build into place whole (a crash never leaves a half-written addon for the app to
 * load), and removes builds for other Electron versions of the same platform and architecture,
 * so that a package never carries a stale one.
 */
function install(plan: ElectronSqlitePlan, built: string): void {
  const { output } = plan;
  const folder = path.dirname(output);
  const suffix = `-${plan.platform}-${plan.arch}`;
  for (const entry of fs.existsSync(path.dirname(folder)) ? fs.readdirSync(path.dirname(folder)) : []) {
    if (entry.startsWith('electron-') && entry.endsWith(suffix) && entry !== path.basename(folder)) {
      fs.rmSync(path.join(path.dirname(folder), entry), { recursive: true, force: true });
    }
  }
  fs.mkdirSync(folder, { recursive: true });
  const partial = `${output}.partial`;
  fs.copyFileSync(built, partial);
  fs.renameSync(partial, output);
}

function main(): void {
  let values: { force?: boolean; print?: boolean; platform?: string; arch?: string };
  try {
    ({ values } = parseArgs({
      options: {
        force: { type: 'boolean' },
        print: { type: 'boolean' },
        platform: { type: 'string' },
        arch: { type: 'string' },
      },
    }));
  } catch (error) {
    fail(
      2,
      `${(error as Error).message}; usage: ${ELECTRON_SQLITE_COMMAND} -- [--force] [--print] [--platform P] [--arch A]`,
    );
  }
  const plan = planElectronSqlite({
    repoRoot,
    platform: values.platform ?? process.platform,
    arch: values.arch ?? process.arch,
    env: process.env,
    staging: path.join(os.tmpdir(), `custos-electron-sqlite-${process.pid}`),
    hostPlatform: process.platform,
    nodePath: process.execPath,
  });
  if (values.print) {
    console.log(JSON.stringify(plan, (key, value) => (key === 'env' ? undefined : value), 2));
    return;
  }
  const relative = path.relative(repoRoot, plan.output);
  if (!values.force && fs.existsSync(plan.output)) {
    const wrong = wrongBuild(plan, plan.output, process.execPath);
    if (wrong === null) {
      console.error(`electron:sqlite: ${relative} is there (Electron ${plan.electronVersion})`);
      return;
    }
    console.error(`electron:sqlite: ${wrong}; getting it again`);
  }
  prepareStaging(plan);
  let built: string | null = null;
  try {
    built = fetchOrBuild(plan);
    if (built) install(plan, built);
  } finally {
    fs.rmSync(plan.staging, { recursive: true, force: true });
  }
  if (!built) {
    fail(
      3,
      `could not get better-sqlite3 for Electron ${plan.electronVersion} (${plan.platform}-${plan.arch}). ` +
        'The prebuilt download needs internet access; a build from source needs a C++ toolchain ' +
        '(Python, make and a compiler; Visual Studio Build Tools on Windows) and Electron’s headers. ' +
        `Fix what is named above and run \`${ELECTRON_SQLITE_COMMAND}\` again. The CLI (npx custos) does not need it.`,
    );
  }
  console.error(`electron:sqlite: ${relative} is ready`);
}

main();
