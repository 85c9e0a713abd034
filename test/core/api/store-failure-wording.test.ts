/**
 * The window's words for what to do after a store failure: every message `describeSystemError`
 * and the blob store build says the CLI's "run the command again" on the command line and, through
 * the app's API, "try again" (the window's box has a Try again button and no command line), or
 * "restart Custos" after a failed fsync (nothing more is stored in that process).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import { BlobStore, fsyncDir } from '../../../electron/core/store/blob-store.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import type { ApiResult } from '../../../shared/api.js';
import { apiForStore } from '../../support/api-for-store.js';
import { fileSyncFailingOnce } from '../../support/failing-fsync.js';
import { REPO_ROOT } from '../../support/run-custos.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/**
 * Calls the API's `method` in a child process as an account that file modes can refuse: the suite
 * runs as root, whom no mode refuses, so as `nobody` through `setpriv` (as the suite's own user
 * otherwise, the store's folder then made unreadable by its mode).
 */
function callAsOtherUser(storeDir: string, method: string): ApiResult<unknown> {
  const node = [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'test/support/api-call-child.ts')];
  const args = [...node, storeDir, method, '{}'];
  const asRoot = process.getuid?.() === 0;
  const [command, ...rest] = asRoot
    ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...args]
    : args;
  const child = spawnSync(command!, rest, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, HOME: path.dirname(storeDir) },
  });
  if (child.status !== 0) throw new Error(`the API's child process failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ApiResult<unknown>;
}

describe("the app's API words a store failure's next step as the window does", () => {
  let temp: TempStore;
  let api: ApiService | undefined;
  afterEach(() => {
    api?.close();
    api = undefined;
    temp?.remove();
  });

  it('a store folder the account may not read: getProfile says to give access and try again, never to run a command', async () => {
    temp = makeTempStore();
    fs.chmodSync(temp.base, 0o755); // the store's own folder, 0700 and another account's, refuses it
    if (process.getuid?.() !== 0) fs.chmodSync(temp.dir, 0o000);
    const result = callAsOtherUser(temp.dir, 'getProfile');
    fs.chmodSync(temp.dir, 0o700);
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toMatch(/permission was refused .*\(EACCES\): .*and try again$/);
    expect(message).not.toMatch(/command/);
  });

  it('after an fsync of the store failed in this process, a write says to restart Custos, not to run a command', async () => {
    temp = makeTempStore({ caseNumber: 'FS-1' });
    const layout = storeLayout(temp.dir);
    // The app's own blob store met the failed fsync earlier in the session (kept per store folder).
    const failing = new BlobStore(layout.blobs, layout.blobTemp, fsyncDir, fileSyncFailingOnce());
    await expect(failing.putBuffer(Buffer.from('first write'))).rejects.toThrow(/EIO/);
    api = apiForStore(temp);
    const result = await api.call('importFiles', {
      caseRef: 'FS-1',
      paths: [temp.writeFile('files/note.txt', 'evidence\n')],
    });
    const said = JSON.stringify(result);
    expect(said).toMatch(/failed earlier in this session.*then restart Custos/);
    expect(said).not.toMatch(/command/);
  });
});
