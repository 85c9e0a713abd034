import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  BlobStore,
  EARLY_SYNC_BYTES,
  fsyncDir,
  type TemporaryBlob,
} from '../../../electron/core/store/blob-store.js';
import { fileSyncFailingOnce } from '../../support/failing-fsync.js';
import { REPO_ROOT } from '../../support/run-custos.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Random content whose blob lives under another `aa/` than each of the given blobs'. */
function contentOutside(...others: readonly string[]): Buffer {
  for (;;) {
    const content = randomBytes(64);
    const prefix = sha256(content).slice(0, 2);
    if (others.every((other) => other.slice(0, 2) !== prefix)) return content;
  }
}

/**
 * Stores contents with a BlobStore of a new process (Custos started again, as after a failed
 * fsync nothing more is stored in this one), and returns the folders it fsynced.
 */
function storeInNewProcess(root: string, tempDir: string, contents: readonly Buffer[]): string[] {
  const module = pathToFileURL(path.join(REPO_ROOT, 'electron', 'core', 'store', 'blob-store.ts')).href;
  const script = `
    const { BlobStore, fsyncDir } = await import(${JSON.stringify(module)});
    const [root, tempDir, ...contents] = process.argv.slice(1);
    const synced = [];
    const store = new BlobStore(root, tempDir, async (dir) => { await fsyncDir(dir); synced.push(dir); });
    for (const hex of contents) await store.putBuffer(Buffer.from(hex, 'hex'));
    process.stdout.write(JSON.stringify(synced));`;
  const args = ['--import', 'tsx', '--input-type=module', '-e', script, root, tempDir];
  const out = execFileSync(process.execPath, [...args, ...contents.map((c) => c.toString('hex'))], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

/** Resolves once every callback already queued, and every promise callback they queue, has run. */
const afterPendingCallbacks = () => new Promise((resolve) => setImmediate(resolve));

describe('BlobStore', () => {
  let base: string;
  let root: string;
  let tempDir: string;
  let blobs: BlobStore;

  beforeEach(() => {
    base = makeTempDir();
    root = path.join(base, 'blobs');
    tempDir = path.join(root, 'tmp');
    blobs = new BlobStore(root, tempDir);
  });
  afterEach(() => removeTempDir(base));

  async function listed(): Promise<string[]> {
    const names: string[] = [];
    for await (const name of blobs.list()) names.push(name);
    return names;
  }

  const tempFiles = () => (fs.existsSync(tempDir) ? fs.readdirSync(tempDir) : []);

  test('a blob is named by the SHA-256 of its content and lives at aa/bb/<sha256>', async () => {
    const content = Buffer.from('the seller posted the crossing price at 3 000 EUR\n');
    const stored = await blobs.putBuffer(content);

    expect(stored).toEqual({ sha256: sha256(content), size: content.byteLength });
    const expectedPath = path.join(root, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256);
    expect(blobs.pathOf(stored.sha256)).toBe(expectedPath);
    expect(fs.readFileSync(expectedPath)).toEqual(content);
    expect(await listed()).toEqual([stored.sha256]);
  });

  test('a file is copied byte for byte, hashed while streaming, with the same hash sha256sum gives', async () => {
    const source = path.join(base, 'photo.bin');
    fs.writeFileSync(source, randomBytes(3.5 * 1024 * 1024)); // several 1 MiB chunks, the last one partial
    const progress: number[] = [];

    const stored = await blobs.putFile(source, (done) => progress.push(done));

    const [coreutils] = execFileSync('sha256sum', [source], { encoding: 'utf8' }).split(' ');
    expect(stored.sha256).toBe(coreutils);
    expect(stored.size).toBe(fs.statSync(source).size);
    expect(fs.readFileSync(blobs.pathOf(stored.sha256)).equals(fs.readFileSync(source))).toBe(true);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(stored.size);
  });

  test('an empty file is stored as the blob of zero bytes', async () => {
    const source = path.join(base, 'empty');
    fs.writeFileSync(source, '');
    const stored = await blobs.putFile(source);
    expect(stored).toEqual({
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
    });
    expect(fs.statSync(blobs.pathOf(stored.sha256)).size).toBe(0);
  });

  test('a stored blob is read-only (mode 0444)', async () => {
    const stored = await blobs.putBuffer(Buffer.from('original'));
    const file = blobs.pathOf(stored.sha256);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    if (process.getuid?.() !== 0) {
      // Root ignores file modes; for anyone else the write must fail.
      expect(() => fs.writeFileSync(file, 'changed')).toThrow(/EACCES/);
    }
  });

  test('identical content is stored once, and the existing blob is not rewritten', async () => {
    const content = Buffer.from('same bytes, imported twice');
    const first = await blobs.putBuffer(content);
    const before = fs.statSync(blobs.pathOf(first.sha256));
    const source = path.join(base, 'copy.txt');
    fs.writeFileSync(source, content);

    const second = await blobs.putBuffer(content);
    const third = await blobs.putFile(source);

    expect(second).toEqual(first);
    expect(third).toEqual(first);
    const after = fs.statSync(blobs.pathOf(first.sha256));
    expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
    expect(await listed()).toEqual([first.sha256]);
    expect(tempFiles()).toEqual([]);
  });

  test('while a blob is being written, nothing exists under its final name', async () => {
    const parts = [Buffer.from('first half, '), Buffer.from('second half')];
    const whole = sha256(Buffer.concat(parts));
    const seenMidway: { final: boolean; listed: string[]; temp: string[] } = {
      final: true,
      listed: [],
      temp: [],
    };

    async function* chunks() {
      yield parts[0] as Buffer;
      seenMidway.final = fs.existsSync(blobs.pathOf(whole));
      seenMidway.listed = await listed();
      seenMidway.temp = tempFiles();
      yield parts[1] as Buffer;
    }
    const stored = await blobs.putChunks(chunks());

    expect(seenMidway.final).toBe(false);
    expect(seenMidway.listed).toEqual([]);
    expect(seenMidway.temp).toHaveLength(1);
    expect(stored.sha256).toBe(whole);
    expect(fs.existsSync(blobs.pathOf(whole))).toBe(true);
    expect(tempFiles()).toEqual([]);
  });

  test('a write that fails part-way leaves no temporary file and no blob', async () => {
    async function* failing() {
      yield Buffer.from('some bytes before the source failed');
      throw new Error('source read failed (EIO)');
    }
    await expect(blobs.putChunks(failing())).rejects.toThrow('source read failed (EIO)');
    expect(tempFiles()).toEqual([]);
    expect(await blobs.leftoverTempFiles()).toEqual([]);
    expect(await listed()).toEqual([]);
  });

  test('a temporary file left by a killed write is reported, and never listed as a blob', async () => {
    fs.mkdirSync(tempDir, { recursive: true });
    fs.writeFileSync(path.join(tempDir, 'interrupted.tmp'), 'partial');
    expect(await blobs.leftoverTempFiles()).toEqual(['interrupted.tmp']);
    expect(await listed()).toEqual([]);
  });

  test('rehash reports the current content of a blob, and null when it is missing', async () => {
    const stored = await blobs.putBuffer(Buffer.from('to be checked'));
    expect(await blobs.rehash(stored.sha256)).toEqual(stored);

    const file = blobs.pathOf(stored.sha256);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'to be checkeD');
    expect(await blobs.rehash(stored.sha256)).toEqual({ sha256: sha256('to be checkeD'), size: stored.size });

    fs.unlinkSync(file);
    expect(await blobs.rehash(stored.sha256)).toBeNull();
  });

  test('a batch keeps its blobs unnamed until persisted, then read-only under their names; discard removes the rest', async () => {
    const photo = path.join(base, 'photo.jpg');
    const chat = path.join(base, 'chat.txt');
    fs.writeFileSync(photo, randomBytes(2.5 * 1024 * 1024)); // copied in the kernel, then hashed from the copy
    fs.writeFileSync(chat, 'meet at the harbour at 02:00\n');
    const batch = blobs.batch();

    const [a, b] = [await batch.putFile(photo), await batch.putFile(chat)];
    const twin = await batch.putFile(photo); // the same content again: kept once

    expect(a.sha256).toBe(sha256(fs.readFileSync(photo)));
    expect(twin).toEqual(a);
    expect(fs.readFileSync(batch.pathOf(a.sha256)).equals(fs.readFileSync(photo))).toBe(true);
    expect(await listed()).toEqual([]); // no blob name before persist
    expect(tempFiles()).toHaveLength(2);

    await batch.persist([a.sha256]);
    expect(await listed()).toEqual([a.sha256]);
    expect(fs.statSync(blobs.pathOf(a.sha256)).mode & 0o777).toBe(0o444);
    expect(batch.pathOf(a.sha256)).toBe(blobs.pathOf(a.sha256));

    await batch.discard();
    expect(tempFiles()).toEqual([]);
    expect(fs.existsSync(blobs.pathOf(b.sha256))).toBe(false);
  });

  /**
   * Folder fsyncs cannot be seen from outside (the file system shows the same folders either way,
   * until a power cut), so these tests give the store a `syncFolder` that makes the real fsync and
   * records each folder once it is synced; `hold` keeps one folder's first fsync waiting until
   * `until` settles, and fails it when `until` rejects (an fsync error cannot be caused otherwise).
   */
  function recordingStore(hold?: { readonly dir: string; readonly until: Promise<void> }) {
    const synced: string[] = [];
    let holding: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    let holdOnce = hold;
    const store = new BlobStore(root, tempDir, async (dir) => {
      if (dir === holdOnce?.dir) {
        const { until } = holdOnce;
        holdOnce = undefined;
        holding?.();
        await until;
      }
      await fsyncDir(dir);
      synced.push(dir);
    });
    return { store, synced, held };
  }

  test('folders an install made before failing part way are fsynced by the next round, not taken as durable', async () => {
    const first = contentOutside();
    const second = contentOutside(sha256(first));
    const [a, b] = [sha256(first), sha256(second)];
    const { store, synced } = recordingStore();
    // A regular file where the second blob's aa/bb/ folder must go: its mkdir fails (as on a full
    // disk) after the first blob's aa/ and aa/bb/ were made.
    const blocker = path.dirname(store.pathOf(b));
    fs.mkdirSync(path.dirname(blocker), { recursive: true });
    fs.writeFileSync(blocker, 'not a folder');
    const written = [await store.writeTemporary([first]), await store.writeTemporary([second])];

    await expect(store.install(written)).rejects.toThrow(); // EEXIST: a file, not a folder
    const madeByFailure = path.dirname(path.dirname(store.pathOf(a))); // the first blob's aa/
    expect(fs.existsSync(path.dirname(store.pathOf(a)))).toBe(true);
    expect(synced).toEqual([]);

    fs.rmSync(blocker);
    await store.install([await store.writeTemporary([second])]);

    // The second blob's own folders, and the ones the failed install made: the new aa/bb/ in the
    // first blob's aa/ and that aa/ in the blob root, though nothing of this install is there.
    expect(synced).toEqual(
      expect.arrayContaining([
        root,
        madeByFailure,
        path.dirname(blocker),
        path.dirname(path.dirname(blocker)),
      ]),
    );
    expect(fs.readFileSync(store.pathOf(b))).toEqual(second);
  });

  /**
   * Content stored after a failed fsync is refused, by itself, in a batch and by another BlobStore of
   * the same store in this process (the app opens one per write), leaving no blob and no temporary file.
   */
  async function expectRefusedForTheSession(store: BlobStore, content: Buffer, refusal: RegExp) {
    await expect(store.putBuffer(content)).rejects.toThrow(refusal);
    const batch = store.batch();
    batch.putBytes(content);
    await expect(batch.persist()).rejects.toThrow(refusal);
    expect(fs.existsSync(store.pathOf(sha256(content)))).toBe(false);
    expect(tempFiles()).toEqual([]);
    await expect(new BlobStore(root, tempDir).putBuffer(content)).rejects.toThrow(refusal);
  }

  test('after a folder fsync fails, the store refuses every later write of the session, saying to check the disk', async () => {
    const first = contentOutside();
    const second = contentOutside(sha256(first));
    const leaf = path.join(root, sha256(first).slice(0, 2), sha256(first).slice(2, 4));
    const failed = Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    failed.catch(() => undefined); // awaited only once the install gets there
    const { store, synced } = recordingStore({ dir: leaf, until: failed });

    await expect(store.install([await store.writeTemporary([first])])).rejects.toThrow(/EIO/);
    expect(synced).not.toContain(leaf);

    // A retry could succeed though the lost entries never reach the disk: nothing more is stored,
    // neither new content (under another aa/) nor a dedupe against the name the failed round left.
    const refusal = /failed earlier in this session.*check the disk/;
    await expect(store.putBuffer(first)).rejects.toThrow(refusal);
    await expectRefusedForTheSession(store, second, refusal);

    // The next session (Custos started again, after the disk was checked) stores as before.
    const syncedNext = storeInNewProcess(root, tempDir, [first, second]);
    expect(syncedNext).toContain(leaf); // the failed round's folder, relied on again, is fsynced
    expect(fs.readFileSync(store.pathOf(sha256(second)))).toEqual(second);
  });

  test.each(['its install', "a batch's early fsync"] as const)(
    "after a blob file's fsync fails (%s), the store refuses every later write of the session, saying to check the disk",
    async (how) => {
      // The store's file fsync fails once (EIO), then fsyncs for real.
      const store = new BlobStore(root, tempDir, fsyncDir, fileSyncFailingOnce());
      const first = how === 'its install' ? contentOutside() : randomBytes(EARLY_SYNC_BYTES);
      const second = contentOutside(sha256(first));

      if (how === 'its install') await expect(store.putBuffer(first)).rejects.toThrow(/EIO/);
      else {
        const batch = store.batch();
        batch.putBytes(first); // its fsync starts at once, and fails
        await expect(batch.persist()).rejects.toThrow(/EIO/);
      }
      expect(fs.existsSync(store.pathOf(sha256(first)))).toBe(false);

      // Before, only that install failed: the next one's fsync could report success though the
      // disk had lost data. Now nothing more is stored, neither by itself nor in a batch.
      const refusal =
        /an fsync of a blob file .* failed earlier in this session.*check the disk.*copy the store/;
      await expectRefusedForTheSession(store, second, refusal);

      // The next session (Custos started again, after the disk was checked) stores as before.
      storeInNewProcess(root, tempDir, [second]);
      expect(fs.readFileSync(store.pathOf(sha256(second)))).toEqual(second);
    },
  );

  test('after an fsync fails, the same store reached by another path (a symbolic link to its folder) refuses too', async () => {
    const store = new BlobStore(root, tempDir, fsyncDir, fileSyncFailingOnce());
    const first = contentOutside();
    await expect(store.putBuffer(first)).rejects.toThrow(/EIO/);

    // The app or a command given the store through a link: the failure is the folder's, not its name's.
    const linked = `${root}-link`;
    fs.symlinkSync(root, linked);
    try {
      const second = contentOutside(sha256(first));
      await expect(new BlobStore(linked, tempDir).putBuffer(second)).rejects.toThrow(
        /failed earlier in this session.*check the disk/,
      );
      expect(fs.existsSync(store.pathOf(sha256(second)))).toBe(false);
    } finally {
      fs.rmSync(linked);
    }
  });

  test.each(['putBuffer', 'a batch'] as const)(
    'a name an install renamed in before failing is fsynced before the same content stored again (%s) is relied on',
    async (how) => {
      const kept = contentOutside();
      const lost = contentOutside(sha256(kept));
      const { store, synced } = recordingStore();
      const renamed = await store.writeTemporary([kept]);
      const vanishing = await store.writeTemporary([lost]);
      // The second temporary file vanishes where its fsync would be awaited (as if fsynced early),
      // so the install throws at its rename, after renaming the first into place.
      const gone: TemporaryBlob = { ...vanishing, synced: fs.promises.rm(vanishing.tempPath) };

      await expect(store.install([renamed, gone])).rejects.toThrow(/ENOENT/);
      const name = store.pathOf(sha256(kept));
      expect(fs.existsSync(name)).toBe(true);
      expect(synced).toEqual([]);

      if (how === 'putBuffer') await store.putBuffer(kept);
      else {
        const batch = store.batch();
        const stored = batch.putBytes(kept); // found under its name: not pending
        expect(batch.size.blobs).toBe(0);
        await batch.persist([stored.sha256]);
      }

      expect(synced).toEqual(expect.arrayContaining([path.dirname(name)]));
    },
  );

  test('of two installs of the same content at once, the second resolves only after the first fsynced the name', async () => {
    const content = contentOutside();
    const name = path.join(root, sha256(content).slice(0, 2), sha256(content).slice(2, 4), sha256(content));
    // The fan-out folders exist already (an earlier session's): the name is the only new entry.
    fs.mkdirSync(path.dirname(name), { recursive: true });
    let release: () => void = () => undefined;
    const until = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { store, synced, held } = recordingStore({ dir: path.dirname(name), until });
    const firstWrite = await store.writeTemporary([content]);
    const secondWrite = await store.writeTemporary([content]);
    const events: string[] = [];

    const first = store.install([firstWrite]);
    await held; // the first renamed its file in; its fsync of the folder is held
    // The second's own file fsync is done here, so that nothing in its install waits on the disk
    // but the folder: whether it waits for the first's round is decided before the check below.
    const handle = await fs.promises.open(secondWrite.tempPath, 'r+');
    await handle.sync();
    await handle.close();
    const second = store.install([{ ...secondWrite, synced: Promise.resolve() }]).then(() => {
      events.push('second resolved');
    });
    await afterPendingCallbacks();
    expect(events).toEqual([]);
    expect(fs.existsSync(secondWrite.tempPath)).toBe(false); // the first's blob stands

    release();
    await Promise.all([first, second]);
    // The name's folder, and (the first time this session relies on them) the found aa/ and root.
    expect(synced.sort()).toEqual([root, path.dirname(path.dirname(name)), path.dirname(name)].sort());
    expect(events).toEqual(['second resolved']);
    expect(fs.readFileSync(name)).toEqual(content);
  });

  test.each(['putBuffer', 'a batch'] as const)(
    'a blob an earlier run left is relied on (%s) only once its folders are fsynced, once per session',
    async (how) => {
      const content = contentOutside();
      // An earlier run stored it (and may have been killed before fsyncing its folders).
      await new BlobStore(root, tempDir).putBuffer(content);
      const { store, synced } = recordingStore();
      const name = store.pathOf(sha256(content));
      const chain = [root, path.dirname(path.dirname(name)), path.dirname(name)];
      const storeAgain = async (data: Buffer) => {
        if (how === 'putBuffer') return store.putBuffer(data);
        const batch = store.batch();
        batch.putBytes(data);
        await batch.persist([sha256(data)]);
      };

      await storeAgain(content);
      expect(synced.sort()).toEqual([...chain].sort());

      synced.length = 0;
      await storeAgain(content); // relied on again this session: its folders are vouched for
      expect(synced).toEqual([]);
    },
  );

  test('a batch persisted whole waits for the blobs it found stored, not only those it wrote', async () => {
    const content = contentOutside();
    await new BlobStore(root, tempDir).putBuffer(content); // an earlier run's, folders never fsynced
    const { store, synced } = recordingStore();
    const name = store.pathOf(sha256(content));
    const batch = store.batch();
    batch.putBytes(content);
    expect(batch.size.blobs).toBe(0); // found stored: nothing pending

    await batch.persist();
    expect(synced.sort()).toEqual([root, path.dirname(path.dirname(name)), path.dirname(name)].sort());
  });

  test('a batch persisted again after a failed install still waits for the blobs it found stored', async () => {
    const foundContent = contentOutside();
    const newContent = contentOutside(sha256(foundContent));
    await new BlobStore(root, tempDir).putBuffer(foundContent); // an earlier run's, folders never fsynced
    const { store, synced } = recordingStore();
    const name = store.pathOf(sha256(foundContent));
    // A regular file where the new blob's aa/ folder must go: its install fails (as on a full disk).
    const blocker = path.dirname(path.dirname(store.pathOf(sha256(newContent))));
    fs.writeFileSync(blocker, 'not a folder');
    const batch = store.batch();
    batch.putBytes(foundContent);
    batch.putBytes(newContent);

    await expect(batch.persist()).rejects.toThrow();
    expect(synced).toEqual([]);

    // Before, the failed persist had forgotten the found blob: the retry resolved with its name
    // relied on though its folders were never fsynced.
    await batch.persist();
    expect(synced.sort()).toEqual([root, path.dirname(path.dirname(name)), path.dirname(name)].sort());
  });

  test('a batch refuses to persist a SHA-256 it never stored, installing none of the others', async () => {
    const batch = blobs.batch();
    const put = batch.putBytes(Buffer.from('a chat export'));
    const neverPut = sha256('never put');

    await expect(batch.persist([put.sha256, neverPut])).rejects.toThrow(`blob ${neverPut} was never stored`);
    expect(await listed()).toEqual([]);
    expect(batch.size.blobs).toBe(1); // still pending: a corrected persist can install it
    await batch.persist([put.sha256]);
    expect(await listed()).toEqual([put.sha256]);
  });

  test('a group relying on content whose twin an earlier group is still installing waits for that install instead of failing', async () => {
    const photo = contentOutside();
    // The first group's file fsync is held (before its rename), as a slow disk holds it.
    let release: () => void = () => undefined;
    const until = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const store = new BlobStore(root, tempDir, fsyncDir, async (file) => {
      holding();
      await until;
      const handle = await fs.promises.open(file, 'r+');
      await handle.sync();
      await handle.close();
    });
    const batch = store.batch();
    const first = batch.putBytes(photo);
    batch.putBytes(photo); // the same photo again, put while the first is pending: its copy is dropped
    const events: string[] = [];

    const firstGroup = batch.persist([first.sha256]);
    await held; // the first group's install is under way, its file not yet under its name
    // The next group closes meanwhile, holding the second copy's item. Before, it threw at once:
    // "blob … was never stored", and every file of that group was reported failed.
    const secondGroup = batch.persist([first.sha256]).then(() => {
      events.push('second group persisted');
    });
    await afterPendingCallbacks();
    expect(events).toEqual([]); // not relied on before the first group's install made the name durable

    release();
    await Promise.all([firstGroup, secondGroup]);
    expect(events).toEqual(['second group persisted']);
    expect(fs.readFileSync(store.pathOf(first.sha256))).toEqual(photo);
  });

  test("a group relying on a twin whose earlier install failed fails with that install's reason, not a false one", async () => {
    const photo = contentOutside();
    // A regular file where the photo's aa/ folder must go: its install fails (as on a full disk).
    const blocker = path.dirname(path.dirname(blobs.pathOf(sha256(photo))));
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(blocker, 'not a folder');
    const batch = blobs.batch();
    batch.putBytes(photo);
    batch.putBytes(photo); // dropped: the first copy is pending

    const groups = [batch.persist([sha256(photo)]), batch.persist([sha256(photo)])]; // the second closed while the first installs
    const reasons = (await Promise.allSettled(groups)).map((r) =>
      r.status === 'rejected' ? String(r.reason) : 'ok',
    );
    expect(reasons).toEqual([expect.stringMatching(/EEXIST/), expect.stringMatching(/EEXIST/)]);
    // A group closed after the failure is told the same reason; the photo was never stored.
    await expect(batch.persist([sha256(photo)])).rejects.toThrow(/EEXIST/);
    expect(fs.existsSync(blobs.pathOf(sha256(photo)))).toBe(false);

    // The same photo put again (the disk was fixed) is stored by its own copy.
    fs.rmSync(blocker);
    batch.putBytes(photo);
    await batch.persist([sha256(photo)]);
    expect(fs.readFileSync(blobs.pathOf(sha256(photo)))).toEqual(photo);
  });

  test('a name that is not a SHA-256 is refused, so no path can escape the blob folder', () => {
    expect(() => blobs.pathOf('../../keys/secret.pem')).toThrow(/not a SHA-256 hex digest/);
    expect(() => blobs.pathOf('A'.repeat(64))).toThrow(/not a SHA-256 hex digest/);
  });
});
