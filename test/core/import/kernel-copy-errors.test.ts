import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importFiles } from '../../../electron/core/import/import-files.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { storeState } from '../../cli/store-state.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

// The custos command copies files of 64 KiB to 64 MiB into the store inside the kernel
// (copy_file_range). Node names the source in every error of that copy, whichever side failed, so
// the store's own failures were once worded against the officer's file, which had already been
// opened and read. A copy that fails is streamed instead, whose reads and writes tell the sides apart.

let temp: TempStore | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  temp?.remove();
  temp = undefined;
});

/** A store with case KC-1 and a 2 MiB source file beside it (over 64 KiB: copied in the kernel). */
function storeAndSource(): { dir: string; source: string } {
  temp = makeTempStore({ caseNumber: 'KC-1' });
  return { dir: temp.dir, source: temp.writeFile('photo.jpg', randomBytes(2 * 1024 * 1024)) };
}

describe("an import the store's side of the kernel copy fails", () => {
  it("a store folder that refuses new files (EPERM) is named, not the officer's source, exit 3, and nothing is written", async () => {
    const { dir, source } = storeAndSource();
    // A real refusal by the kernel: the store's temporary folder made immutable (root, as the tests
    // run, is refused too), as a folder whose permissions were changed would refuse another user.
    const tempFolder = path.join(storeLayout(dir).blobs, 'tmp');
    fs.mkdirSync(tempFolder, { recursive: true });
    const before = storeState(dir);
    execFileSync('chattr', ['+i', tempFolder]);
    let outcome: Awaited<ReturnType<typeof importFiles>>;
    const store = temp?.open();
    try {
      outcome = await importFiles(store as NonNullable<typeof store>, 'KC-1', [source], {
        blockingReads: true,
      });
    } finally {
      store?.close();
      execFileSync('chattr', ['-i', tempFolder]);
    }
    expect(outcome.items).toEqual([]);
    expect(outcome.failures).toHaveLength(1);
    const failure = outcome.failures[0]?.error;
    expect(failure?.kind).toBe('failure');
    expect(failure?.message).toMatch(
      new RegExp(`^permission was refused for ${tempFolder}/[^ ]+\\.tmp \\(EPERM\\)`),
    );
    expect(failure?.message).not.toContain(source);
    expect(storeState(dir)).toEqual(before);
  });

  it("a device error of the kernel copy, when the source then streams whole, is the store's disk failing (exit 3), never a silent success", async () => {
    const { dir, source } = storeAndSource();
    const before = storeState(dir);
    // Made by hand at the copy's boundary (no disk fails here): the kernel copy writes its bytes,
    // then reports EIO as Node gives a copyfile error, naming the source. The stream that follows
    // reads the real source and writes the real store.
    const copyFile = fsPromises.copyFile.bind(fsPromises);
    vi.spyOn(fsPromises, 'copyFile').mockImplementation(async (from, to, mode) => {
      await copyFile(from, to, mode);
      throw Object.assign(new Error(`EIO: i/o error, copyfile '${from}' -> '${to}'`), {
        code: 'EIO',
        errno: -5,
        syscall: 'copyfile',
        path: String(from),
        dest: String(to),
      });
    });
    const store = temp?.open();
    let outcome: Awaited<ReturnType<typeof importFiles>>;
    try {
      outcome = await importFiles(store as NonNullable<typeof store>, 'KC-1', [source], {
        blockingReads: true,
      });
    } finally {
      store?.close();
    }
    expect(outcome.items).toEqual([]);
    expect(outcome.failures.map((f) => f.error.kind)).toEqual(['failure']);
    expect(outcome.failures[0]?.error.message).toMatch(
      new RegExp(
        `^the disk holding ${storeLayout(dir).blobs} failed to read or write \\(EIO: .*\\); it may be failing\\. Check it and copy the store to a sound disk`,
      ),
    );
    expect(storeState(dir)).toEqual(before); // no item, no entry, no blob, no temporary file
  });

  it('any other refusal of the kernel copy falls back to streaming, and the file is stored byte for byte', async () => {
    const { dir, source } = storeAndSource();
    // By hand at the copy's boundary: a file system whose copy_file_range refuses (EXDEV, as some
    // network file systems answer); nothing about either side's disk.
    vi.spyOn(fsPromises, 'copyFile').mockRejectedValue(
      Object.assign(new Error(`EXDEV: cross-device link not permitted, copyfile '${source}'`), {
        code: 'EXDEV',
        syscall: 'copyfile',
        path: source,
      }),
    );
    const store = temp?.open();
    try {
      const outcome = await importFiles(store as NonNullable<typeof store>, 'KC-1', [source], {
        blockingReads: true,
      });
      expect(outcome.failures).toEqual([]);
      expect(outcome.items).toHaveLength(1);
    } finally {
      store?.close();
    }
    const blobs = storeState(dir).blobFiles;
    expect(blobs).toHaveLength(1);
    expect(fs.readFileSync(path.join(storeLayout(dir).blobs, blobs[0] ?? '?'))).toEqual(
      fs.readFileSync(source),
    );
  });
});
