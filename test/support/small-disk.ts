import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { makeTempDir, removeTempDir } from './temp-store.js';

/** A real, small file system mounted on a temp folder: writing past its size fails with ENOSPC. */
export interface SmallDisk {
  /** The mounted folder. */
  readonly dir: string;
  /** Unmounts it and removes the mount point (call in afterAll). */
  unmount(): void;
}

/**
 * Mounts a tmpfs of `bytes` on a fresh temp folder, as a nearly full USB stick or output disk
 * would be; needs root, which the tests have on the development machines. A real file system,
 * so a full disk is the kernel's own ENOSPC, not a stand-in.
 */
export function mountSmallDisk(bytes: number): SmallDisk {
  const dir = makeTempDir('custos-small-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    removeTempDir(dir);
    throw new Error(
      `cannot mount a small tmpfs for the full-disk test (it needs root): ${(error as Error).message}`,
    );
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      fs.rmdirSync(dir);
    },
  };
}

/** Fills a disk to the last byte with one file, so the next write fails with ENOSPC. */
export function fillDisk(dir: string, name = 'filler.bin'): void {
  const handle = fs.openSync(`${dir}/${name}`, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0xaa);
  try {
    for (;;) {
      try {
        fs.writeSync(handle, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        // The last bytes: smaller writes until not even one fits.
        for (let size = chunk.length / 2; size >= 1; size = Math.floor(size / 2)) {
          try {
            while (true) fs.writeSync(handle, chunk, 0, size);
          } catch (inner) {
            if ((inner as NodeJS.ErrnoException).code !== 'ENOSPC') throw inner;
          }
        }
        return;
      }
    }
  } finally {
    fs.closeSync(handle);
  }
}
