import { homedir } from 'node:os';
import path from 'node:path';

/** Where each part of a store lives inside its folder. */
export interface StoreLayout {
  readonly root: string;
  readonly database: string;
  readonly blobs: string;
  /** Temporary files of blobs being written; renamed into `blobs` once whole. */
  readonly blobTemp: string;
  readonly keys: string;
  /** Temporary folders of exports and captures (`store-temp.ts`), swept when their process is gone. */
  readonly temp: string;
  /** SQLite file whose exclusive lock marks the one process allowed to write. */
  readonly writerLock: string;
  /** Who holds the writer lock (pid, command, since), for the "store in use" message. */
  readonly writerLockInfo: string;
  /** `store.json`: the signed anchor of the store's identity and ledger head, outside the database. */
  readonly anchor: string;
  /** Present while a `custos restore` is between setting the database aside and recording the restore (restore-pending.ts). */
  readonly restorePending: string;
}

/** The layout of the store in `root`. */
export function storeLayout(root: string): StoreLayout {
  const absolute = path.resolve(root);
  return {
    root: absolute,
    database: path.join(absolute, 'custos.sqlite'),
    blobs: path.join(absolute, 'blobs'),
    blobTemp: path.join(absolute, 'blobs', 'tmp'),
    keys: path.join(absolute, 'keys'),
    temp: path.join(absolute, 'tmp'),
    writerLock: path.join(absolute, 'writer.lock'),
    writerLockInfo: path.join(absolute, 'writer.lock.json'),
    anchor: path.join(absolute, 'store.json'),
    restorePending: path.join(absolute, 'restore-pending.json'),
  };
}

/**
 * The desktop app's own store, so that the CLI and the app share one: Electron's `userData`
 * folder for an app named "Custos", plus `store/`.
 */
export function defaultStoreDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = homedir();
  let appData: string;
  if (platform === 'win32') appData = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  else if (platform === 'darwin') appData = path.join(home, 'Library', 'Application Support');
  else appData = env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  return path.join(appData, 'Custos', 'store');
}

/** The store folder chosen by `--store`, else `CUSTOS_STORE`, else the app's own. */
export function resolveStoreDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(option ?? env.CUSTOS_STORE ?? defaultStoreDir(env));
}
