import { CustosError, errorCode, errorSaying, failureSaying, operationFailure } from './errors.js';
import { damagedDatabaseHint, isCorruption } from './store/integrity.js';

/** Whether the failed call read or wrote, when the caller knows better than the error (an `open` says neither). */
export type FileAccess = 'read' | 'write';

/** What a refused permission means, and what to do, by what was refused ('either' when unknown). */
const PERMISSION_ADVICE: Readonly<Record<FileAccess | 'either', string>> = {
  read: 'your user account may not read it. Give it read access (or choose another file) and',
  write:
    'your user account may not write there. Give it write access (or choose a folder you can write in) and',
  either: 'your user account may not read or write it. Give it access (or choose another file or folder) and',
};

/** Node's system calls that only read (`syscall` on its errors). */
const READING_CALLS = new Set([
  'read',
  'scandir',
  'opendir',
  'stat',
  'lstat',
  'fstat',
  'readlink',
  'realpath',
  'access',
]);
/** Node's system calls that write, make or remove. */
const WRITING_CALLS = new Set([
  'write',
  'mkdir',
  'mkdtemp',
  'rename',
  'unlink',
  'rmdir',
  'rm',
  'chmod',
  'fchmod',
  'chown',
  'truncate',
  'ftruncate',
  'utime',
  'futime',
  'symlink',
  'link',
  'fsync',
  'fdatasync',
]);

/**
 * Whether a refused call read or wrote, from its `syscall`: an `open` carries no flags, so it is a
 * write only when the caller named the place being written (`where`); else, and for SQLite's
 * codes, unknown.
 */
function accessOf(error: unknown, where: string | undefined): FileAccess | 'either' {
  const call = (error as NodeJS.ErrnoException).syscall;
  if (call === undefined) return 'either';
  if (READING_CALLS.has(call)) return 'read';
  if (WRITING_CALLS.has(call)) return 'write';
  if (call === 'open' && where !== undefined) return 'write';
  return 'either';
}

/**
 * A failure of the disk or of SQLite's file as a CustosError with a message for a person and the
 * contract's exit status: a damaged database is an integrity failure (exit 1), a full, failing or
 * read-only disk, a permission refused, a database that cannot be opened or that another program
 * holds any other failure (exit 3). `where` names the folder or file being written, when
 * the caller knows it (system errors from streams often carry no path); `access` says whether the
 * failed call read or wrote when the error cannot (a refused permission is worded by it). With
 * `kept`, the write had committed before the failure (a step after it failed), and no message says
 * nothing was kept. Anything else is undefined.
 */
export function describeSystemError(
  error: unknown,
  where?: string,
  options: { readonly kept?: boolean; readonly access?: FileAccess } = {},
): CustosError | undefined {
  if (error instanceof CustosError) return error;
  const code = errorCode(error);
  if (code === undefined) return undefined;
  const detail = error instanceof Error ? error.message : String(error);
  // The error's own path is the surest; SQLite's codes are about the store's database, not `where`.
  const place = (error as NodeJS.ErrnoException).path ?? (code.startsWith('SQLITE_') ? undefined : where);
  const on = place ? ` holding ${place}` : '';
  if (isCorruption(error))
    return errorSaying(
      'integrity',
      (next) =>
        `the store's database is damaged (SQLite: ${detail})${options.kept ? '' : '; nothing was written'}. ${damagedDatabaseHint(next)}`,
      { cause: error, finding: { what: "the store's database is damaged", details: `SQLite: ${detail}` } },
    );
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL')
    return failureSaying(
      (next) =>
        `the disk${on} is full (${code})${options.kept ? '' : '; nothing was kept of this write'}. Free some space there (or choose another folder) and ${next.again}`,
      { cause: error },
    );
  if (code === 'EIO' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_'))
    return operationFailure(
      `the disk${on} failed to read or write (${code}: ${detail}); it may be failing. Check it and copy the store to a sound disk before going on`,
      { cause: error },
    );
  if (code === 'EROFS')
    return operationFailure(`the disk${on} is read-only (${code}); choose a folder you can write in`, {
      cause: error,
    });
  if (code.startsWith('SQLITE_READONLY'))
    return failureSaying(
      (next) =>
        `the store's database cannot be written (${code}): its disk is read-only, or its files' permissions do not let your user account write them. Give your account write access to the store's folder (or copy the store to a disk you can write on) and ${next.again}`,
      { cause: error },
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM')
    return failureSaying(
      (next) =>
        `permission was refused${place ? ` for ${place}` : ''} (${code}): ${PERMISSION_ADVICE[options.access ?? accessOf(error, where)]} ${next.again}`,
      { cause: error },
    );
  const busy = describeBusyDatabase(error);
  if (busy) return busy;
  if (code.startsWith('SQLITE_CANTOPEN'))
    return failureSaying(
      (next) =>
        `the store's database could not be opened (${code}: ${detail}): your user account may not read it or its folder, or the disk holding it is not reachable. Check the store folder's permissions and its disk, and ${next.again}`,
      { cause: error },
    );
  if (code === 'EPIPE')
    return operationFailure(
      `the output${place ? ` ${place}` : ''} was closed before everything was written (EPIPE)`,
      {
        cause: error,
      },
    );
  return undefined;
}

/**
 * A database another program holds busy or locked (SQLITE_BUSY, SQLITE_LOCKED) as a failure
 * (exit 3) naming what to close; `consequence` says what could not be done because of it (e.g.
 * "the backup cannot be checked against it and nothing was restored"). Its message ends with the
 * CLI's "run the command again"; `messageSaying` words that step as the window does (one message,
 * two wordings of what to do), as every failure here that says to do it again. Undefined for any other error.
 */
export function describeBusyDatabase(
  error: unknown,
  consequence?: string,
  what = "the store's database",
): CustosError | undefined {
  const code = errorCode(error);
  if (code === undefined || !(code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')))
    return undefined;
  return failureSaying(
    (next) =>
      `${what} is in use by another program (${code})${consequence ? `, so ${consequence}` : ''}: close any other program that has it open (another Custos, a database browser, a backup or sync tool) and ${next.again}`,
    { cause: error },
  );
}

/** The codes a disk or device gives when it cannot read a file (a failing disk, a phone or stick pulled out, a share gone). */
const DEVICE_READ_CODES = new Set(['EIO', 'ENXIO', 'ENODEV', 'ESTALE', 'ETIMEDOUT', 'EREMOTEIO']);

/** Whether an error is a disk's or a device's failure (see DEVICE_READ_CODES), whichever disk it was. */
export function isDeviceFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && DEVICE_READ_CODES.has(code);
}

/**
 * A read of a file given as input (an import's source, a received bundle) that its own disk or
 * device failed, as a failure (exit 3) that names that file's disk, not the store's:
 * `describeSystemError` would advise copying the store to a sound disk, though the failing disk is
 * the source's (a phone, a USB stick). `consequence` says what the failure means (e.g. "nothing
 * was imported"); `useCopy` what to do with a copy on a sound disk. Undefined for any other error.
 */
export function describeSourceReadFailure(
  error: unknown,
  source: string,
  consequence: string,
  useCopy = 'import the copy',
): CustosError | undefined {
  if (!isDeviceFailure(error)) return undefined;
  const code = (error as { code: string }).code;
  return operationFailure(
    `the disk holding ${source} could not read it (${code}); copy the file off that disk (or check the device) and ${useCopy}; ${consequence}`,
    { cause: error },
  );
}

/**
 * A device's failure (see DEVICE_READ_CODES) to read or write `copy`, the decrypted temporary copy
 * of the sealed bundle `sealed`, as a failure (exit 3) of the disk that holds the system's
 * temporary folder, where the copy lives: not of the .age file's disk, which read it whole, nor of
 * the store's. `consequence` says what the failure means. Undefined for any other error.
 */
export function describeDecryptedCopyFailure(
  error: unknown,
  copy: string,
  sealed: string,
  access: 'read' | 'write',
  consequence: string,
): CustosError | undefined {
  if (!isDeviceFailure(error)) return undefined;
  const code = (error as { code: string }).code;
  return failureSaying(
    (next) =>
      `the disk holding the system's temporary folder could not ${access} ${copy}, the decrypted copy of ${sealed} (${code}): that disk is failing, not ${sealed}'s. Check it and ${next.again}; ${consequence}`,
    { cause: error },
  );
}

/**
 * A verification's read of its file (a bundle, a WACZ) that the file's own disk failed, worded by
 * `describeSourceReadFailure` (exit 3: copy it to a sound disk and verify the copy), never as a
 * problem of the entry being read, which would read as tampering; `what` names the file's kind.
 * Undefined for any other error.
 */
export function describeVerifyReadFailure(
  error: unknown,
  file: string,
  what = 'the bundle',
): CustosError | undefined {
  return describeSourceReadFailure(
    error,
    file,
    `nothing about ${what}'s integrity was decided`,
    'verify the copy',
  );
}
