import fs from 'node:fs/promises';
import { badInput } from './errors.js';

/**
 * Refuses, with a message that says why, anything but an existing, readable regular file: a
 * folder, a FIFO (reading one would wait forever for a writer, holding whatever lock the caller
 * took), a socket or a device. `shown` is the path as the user gave it, `consequence` what the
 * refusal means (e.g. "nothing was imported"), `folderHint` what to do with a folder. Returns the
 * file's stat.
 */
export async function requireRegularFile(
  file: string | Buffer,
  shown: string,
  consequence: string,
  folderHint = 'give the file itself',
) {
  let link: Awaited<ReturnType<typeof fs.lstat>>;
  try {
    link = await fs.lstat(file);
  } catch (error) {
    throw badInput(`${shown}: no such file; check the path (${consequence})`, { cause: error });
  }
  let stat = link;
  if (link.isSymbolicLink()) {
    try {
      stat = await fs.stat(file);
    } catch {
      throw badInput(
        `${shown} is a symbolic link to a missing file; give the file it should point to (${consequence})`,
      );
    }
  }
  if (stat.isDirectory()) throw badInput(`${shown} is a folder; ${folderHint} instead (${consequence})`);
  if (stat.isFIFO()) throw badInput(`${shown} is a named pipe (FIFO), not a file; ${consequence}`);
  if (stat.isSocket()) throw badInput(`${shown} is a socket, not a file; ${consequence}`);
  if (stat.isCharacterDevice() || stat.isBlockDevice())
    throw badInput(`${shown} is a device, not a file; ${consequence}`);
  if (!stat.isFile()) throw badInput(`${shown} is not a regular file; ${consequence}`);
  try {
    await fs.access(file, fs.constants.R_OK);
  } catch {
    throw badInput(`${shown} cannot be read (permission denied); ${consequence}`);
  }
  return stat;
}
