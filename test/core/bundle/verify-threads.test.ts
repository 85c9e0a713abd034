import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExportResult } from '../../../electron/core/bundle/export-bundle.js';
import { DEFAULT_ZIP_LIMITS } from '../../../electron/core/bundle/format.js';
import { type VerifyOptions, verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import { startVerifyThreads } from '../../../electron/core/bundle/verify-threads.js';
import { inspectZip } from '../../../electron/core/bundle/zip-reader.js';
import { writeRawZip } from '../../support/raw-zip.js';
import { type CaseFixture, makeCaseFixture, tamper } from './bundle-fixtures.js';

/**
 * Verify hashes files and checks custody signatures on worker threads, and does it all on the
 * calling thread when no thread can run (`threads: 0` takes that path). A recipient's report must
 * not depend on which: the same verdict and the same problems, in the same order, word for word.
 */
describe('verify gives the same report on worker threads as on the calling thread', () => {
  let fixture: CaseFixture;
  let bundle: ExportResult;
  beforeAll(async () => {
    fixture = await makeCaseFixture();
    bundle = await fixture.exportTo('BE-1.zip');
  });
  afterAll(() => fixture.temp.remove());

  const bothWays = async (file: string, options: Omit<VerifyOptions, 'threads'> = {}) => {
    const onThreads = await verifyBundle(file, { expectSigner: bundle.signer, ...options });
    const here = await verifyBundle(file, {
      expectSigner: bundle.signer,
      ...options,
      startedThreads: undefined,
      threads: 0,
    });
    expect(onThreads).toEqual(here);
    return onThreads;
  };

  test('an untouched bundle is valid both ways, with the same evidence hash', async () => {
    const report = await bothWays(bundle.file);
    expect(report.valid).toBe(true);
    expect(report.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a custody line edited, another with a bad signature and a changed artifact are named alike both ways', async () => {
    const file = await tamper(bundle.file, path.join(fixture.temp.base, 'tampered.zip'), (files) => {
      const lines = files.get('custody.jsonl')!.toString('utf8').trimEnd().split('\n');
      const full = lines.flatMap((line, index) => ('omitted' in JSON.parse(line) ? [] : [index]));
      // One entry keeps its body but carries a signature it never had (one bit of it flipped) …
      const badSignature = JSON.parse(lines[full[1]!]!);
      const signature = Buffer.from(badSignature.signature, 'base64');
      signature[10] = (signature[10] ?? 0) ^ 0x01;
      badSignature.signature = signature.toString('base64');
      lines[full[1]!] = JSON.stringify(badSignature);
      // … and a later one has its time edited, so neither its hash nor its signature fit any more.
      const edited = JSON.parse(lines[full[2]!]!);
      edited.time = '2020-01-01T00:00:00.000Z';
      lines[full[2]!] = JSON.stringify(edited);
      files.set('custody.jsonl', Buffer.from(`${lines.join('\n')}\n`));
      const png = Buffer.from(files.get(`items/${fixture.pngItemId}/original.png`)!);
      png[png.length - 1] = (png[png.length - 1] ?? 0) ^ 0xff;
      files.set(`items/${fixture.pngItemId}/original.png`, png);
    });
    const report = await bothWays(file);
    expect(report.valid).toBe(false);
    const custody = report.problems.filter((p) => p.path === 'custody.jsonl').map((p) => p.problem);
    const signatureLine = custody.findIndex((p) =>
      /^line \d+: entry \d+'s signature does not verify/.test(p),
    );
    const changedLine = custody.findIndex((p) =>
      /^line \d+: entry \d+ was changed: its body hashes to/.test(p),
    );
    expect(signatureLine).toBeGreaterThanOrEqual(0);
    expect(changedLine).toBeGreaterThan(signatureLine);
    // The edited entry's own signature fails too, named right after its hash.
    expect(custody[changedLine + 1]).toMatch(/^line \d+: entry \d+'s signature does not verify/);
    expect(report.problems.map((p) => p.path)).toContain(`items/${fixture.pngItemId}/original.png`);
    expect(report.items.find((i) => i.id === fixture.pngItemId)?.valid).toBe(false);
  });

  test('a manifest too large to read whole is still hashed: its change is named against SHA256SUMS both ways', async () => {
    const file = await tamper(bundle.file, path.join(fixture.temp.base, 'big-manifest.zip'), (files) => {
      files.set('manifest.json', Buffer.concat([files.get('manifest.json')!, Buffer.from(' ')]));
    });
    const zip = await inspectZip(file, DEFAULT_ZIP_LIMITS);
    const sizes = [...zip.files.values()].map((entry) => [entry.name, entry.size] as const);
    await zip.close();
    const manifestSize = sizes.find(([name]) => name === 'manifest.json')![1];
    // Every other control file stays readable: only the manifest is over the limit.
    const others = ['manifest.sig', 'signer.pem', 'SHA256SUMS', 'SHA256SUMS.sig'];
    expect(sizes.filter(([name]) => others.includes(name)).every(([, size]) => size < manifestSize)).toBe(
      true,
    );
    const report = await bothWays(file, {
      limits: { ...DEFAULT_ZIP_LIMITS, maxControlFileBytes: manifestSize - 1 },
    });
    const manifestProblems = report.problems.filter((p) => p.path === 'manifest.json').map((p) => p.problem);
    expect(manifestProblems).toEqual([
      expect.stringMatching(/^cannot be read: .*more than the \d+ a bundle's manifest\.json may hold/),
      expect.stringMatching(/^does not match SHA256SUMS: it hashes to [0-9a-f]{64}/),
    ]);
  });

  test('an entry that inflates beyond the size its headers declare is named in the same words both ways', async () => {
    const zip = await inspectZip(bundle.file, DEFAULT_ZIP_LIMITS);
    const entry = [...zip.files.values()].find(
      (e) => e.name.startsWith('items/') && e.entry.compressionMethod === 8,
    )!;
    await zip.close();
    // Both headers say one byte less than the entry inflates to, so the structure still agrees.
    const data = fs.readFileSync(bundle.file);
    const local = entry.entry.relativeOffsetOfLocalHeader;
    data.writeUInt32LE(entry.size - 1, local + 22);
    const central = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
    for (let at = data.indexOf(central); at >= 0; at = data.indexOf(central, at + 1))
      if (data.readUInt32LE(at + 42) === local) data.writeUInt32LE(entry.size - 1, at + 24);
    const file = path.join(fixture.temp.base, 'short-size.zip');
    fs.writeFileSync(file, data);
    const report = await bothWays(file);
    expect(report.problems.filter((p) => p.path === entry.name)).toEqual([
      { path: entry.name, problem: `cannot be read: inflates beyond its declared ${entry.size - 1} bytes` },
    ]);
  });

  test("threads started ahead on the file are used, and threads started on another file are left unused: each report is the file's own", async () => {
    const changed = await tamper(bundle.file, path.join(fixture.temp.base, 'other.zip'), (files) => {
      const png = Buffer.from(files.get(`items/${fixture.pngItemId}/original.png`)!);
      png[0] = (png[0] ?? 0) ^ 0xff;
      files.set(`items/${fixture.pngItemId}/original.png`, png);
    });
    const own = startVerifyThreads(bundle.file);
    const onOwn = await bothWays(bundle.file, { startedThreads: own });
    expect(onOwn.valid).toBe(true);
    // Threads on the untouched bundle would hash its PNG, not the changed one, at the same place.
    const other = startVerifyThreads(bundle.file);
    try {
      const report = await bothWays(changed, { startedThreads: other });
      expect(report.problems.map((p) => p.path)).toContain(`items/${fixture.pngItemId}/original.png`);
    } finally {
      await Promise.all([own.close(), other.close()]);
    }
  });

  test('threads started ahead on a named pipe, which verify then refuses, work and close: they open the file only when given entries to hash', async () => {
    const pipe = path.join(fixture.temp.base, 'pipe.zip');
    execFileSync('mkfifo', [pipe]);
    const threads = startVerifyThreads(pipe, { threads: 2 });
    try {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const signature = sign(null, Buffer.from('{}'), privateKey).toString('base64');
      // Answered by a thread: one blocked opening the pipe (nothing writes to it) would never be ready.
      expect(await threads.checkSignature(pem, '{}', signature)).toBe(true);
    } finally {
      await threads.close();
    }
  });

  test('threads that cannot start hand all their work back, and this thread gives the same hashes and verdicts', async () => {
    const zip = await inspectZip(bundle.file, DEFAULT_ZIP_LIMITS);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const body = '{"action":"item.created","seq":1}';
    const signature = sign(null, Buffer.from(body), privateKey).toString('base64');
    const signatures = [
      [pem, body, signature],
      [pem, `${body} `, signature],
      [pem, body, 'not a signature'],
    ] as const;
    // The threads are pointed at a file that does not exist: each fails as it opens it.
    const failing = startVerifyThreads(path.join(fixture.temp.base, 'gone.zip'), { threads: 2 });
    const none = startVerifyThreads(bundle.file, { threads: 0 });
    try {
      const entries = [...zip.files.values()];
      const [handedBack, here] = await Promise.all([failing.hash(zip, entries), none.hash(zip, entries)]);
      expect(handedBack).toEqual(here);
      expect([...here.values()].every((digest) => 'sha256' in digest)).toBe(true);
      const verdicts = await Promise.all(signatures.map((s) => failing.checkSignature(s[0], s[1], s[2])));
      expect(verdicts).toEqual(
        await Promise.all(signatures.map((s) => none.checkSignature(s[0], s[1], s[2]))),
      );
      expect(verdicts).toEqual([true, false, false]);
    } finally {
      await Promise.all([failing.close(), none.close(), zip.close()]);
    }
  });
});

/**
 * A ZIP of `count` one-byte stored entries whose central directory lists them in the order that
 * defeated the threads' read window: the low half descending, each followed by one of the high half.
 */
function writeZipInCraftedOrder(file: string, count: number): void {
  const entries = Array.from({ length: count }, (_, i) => ({
    raw: `f${String(i).padStart(6, '0')}`,
    data: Buffer.from([i & 0xff]),
  }));
  const half = count / 2;
  writeRawZip(file, entries, Array.from({ length: half }, (_, i) => [half - 1 - i, count - 1 - i]).flat());
}

/** Bytes this process (every thread of it) has read so far, as the kernel counts them. */
function bytesReadByThisProcess(): number {
  return Number(/^rchar: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'))![1]);
}

describe("verify's threads read a bundle about once, whatever order its directory lists the files in", () => {
  test('a directory crafted to alternate low and high entries does not make the threads read the bundle hundreds of times over', async () => {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'custos-order-'));
    const file = path.join(dir, 'crafted.zip');
    writeZipInCraftedOrder(file, 4000);
    const size = fs.statSync(file).size;
    const zip = await inspectZip(file, DEFAULT_ZIP_LIMITS);
    const threads = startVerifyThreads(file, { threads: 1 });
    const here = startVerifyThreads(file, { threads: 0 });
    try {
      const entries = [...zip.files.values()];
      const before = bytesReadByThisProcess();
      const onThread = await threads.hash(zip, entries);
      const read = bytesReadByThisProcess() - before;
      // Before, each low entry's miss read up to its high partner: 2,000 reads of 76 KB, 152 MB.
      expect(read).toBeLessThan(4 * size);
      expect(onThread.size).toBe(4000);
      expect(onThread).toEqual(await here.hash(zip, entries));
    } finally {
      await Promise.all([threads.close(), here.close(), zip.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
