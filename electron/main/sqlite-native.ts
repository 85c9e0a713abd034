/**
 * Where the desktop app finds better-sqlite3 compiled for Electron. better-sqlite3 is a native
 * addon tied to one ABI: the build npm makes in node_modules is for Node (the CLI and the tests
 * use it), and Electron needs its own. `npm start` and `npm run dist` fetch or build that one
 * (scripts/electron-sqlite.ts) into `native/electron-<version>-<platform>-<arch>/`, and the
 * shell loads it with better-sqlite3's `nativeBinding` option, so neither build ever overwrites
 * the other. sharp, the other native module, uses Node-API (its binding.gyp sets NAPI_VERSION),
 * which is the same for Node and Electron: it needs no build of its own.
 * No Electron import: the choice below is tested on plain Node.
 */
import path from 'node:path';

/** The folder of the project (or of the packaged app) that holds the Electron builds. */
export const NATIVE_DIR = 'native';

/** The addon's file name, as better-sqlite3 builds it. */
export const SQLITE_ADDON = 'better_sqlite3.node';

/** The command that fetches or builds the Electron build (`npm start` and `npm run dist` run it). */
export const ELECTRON_SQLITE_COMMAND = 'npm run electron:sqlite';

/** The folder of one Electron build: `electron-41.7.1-linux-x64`. */
export function electronBuildFolder(electronVersion: string, platform: string, arch: string): string {
  return `electron-${electronVersion}-${platform}-${arch}`;
}

/**
 * The Electron build's path under `appRoot`. Inside a packaged app, `appRoot` is the asar
 * archive, and native files are unpacked beside it (electron-builder.yml, asarUnpack): the path
 * names the unpacked copy, which the operating system can load.
 */
export function electronSqlitePath(
  appRoot: string,
  electronVersion: string,
  platform: string,
  arch: string,
): string {
  const root = path.basename(appRoot) === 'app.asar' ? `${appRoot}.unpacked` : appRoot;
  return path.join(root, NATIVE_DIR, electronBuildFolder(electronVersion, platform, arch), SQLITE_ADDON);
}

/** What the running process needs to open a store. */
export type SqliteBindingChoice =
  /** Plain Node: better-sqlite3's own build in node_modules, untouched. */
  | { readonly kind: 'node' }
  /** Electron, and its build is there: load it with `nativeBinding`. */
  | { readonly kind: 'electron'; readonly file: string }
  /** Electron without its build: the store cannot open; the message says what to do. */
  | { readonly kind: 'missing'; readonly file: string; readonly message: string };

/** What the choice looks at (the real process's values in the app; any in the tests). */
export interface SqliteBindingContext {
  readonly versions: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
  readonly arch: string;
  /** The app's root: the project folder in a checkout, `…/resources/app.asar` when packaged. */
  readonly appRoot: string;
  readonly packaged: boolean;
  readonly exists: (file: string) => boolean;
}

/** Chooses the better-sqlite3 build for this process: Node's own, or Electron's from `native/`. */
export function chooseSqliteBinding(context: SqliteBindingContext): SqliteBindingChoice {
  const electron = context.versions.electron;
  if (!electron) return { kind: 'node' };
  const file = electronSqlitePath(context.appRoot, electron, context.platform, context.arch);
  if (context.exists(file)) return { kind: 'electron', file };
  const what = `better-sqlite3 has no build for Electron ${electron} (${context.platform}-${context.arch}): ${file} is missing`;
  const fix = context.packaged
    ? 'this installation of Custos is incomplete; install it again from a complete installer'
    : `run \`${ELECTRON_SQLITE_COMMAND}\` in the project folder (\`npm start\` runs it), then start the app again`;
  return { kind: 'missing', file, message: `${what}; ${fix}` };
}
