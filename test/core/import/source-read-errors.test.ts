import { describe, expect, it } from 'vitest';
import { CustosError } from '../../../electron/core/errors.js';
import { sourceReadFailure } from '../../../electron/core/import/import-file.js';

// A source whose own disk fails (a phone, a USB stick) cannot be made to fail here (the tests run
// as root on a sound disk), so the system's errors are built by hand, as Node gives them.
function systemError(code: string, syscall: string, file = '/media/stick/chat.mp4'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: i/o error, ${syscall} '${file}'`), {
    code,
    syscall,
    path: file,
    errno: -5,
  });
}

describe('an import whose source cannot be read from its own disk', () => {
  it.each([
    ['EIO', 'read'],
    ['EIO', 'open'],
    ['ENXIO', 'open'],
    ['ETIMEDOUT', 'read'],
  ])(
    "(%s on %s) names the source's disk and says to import a copy, never to copy the store (exit 3)",
    (code, syscall) => {
      const failure = sourceReadFailure(systemError(code, syscall), '/media/stick/chat.mp4');
      expect(failure).toBeInstanceOf(CustosError);
      expect(failure).toMatchObject({ kind: 'failure' }); // exit 3: neither bad input nor an integrity failure
      const message = (failure as CustosError).message;
      expect(message).toBe(
        `the disk holding /media/stick/chat.mp4 could not read it (${code}); copy the file off that disk (or check the device) and import the copy; nothing was imported`,
      );
      // Before, an EIO of the source advised copying the store, whose disk was sound.
      expect(message).not.toMatch(/store/);
    },
  );

  it("a refused permission is still the check's refusal (exit 2), and a full store disk still the store's", () => {
    expect(sourceReadFailure(systemError('EACCES', 'open'), 'chat.mp4')).toMatchObject({
      kind: 'bad-input',
      message: 'chat.mp4 cannot be read (permission denied); nothing was imported',
    });
    expect(
      (sourceReadFailure(systemError('ENOSPC', 'write', '/store/tmp/x'), 'chat.mp4') as Error).message,
    ).toMatch(/^the disk holding \/store\/tmp\/x is full \(ENOSPC\)/);
  });
});
