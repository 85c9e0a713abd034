import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `file` owner-only through a temporary file beside it: write, fsync, rename, fsync the
 * folder. A failure (a full disk) removes the temporary file and leaves the old `file` as it was.
 */
export function writeDurably(file: string, content: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(temporary, 'w', 0o600);
  try {
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fsyncFolder(path.dirname(file));
}

/** Removes a file and fsyncs its folder, so that the removal survives a power cut. */
export function removeDurably(file: string): void {
  fs.rmSync(file, { force: true });
  fsyncFolder(path.dirname(file));
}

/** Fsyncs a folder, making a rename or removal in it durable. */
export function fsyncFolder(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
