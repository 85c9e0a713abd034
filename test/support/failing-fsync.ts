import fs from 'node:fs';

/**
 * A blob store's `syncFile` whose first call fails as a failing disk's fsync does (EIO), and whose
 * later calls fsync for real: an fsync error cannot be caused otherwise.
 */
export function fileSyncFailingOnce(): (file: string) => Promise<void> {
  let failNext = true;
  return async (file) => {
    if (failNext) {
      failNext = false;
      throw Object.assign(new Error(`EIO: i/o error, fsync '${file}'`), { code: 'EIO', syscall: 'fsync' });
    }
    const handle = await fs.promises.open(file, 'r+');
    await handle.sync();
    await handle.close();
  };
}
