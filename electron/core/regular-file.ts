import type { Stats } from 'node:fs';
import { accessSync, constants, lstatSync, statSync } from 'node:fs';
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
): Promise<Stats> {
  let link: Stats;
  try {
    link = await fs.lstat(file);
  } catch (error) {
    throw missingFile(shown, consequence, error);
  }
  let stat = link;
  if (link.isSymbolicLink()) {
    try {
      stat = await fs.stat(file);
    } catch (error) {
      throw brokenLink(shown, consequence, error);
    }
  }
  refuseIrregular(stat, shown, consequence, folderHint);
  try {
    await fs.access(file, fs.constants.R_OK);
  } catch {
    throw unreadable(shown, consequence);
  }
  return stat;
}

/**
 * `requireRegularFile` without the thread pool, for batches of thousands of files (an import):
 * each check is two or three system calls of a few microseconds, where a round trip through
 * libuv's thread pool costs ten times that in this thread's time. Same refusals, same messages.
 * Without `checkReadable` there is no `access` check: for a caller that opens the file at once
 * and gives `unreadable` for a refused open.
 */
export function requireRegularFileSync(
  file: string | Buffer,
  shown: string,
  consequence: string,
  folderHint = 'give the file itself',
  checkReadable = true,
): Stats {
  let link: Stats;
  try {
    link = lstatSync(file);
  } catch (error) {
    throw missingFile(shown, consequence, error);
  }
  let stat = link;
  if (link.isSymbolicLink()) {
    try {
      stat = statSync(file);
    } catch (error) {
      throw brokenLink(shown, consequence, error);
    }
  }
  refuseIrregular(stat, shown, consequence, folderHint);
  if (!checkReadable) return stat;
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw unreadable(shown, consequence);
  }
  return stat;
}

/**
 * The refusal `requireRegularFile` gives for a file that cannot be read, for a caller that opens
 * the file itself right after a check made without `checkReadable` (the open says it as well).
 */
export function unreadable(shown: string, consequence: string) {
  return badInput(`${shown} cannot be read (permission denied); ${consequence}`);
}

function missingFile(shown: string, consequence: string, cause: unknown) {
  return badInput(`${shown}: no such file; check the path (${consequence})`, { cause });
}

/** A symbolic link that leads nowhere: to a missing file, or round in a loop of links. */
function brokenLink(shown: string, consequence: string, cause: unknown) {
  const loop = (cause as NodeJS.ErrnoException | undefined)?.code === 'ELOOP';
  return badInput(
    loop
      ? `${shown} is a symbolic link that leads round in a loop of links, to no file; give the file itself (${consequence})`
      : `${shown} is a symbolic link to a missing file; give the file it should point to (${consequence})`,
    { cause },
  );
}

/** Throws the refusal for anything a stat says is not a regular file. */
function refuseIrregular(stat: Stats, shown: string, consequence: string, folderHint: string): void {
  if (stat.isDirectory()) throw badInput(`${shown} is a folder; ${folderHint} instead (${consequence})`);
  if (stat.isFIFO()) throw badInput(`${shown} is a named pipe (FIFO), not a file; ${consequence}`);
  if (stat.isSocket()) throw badInput(`${shown} is a socket, not a file; ${consequence}`);
  if (stat.isCharacterDevice() || stat.isBlockDevice())
    throw badInput(`${shown} is a device, not a file; ${consequence}`);
  if (!stat.isFile()) throw badInput(`${shown} is not a regular file; ${consequence}`);
}
