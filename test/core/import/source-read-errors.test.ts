import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CustosError } from '../../../electron/core/errors.js';
import { importFile, sourceReadFailure } from '../../../electron/core/import/import-file.js';
import { importFiles } from '../../../electron/core/import/import-files.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { storeState } from '../../cli/store-state.js';
import { mountSmallDisk } from '../../support/small-disk.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

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

// Through the real import path: a real store, a real source file, the real blob store streaming it.
// Only the source's disk failing is made by hand (no disk fails here): the file handle Custos opens
// on the source rejects its reads after the first chunk with the EIO Node would give, and the
// kernel copy of that file (copy_file_range) fails the same way. Custos' own code is not mocked.
describe('an import whose source disk fails while the file is streamed into the store', () => {
  let temp: TempStore | undefined;
  afterEach(() => {
    vi.restoreAllMocks();
    temp?.remove();
    temp = undefined;
  });

  /** Makes every read of `source`'s bytes past its first chunk (and every kernel copy of it) fail with EIO. */
  function failSourceDisk(source: string): void {
    const eio = (syscall: string) => systemError('EIO', syscall, source);
    const open = fsPromises.open.bind(fsPromises);
    vi.spyOn(fsPromises, 'open').mockImplementation(async (file, ...rest) => {
      const handle = await open(file, ...rest);
      if (file !== source) return handle;
      const read = handle.read.bind(handle) as (...args: unknown[]) => Promise<unknown>;
      let streamed = 0;
      // Streaming reads ask for the next bytes (position null); the first chunk is served, so the
      // failure comes part way through the copy, as a disk failing mid-file does.
      Object.assign(handle, {
        read: (...args: unknown[]) =>
          args[3] === null && streamed++ > 0 ? Promise.reject(eio('read')) : read(...args),
      });
      return handle;
    });
    const copyFile = fsPromises.copyFile.bind(fsPromises);
    vi.spyOn(fsPromises, 'copyFile').mockImplementation((from, to, mode) =>
      from === source ? Promise.reject(eio('copyfile')) : copyFile(from, to, mode),
    );
  }

  const sourceMessage = (file: string) =>
    `the disk holding ${file} could not read it (EIO); copy the file off that disk (or check the device) and import the copy; nothing was imported`;

  it("(one file, as the app imports it) names the source's disk and says to import a copy, exit 3, and writes nothing", async () => {
    temp = makeTempStore({ caseNumber: 'SR-1' });
    const source = temp.writeFile('video.mp4', randomBytes(3 * 1024 * 1024)); // streamed: several chunks
    const before = storeState(temp.dir);
    failSourceDisk(source);
    const store = temp.open();
    try {
      await expect(importFile(store, 'SR-1', source)).rejects.toMatchObject({
        kind: 'failure',
        message: sourceMessage(source),
      });
    } finally {
      store.close();
    }
    expect(storeState(temp.dir)).toEqual(before); // no item, no entry, no blob, no temporary file
  });

  it("(a batch, as the custos command imports: copied in the kernel, then streamed) names the source's disk too, and writes nothing", async () => {
    temp = makeTempStore({ caseNumber: 'SR-2' });
    const source = temp.writeFile('photo.jpg', randomBytes(2 * 1024 * 1024)); // over 64 KiB: not read whole
    const before = storeState(temp.dir);
    failSourceDisk(source);
    const store = temp.open();
    try {
      const outcome = await importFiles(store, 'SR-2', [source], { blockingReads: true });
      expect(outcome.items).toEqual([]);
      expect(outcome.failures.map((f) => ({ kind: f.error.kind, message: f.error.message }))).toEqual([
        { kind: 'failure', message: sourceMessage(source) },
      ]);
    } finally {
      store.close();
    }
    expect(storeState(temp.dir)).toEqual(before);
  });

  it("a store disk that fills while the file is streamed is still worded as the store's disk (exit 3), and nothing is written", {
    timeout: 60_000,
  }, async () => {
    temp = makeTempStore({ caseNumber: 'SR-3' });
    const disk = mountSmallDisk(3 * 1024 * 1024);
    try {
      const storeDir = path.join(disk.dir, 'store');
      fs.cpSync(temp.dir, storeDir, { recursive: true });
      const source = temp.writeFile('video.mp4', randomBytes(6 * 1024 * 1024)); // larger than the disk
      const before = storeState(storeDir);
      const store = EvidenceStore.openForWriting(storeDir);
      try {
        const failure = await importFile(store, 'SR-3', source).then(
          () => expect.fail('the import should have failed'),
          (error: unknown) => error as CustosError,
        );
        expect(failure).toMatchObject({ kind: 'failure' });
        expect(failure.message).toMatch(
          new RegExp(`^the disk holding ${path.join(storeDir, 'blobs')}\\S* is full \\(ENOSPC\\)`),
        );
        expect(failure.message).not.toMatch(/could not read/);
      } finally {
        store.close();
      }
      expect(storeState(storeDir)).toEqual(before);
    } finally {
      disk.unmount();
    }
  });
});
