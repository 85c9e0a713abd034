import { CustosError, integrityFailure, operationFailure } from './errors.js';
import { DAMAGED_DATABASE_HINT, isCorruption } from './store/integrity.js';

/**
 * A failure of the disk or of SQLite's file as a CustosError with a message for a person and the
 * contract's exit status: a damaged database is an integrity failure (exit 1), a full, failing or
 * read-only disk, a permission refused or a database another program holds any other failure
 * (exit 3). `where` names the folder or file being written, when
 * the caller knows it (system errors from streams often carry no path). With `kept`, the write had
 * committed before the failure (a step after it failed), and no message says nothing was kept.
 * Anything else is undefined.
 */
export function describeSystemError(
  error: unknown,
  where?: string,
  options: { readonly kept?: boolean } = {},
): CustosError | undefined {
  if (error instanceof CustosError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const detail = error instanceof Error ? error.message : String(error);
  // The error's own path is the surest; SQLite's codes are about the store's database, not `where`.
  const place = (error as NodeJS.ErrnoException).path ?? (code.startsWith('SQLITE_') ? undefined : where);
  const on = place ? ` holding ${place}` : '';
  if (isCorruption(error))
    return integrityFailure(
      `the store's database is damaged (SQLite: ${detail})${options.kept ? '' : '; nothing was written'}. ${DAMAGED_DATABASE_HINT}`,
      { cause: error },
    );
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL')
    return operationFailure(
      `the disk${on} is full (${code})${options.kept ? '' : '; nothing was kept of this write'}. Free some space there (or choose another folder) and run the command again`,
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
    return operationFailure(
      `the store's database cannot be written (${code}): its disk is read-only, or its files' permissions do not let your user account write them. Give your account write access to the store's folder (or copy the store to a disk you can write on) and run the command again`,
      { cause: error },
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM')
    return operationFailure(
      `permission was refused${place ? ` for ${place}` : ''} (${code}): your user account may not write there. Give it write access (or choose a folder you can write in) and run the command again`,
      { cause: error },
    );
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return operationFailure(
      `the store's database is in use by another program (${code}): close any other program that has it open (another Custos, a database browser, a backup or sync tool) and run the command again`,
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
