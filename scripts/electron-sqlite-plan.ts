/**
 * How scripts/electron-sqlite.ts gets better-sqlite3 for the installed Electron, as data: the
 * commands it runs and where the result goes. Kept apart from running them, so the tests check the
 * command lines without the network. Every step works on a copy of better-sqlite3 in a staging
 * folder outside the project: nothing in node_modules is rebuilt, so Node's build (the CLI's and
 * the tests') stays as npm made it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { electronBuildFolder, NATIVE_DIR, SQLITE_ADDON } from '../electron/main/sqlite-native.js';

/** One command of the plan. */
export interface PlanStep {
  /** What it does, for the console. */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<NodeJS.ProcessEnv>;
}

/** Everything the script needs to know before it runs anything. */
export interface ElectronSqlitePlan {
  /** The Electron version in node_modules/electron, which `npm start` runs and `npm run dist` packs. */
  readonly electronVersion: string;
  /** The module ABI of that Electron (node_modules/electron/abi_version), which the build must have. */
  readonly electronAbi: number;
  readonly platform: string;
  readonly arch: string;
  /** Where the Electron build goes: `native/electron-<version>-<platform>-<arch>/better_sqlite3.node`. */
  readonly output: string;
  /** The staging folder, outside the project, that holds the copy of better-sqlite3. */
  readonly staging: string;
  /** The copy's own folder, where each step leaves `build/Release/better_sqlite3.node`. */
  readonly stagedModule: string;
  /** better-sqlite3's folder in node_modules (copied, never written). */
  readonly sourceModule: string;
  readonly betterSqliteVersion: string;
  /** The ways to get the build, tried in order until one leaves the addon in the staged module. */
  readonly steps: readonly PlanStep[];
}

/** What the plan depends on (the real values in the script; others in the tests). */
export interface PlanOptions {
  readonly repoRoot: string;
  readonly platform: string;
  readonly arch: string;
  readonly env: Readonly<NodeJS.ProcessEnv>;
  readonly staging: string;
  /** The platform this machine is: a source build cannot cross-compile. */
  readonly hostPlatform: string;
  /** The Node that runs the tools. */
  readonly nodePath: string;
}

// npm passes its configuration to scripts as npm_config_* variables. These would redirect
// node-gyp or prebuild-install to Node's headers or another runtime (an npm `nodedir` setting
// makes node-gyp build for Node, silently), so the steps run without them.
const REDIRECTING_NPM_CONFIG = /^npm_config_(nodedir|target|runtime|arch|platform|disturl|dist_url)$/i;

/** `env` without the npm settings that would make a build target something other than Electron. */
export function buildEnvironment(env: Readonly<NodeJS.ProcessEnv>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !REDIRECTING_NPM_CONFIG.test(name)));
}

/** A package's folder as Node would find it from `from`: the nearest node_modules that has it. */
export function packageDir(name: string, from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed; run \`npm ci\` first`);
  }
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The plan for this checkout and target. */
export function planElectronSqlite(options: PlanOptions): ElectronSqlitePlan {
  const electronDir = packageDir('electron', options.repoRoot);
  const electronVersion = String(readJson(path.join(electronDir, 'package.json')).version);
  const electronAbi = Number(fs.readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim());
  const sourceModule = packageDir('better-sqlite3', options.repoRoot);
  const betterSqliteVersion = String(readJson(path.join(sourceModule, 'package.json')).version);
  const stagedModule = path.join(options.staging, 'node_modules', 'better-sqlite3');
  const env = buildEnvironment(options.env);
  const target = [`--arch=${options.arch}`, `--platform=${options.platform}`];
  const steps: PlanStep[] = [
    {
      // better-sqlite3's own way: the prebuilt addon its maintainers publish for each Electron ABI.
      label: `download the prebuilt better-sqlite3 ${betterSqliteVersion} for Electron ${electronVersion}`,
      command: options.nodePath,
      args: [
        path.join(packageDir('prebuild-install', sourceModule), 'bin.js'),
        '--runtime=electron',
        `--target=${electronVersion}`,
        ...target,
        '--tag-prefix=v',
        '--verbose',
      ],
      cwd: stagedModule,
      env,
    },
  ];
  if (options.platform === options.hostPlatform) {
    steps.push({
      // Where no prebuilt exists: compile against Electron's headers with @electron/rebuild (the
      // tool electron-builder uses; it knows where the headers are published, and
      // ELECTRON_REBUILD_DIST_URL points it at a mirror). It rebuilds only the staging folder's
      // copy: its package.json and empty lockfile make the staging folder the project it searches.
      label: `compile better-sqlite3 ${betterSqliteVersion} against Electron ${electronVersion}'s headers`,
      command: options.nodePath,
      args: [
        path.join(packageDir('@electron/rebuild', options.repoRoot), 'lib', 'cli.js'),
        `--version=${electronVersion}`,
        ...target,
        `--module-dir=${options.staging}`,
        '--only=better-sqlite3',
        '--build-from-source',
        '--force',
        '--sequential',
      ],
      cwd: options.staging,
      env,
    });
  }
  return {
    electronVersion,
    electronAbi,
    platform: options.platform,
    arch: options.arch,
    output: path.join(
      options.repoRoot,
      NATIVE_DIR,
      electronBuildFolder(electronVersion, options.platform, options.arch),
      SQLITE_ADDON,
    ),
    staging: options.staging,
    stagedModule,
    sourceModule,
    betterSqliteVersion,
    steps,
  };
}

/** The file every step leaves in the staged module. */
export function stagedAddon(plan: ElectronSqlitePlan): string {
  return path.join(plan.stagedModule, 'build', 'Release', SQLITE_ADDON);
}

/**
 * Makes the staging folder: a copy of better-sqlite3 without its build, under a package.json that
 * depends on it and an empty lockfile (so @electron/rebuild takes this folder as the project and
 * never looks at the real node_modules).
 */
export function prepareStaging(plan: ElectronSqlitePlan): void {
  fs.rmSync(plan.staging, { recursive: true, force: true });
  fs.mkdirSync(plan.stagedModule, { recursive: true });
  fs.cpSync(plan.sourceModule, plan.stagedModule, {
    recursive: true,
    filter: (source) => path.relative(plan.sourceModule, source).split(path.sep)[0] !== 'build',
  });
  const name = 'custos-electron-sqlite-staging';
  fs.writeFileSync(
    path.join(plan.staging, 'package.json'),
    JSON.stringify({ name, private: true, dependencies: { 'better-sqlite3': plan.betterSqliteVersion } }),
  );
  fs.writeFileSync(
    path.join(plan.staging, 'package-lock.json'),
    JSON.stringify({ name, lockfileVersion: 3, packages: {} }),
  );
}

/** The module ABI an addon was compiled for, as this machine's Node reports it; null when it cannot tell. */
export function addonAbi(file: string, nodePath: string): number | null {
  const probe = spawnSync(nodePath, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', file], {
    encoding: 'utf8',
  });
  // It loads in Node: it was compiled for Node's own ABI.
  if (probe.status === 0) return Number(process.versions.modules);
  const compiled = /NODE_MODULE_VERSION (\d+)/.exec(probe.stderr);
  return compiled ? Number(compiled[1]) : null;
}

/**
 * Whether `file` is a build for the plan's Electron: null when it is, else what is wrong. Only
 * checked for this machine's own platform and architecture (another's cannot be loaded here).
 */
export function wrongBuild(plan: ElectronSqlitePlan, file: string, nodePath: string): string | null {
  if (plan.platform !== process.platform || plan.arch !== process.arch) return null;
  const abi = addonAbi(file, nodePath);
  if (abi === null || abi === plan.electronAbi) return null;
  const forNode =
    abi === Number(process.versions.modules) ? ' (this is the ABI of Node, not of Electron)' : '';
  return `${file} was compiled for module ABI ${abi}${forNode}, but Electron ${plan.electronVersion} needs ABI ${plan.electronAbi}`;
}
