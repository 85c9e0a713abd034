/**
 * The hostile-ZIP reader's local-header window (`zip-reader.ts`): real ZIPs written by yazl, then
 * changed byte by byte as a hostile sender would. Where a test must make a read fail or come back
 * short (what a FUSE or network mount does, which cannot be mounted here), it wraps the real
 * `fs.readSync`, and says so.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import yazl from 'yazl';
import { DEFAULT_ZIP_LIMITS } from '../../../electron/core/bundle/format.js';
import { inspectZip, openEntry, readEntryBytes } from '../../../electron/core/bundle/zip-reader.js';
import { writeRawZip } from '../../support/raw-zip.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

const WINDOW = 256 * 1024;
const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const dir = makeTempDir();
let written = 0;
afterAll(() => removeTempDir(dir));
afterEach(() => vi.restoreAllMocks());

/** A ZIP of stored entries (data of one repeated byte, so no header signature hides in it), as bytes. */
async function zipBytes(
  entries: readonly { name: string; size: number; zip64?: boolean }[],
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  entries.forEach(({ name, size, zip64 }, i) => {
    zip.addBuffer(Buffer.alloc(size, 0x41 + (i % 26)), name, {
      compress: false,
      mtime: new Date('2026-01-01T00:00:00Z'),
      forceZip64Format: zip64 ?? false,
    });
  });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Where each local header and each central-directory record starts, in file order. */
function headerOffsets(zip: Buffer): { locals: number[]; centrals: number[] } {
  const locals: number[] = [];
  const centrals: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) {
    const signature = zip.readUInt32LE(i);
    if (signature === LOCAL_SIGNATURE) locals.push(i);
    else if (signature === CENTRAL_SIGNATURE) centrals.push(i);
  }
  return { locals, centrals };
}

/** The ZIP written to a file of its own. */
function saved(zip: Buffer): string {
  const file = path.join(dir, `${++written}.zip`);
  fs.writeFileSync(file, zip);
  return file;
}

/** inspectZip's problems, as `path: problem` lines, and its files' bytes as read back. */
async function inspect(file: string) {
  const zip = await inspectZip(file, DEFAULT_ZIP_LIMITS);
  try {
    const contents = new Map<string, Buffer>();
    for (const [name, entry] of zip.files) contents.set(name, await readEntryBytes(zip, entry, 2 * WINDOW));
    return { problems: zip.problems.map((p) => `${p.path}: ${p.problem}`), refused: zip.refused, contents };
  } finally {
    await zip.close();
  }
}

const entry = (name: string, size: number) => ({ name, size });

/** A positional read of `length` bytes at `at` into `buffer` from `offset`, as fs.readSync's. */
type PositionalRead = (fd: number, buffer: Buffer, offset: number, length: number, at: number) => number;

/** fs.readSync replaced by `read`, which is given the real one: for what a disk here cannot do. */
function wrapReadSync(read: (real: PositionalRead, ...args: Parameters<PositionalRead>) => number): void {
  const real = fs.readSync as unknown as PositionalRead;
  vi.spyOn(fs, 'readSync').mockImplementation(((...args: Parameters<PositionalRead>) =>
    read(real, ...args)) as unknown as typeof fs.readSync);
}

describe('the local-header window reads what the file holds, however the reads go', () => {
  test('short reads (as a FUSE or network mount gives) are repeated, not taken for the end of the file', async () => {
    const file = saved(
      await zipBytes([entry('a.bin', 1000), entry('b.bin', WINDOW + 10), entry('c.bin', 10)]),
    );
    // The real read, asked for at most 7 bytes at a time: a mount that cannot be made here.
    wrapReadSync((real, fd, buffer, offset, length, at) => real(fd, buffer, offset, Math.min(length, 7), at));
    const { problems, contents } = await inspect(file);
    vi.restoreAllMocks();
    expect(problems).toEqual([]);
    expect(contents.get('b.bin')?.length).toBe(WINDOW + 10);
  });

  test('a read that fails leaves no window behind: the next header is read from the file, not stale bytes', async () => {
    const zip = await zipBytes([
      entry('a.bin', WINDOW + 50_000),
      entry('b.bin', 100_000),
      entry('c.bin', 10),
    ]);
    const { locals } = headerOffsets(zip);
    const file = saved(zip);
    // The real read, failing once where b.bin's header starts (an I/O error that cannot be caused here).
    let failed = false;
    wrapReadSync((real, fd, buffer, offset, length, at) => {
      if (at === locals[1] && !failed) {
        failed = true;
        throw new Error('EIO: i/o error, read');
      }
      return real(fd, buffer, offset, length, at);
    });
    const { problems } = await inspect(file);
    vi.restoreAllMocks();
    expect(failed).toBe(true);
    expect(problems).toEqual(['b.bin: its local header cannot be read: EIO: i/o error, read']);
  });
});

/** The ZIP with its central-directory records in reverse order: headers out of the file's order. */
function reversedDirectory(zip: Buffer): Buffer {
  const { centrals } = headerOffsets(zip);
  const end = zip.length - 22; // the end-of-central-directory record (no comment)
  const records = centrals.map((at, i) => zip.subarray(at, centrals[i + 1] ?? end));
  return Buffer.concat([zip.subarray(0, centrals[0]), ...records.reverse(), zip.subarray(end)]);
}

describe('the local-header window reads a ZIP about once, whatever order its directory lists', () => {
  test('a directory listing 600 headers backwards reads no more than about the file', async () => {
    const entries = Array.from({ length: 600 }, (_, i) => entry(`items/${i}.bin`, 1000));
    const zip = reversedDirectory(await zipBytes(entries));
    const file = saved(zip);
    // The real read, counted.
    let bytesRead = 0;
    wrapReadSync((real, ...args) => {
      const read = real(...args);
      bytesRead += read;
      return read;
    });
    const inspected = await inspectZip(file, DEFAULT_ZIP_LIMITS);
    await inspected.close();
    vi.restoreAllMocks();
    expect(inspected.problems).toEqual([]);
    expect(inspected.files.size).toBe(600);
    expect(bytesRead).toBeGreaterThanOrEqual(zip.length / 2);
    expect(bytesRead).toBeLessThan(2 * zip.length);
  });
});

/**
 * Fixed cases of the kinds a review's differential fuzz of the windowed reader exercised: entries
 * sized about the window (a header just inside, just past its end), a 300-character name, lying
 * local lengths, directory offsets past the end or onto another entry, with and without zip64.
 * Each names its problem in the words of yauzl's own checks, and a clean ZIP reads back whole.
 */
describe('the window finds the problems of hostile ZIPs that yauzl finds', () => {
  const LONG = `b-${'n'.repeat(300)}.bin`;
  const sizes = [WINDOW - 40, WINDOW + 5, 10];
  const names = ['a.bin', LONG, 'c.bin'];
  const bounds = (name: string, size: number, zip: Buffer) =>
    new RegExp(
      `^${name.replace('.', '\\.')}: its local header cannot be read: file data overflows file bounds: \\d+ \\+ ${size} > ${zip.length}$`,
    );
  const cases: readonly {
    readonly name: string;
    readonly edit: (zip: Buffer, at: ReturnType<typeof headerOffsets>) => void;
    readonly expected: (zip: Buffer) => readonly (string | RegExp)[];
  }[] = [
    { name: 'none: entries about the window size, a 300-character name', edit: () => {}, expected: () => [] },
    {
      name: 'a local name length of 65535',
      edit: (zip, at) => zip.writeUInt16LE(65535, at.locals[1]! + 26),
      expected: (zip) => [bounds(LONG, WINDOW + 5, zip)],
    },
    {
      name: 'a local extra length of 65535',
      edit: (zip, at) => zip.writeUInt16LE(65535, at.locals[1]! + 28),
      expected: (zip) => [bounds(LONG, WINDOW + 5, zip)],
    },
    {
      name: "the last entry's local name length of 65535, past the end of the file",
      edit: (zip, at) => zip.writeUInt16LE(65535, at.locals[2]! + 26),
      expected: (zip) => [bounds('c.bin', 10, zip)],
    },
    {
      name: 'a local name length one too long, its data still inside the file',
      edit: (zip, at) => zip.writeUInt16LE(6, at.locals[0]! + 26),
      expected: () => [
        'a.bin: its local header and the central directory disagree (name)',
        `${LONG}: overlaps the data of a.bin (an overlapping-entry zip bomb?)`,
      ],
    },
    {
      name: 'a directory offset past the end of the file',
      edit: (zip, at) => zip.writeUInt32LE(zip.length + 1000, at.centrals[1]! + 42),
      expected: () => [`${LONG}: its local header cannot be read: unexpected EOF`],
    },
    {
      name: 'a directory offset 10 bytes before the end of the file',
      edit: (zip, at) => zip.writeUInt32LE(zip.length - 10, at.centrals[2]! + 42),
      expected: () => ['c.bin: its local header cannot be read: unexpected EOF'],
    },
    {
      name: "a directory offset onto another entry's header",
      edit: (zip, at) => zip.writeUInt32LE(at.locals[1]!, at.centrals[2]! + 42),
      expected: () => [
        'c.bin: its local header and the central directory disagree (name, CRC-32, compressed size, size)',
        `c.bin: overlaps the data of ${LONG} (an overlapping-entry zip bomb?)`,
      ],
    },
  ];

  for (const zip64 of [false, true]) {
    test.each(cases)(`${zip64 ? 'zip64' : 'plain'}: $name`, async ({ edit, expected }) => {
      const zip = await zipBytes(names.map((name, i) => ({ name, size: sizes[i]!, zip64 })));
      edit(zip, headerOffsets(zip));
      const { problems, contents } = await inspect(saved(zip));
      const wanted = expected(zip);
      expect(problems).toHaveLength(wanted.length);
      wanted.forEach((problem, i) => {
        if (typeof problem === 'string') expect(problems[i]).toBe(problem);
        else expect(problems[i]).toMatch(problem);
      });
      if (wanted.length === 0)
        names.forEach((name, i) => {
          expect(contents.get(name)).toEqual(Buffer.alloc(sizes[i]!, 0x41 + i));
        });
    });
  }
});

/** How many of this process's file descriptors are open on `file`. */
function descriptorsOn(file: string): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // the directory's own descriptor, closed once listed
    }
  }).length;
}

describe('an entry stream broken off by its consumer', () => {
  for (const compress of [false, true])
    test(`leaves no descriptor open on the bundle (${compress ? 'deflated' : 'stored'}; a USB stick is let go)`, async () => {
      const zip = new yazl.ZipFile();
      // Random bytes: deflated, they stay 8 MiB on disk, far more than one read.
      zip.addBuffer(randomBytes(8 * 1024 * 1024), 'big.bin', { compress, mtime: new Date(0) });
      zip.end();
      const chunks: Buffer[] = [];
      for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
      const file = saved(Buffer.concat(chunks));
      const inspected = await inspectZip(file, DEFAULT_ZIP_LIMITS);
      const held = descriptorsOn(file); // the inspected ZIP's own
      const stream = await openEntry(inspected, inspected.files.get('big.bin')!);
      for await (const _ of stream) break; // a store write failed after the first chunk
      // The close runs on the thread pool: waited for (a leaked descriptor never goes).
      await vi.waitFor(() => expect(descriptorsOn(file)).toBe(held));
      await inspected.close();
      await vi.waitFor(() => expect(descriptorsOn(file)).toBe(0));
    });
});

describe("an entry's header name, which tools that ignore its Unicode-path field (Python's zipfile) unpack it as, is checked too", () => {
  test("a header name that is another entry's name (Python would unpack it over manifest.json), in either order, is a problem of the entry; a CP437 stand-in of its own is none", async () => {
    const planted = { raw: 'manifest.json', unicodePath: 'items/x/original.txt', data: Buffer.from('other') };
    const real = { raw: 'manifest.json', data: Buffer.from('real') };
    const after = path.join(dir, `${++written}.zip`);
    writeRawZip(after, [real, planted]);
    expect((await inspect(after)).problems).toEqual([
      `items/x/original.txt: its header's own name "manifest.json" (what tools that ignore its Unicode-path field unpack it as): is also the name of manifest.json`,
    ]);
    const before = path.join(dir, `${++written}.zip`);
    writeRawZip(before, [planted, real]);
    expect((await inspect(before)).problems).toEqual([
      "manifest.json: is also the name of items/x/original.txt (by its header's own name manifest.json)",
    ]);
    const standIn = path.join(dir, `${++written}.zip`);
    writeRawZip(standIn, [real, { raw: 'na_ve.txt', unicodePath: 'naïve.txt', data: Buffer.from('two') }]);
    const sound = await inspect(standIn);
    expect(sound.problems).toEqual([]);
    expect([...sound.contents.keys()]).toEqual(['manifest.json', 'naïve.txt']);
  });

  test("header names that are lossy stand-ins clashing only with each other (an archiver's OEM code page: Info-ZIP's raw UTF-8 read as CP437, WinZip's '_') are no problem: the Unicode-path names are distinct", async () => {
    const utf8AsCp437 = (name: string) => Buffer.from(name, 'utf8').toString('latin1');
    const file = path.join(dir, `${++written}.zip`);
    writeRawZip(file, [
      // 一 and 万 are E4 B8 80 and E4 B8 87: as CP437, "Σ╕Ç" and "Σ╕ç", the same but for letter case.
      { raw: utf8AsCp437('一.txt'), unicodePath: '一.txt', data: Buffer.from('one') },
      { raw: utf8AsCp437('万.txt'), unicodePath: '万.txt', data: Buffer.from('ten thousand') },
      { raw: 'items/x/__.txt', unicodePath: 'items/x/سند.txt', data: Buffer.from('document') },
      { raw: 'items/x/__.txt', unicodePath: 'items/x/عکس.txt', data: Buffer.from('photo') },
    ]);
    const sound = await inspect(file);
    expect(sound.problems).toEqual([]);
    expect([...sound.contents.keys()]).toEqual(['一.txt', '万.txt', 'items/x/سند.txt', 'items/x/عکس.txt']);
  });

  test('an unsafe header name behind a safe Unicode-path field is a problem of the entry', async () => {
    const file = path.join(dir, `${++written}.zip`);
    writeRawZip(file, [
      { raw: '../outside.txt', unicodePath: 'items/x/original.txt', data: Buffer.from('x') },
    ]);
    expect((await inspect(file)).problems).toEqual([
      `items/x/original.txt: its header's own name "../outside.txt" (what tools that ignore its Unicode-path field unpack it as): unsafe path (invalid relative path: ../outside.txt): it would be written outside the folder it is unpacked in`,
    ]);
  });
});

test("a local header whose UTF-8 flag differs from the central directory's, so that its name reads otherwise (a streaming unzipper's name), is a problem; for an ASCII name, none", async () => {
  for (const [name, expected] of [
    [
      'items/x/évidence.bin',
      [
        'items/x/évidence.bin: its local header and the central directory disagree (name encoding (UTF-8 flag))',
      ],
    ],
    ['items/x/evidence.bin', []],
  ] as const) {
    const zip = await zipBytes([entry(name, 10)]);
    const at = headerOffsets(zip).locals[0]!;
    expect(zip.readUInt16LE(at + 6) & 0x800).toBe(0x800); // yazl flags its names UTF-8
    zip.writeUInt16LE(zip.readUInt16LE(at + 6) & ~0x800, at + 6);
    expect((await inspect(saved(zip))).problems).toEqual(expected);
  }
});
