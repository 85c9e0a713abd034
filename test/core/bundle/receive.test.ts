import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as yazl from 'yazl';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import type { ExportResult } from '../../../electron/core/bundle/export-bundle.js';
import { BundleRejected, receiveBundle } from '../../../electron/core/bundle/receive-bundle.js';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { type CaseFixture, makeCaseFixture, readZip, tamper, writeZip } from './bundle-fixtures.js';

/** Everything receive could change in a store, to prove that a refused bundle changed nothing. */
async function snapshot(temp: TempStore) {
  const store = temp.openForReading();
  try {
    const blobs: string[] = [];
    for await (const name of store.blobs.list()) blobs.push(name);
    const count = (table: string) =>
      (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      ledger: store.ledger().length,
      blobs: blobs.sort(),
      cases: count('cases'),
      items: count('items'),
      received: count('received_bundles'),
    };
  } finally {
    store.close();
  }
}

async function withStore<T>(temp: TempStore, work: (store: EvidenceStore) => Promise<T>): Promise<T> {
  const store = temp.open();
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/** Replaces bytes in a file: every occurrence, or only the first (a local header comes before the central one). */
function patchBytes(file: string, from: string, to: string, only: 'all' | 'first' = 'all'): void {
  expect(Buffer.byteLength(from)).toBe(Buffer.byteLength(to));
  const data = fs.readFileSync(file);
  let at = data.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  while (at >= 0) {
    data.write(to, at);
    if (only === 'first') break;
    at = data.indexOf(from, at + 1);
  }
  fs.writeFileSync(file, data);
}

/** Writes a ZIP with yazl from entries that may carry a mode, a stream or a repeated name. */
async function writeRawZip(
  file: string,
  entries: { name: string; data?: Buffer; stream?: Readable; mode?: number }[],
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if (entry.stream) zip.addReadStream(entry.stream, entry.name, { mode: entry.mode });
    else zip.addBuffer(entry.data ?? Buffer.alloc(0), entry.name, { mode: entry.mode, compress: false });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.pipe(out);
  });
}

/**
 * A ZIP64 archive of `count` empty stored files, written directly (yazl takes minutes for this many
 * entries): local headers, central directory, ZIP64 end record and locator, classic end record.
 */
function writeManyEmptyEntries(file: string, count: number): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const name = Buffer.from(`f/${i}`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name);
    centrals.push(central, name);
    offset += 30 + name.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeUInt16LE(45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(count), 24);
  zip64End.writeBigUInt64LE(BigInt(count), 32);
  zip64End.writeBigUInt64LE(BigInt(centralDirectory.length), 40);
  zip64End.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + centralDirectory.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  fs.writeFileSync(file, Buffer.concat([...locals, centralDirectory, zip64End, locator, end]));
}

describe('custos receive', () => {
  let sender: CaseFixture;
  let bundle: ExportResult;
  let receiver: TempStore;
  beforeAll(async () => {
    sender = await makeCaseFixture();
    bundle = await sender.exportTo('BE-1.zip');
    receiver = makeTempStore({ investigator: { name: 'Paula Fiscal', agency: 'Prosecution Office' } });
  });
  afterAll(() => {
    sender.temp.remove();
    receiver.remove();
  });

  describe('a hostile bundle is refused before anything is written', () => {
    let counter = 0;
    const hostile = () => path.join(receiver.base, `hostile-${++counter}.zip`);

    async function expectRefused(file: string, path: RegExp | string, problem: RegExp): Promise<void> {
      const before = await snapshot(receiver);
      const error = await withStore(receiver, (store) => receiveBundle(store, file)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BundleRejected);
      const problems = (error as BundleRejected).report.problems;
      expect(
        problems.some(
          (p) => (typeof path === 'string' ? p.path === path : path.test(p.path)) && problem.test(p.problem),
        ),
      ).toBe(true);
      expect(await snapshot(receiver)).toEqual(before);
    }

    test('an entry whose path climbs out with .. (zip-slip)', async () => {
      const file = await tamper(bundle.file, hostile(), (files) =>
        files.set('zz/zz/evil.sh', Buffer.from('#!/bin/sh\n')),
      );
      patchBytes(file, 'zz/zz/evil.sh', '../../evil.sh');
      await expectRefused(file, '../../evil.sh', /unsafe path/);
      expect(fs.existsSync(path.join(receiver.dir, '..', '..', 'evil.sh'))).toBe(false);
    });

    test('an entry with an absolute path', async () => {
      const file = await tamper(bundle.file, hostile(), (files) =>
        files.set('Xtmp/evil.txt', Buffer.from('x')),
      );
      patchBytes(file, 'Xtmp/evil.txt', '/tmp/evil.txt');
      await expectRefused(file, '/tmp/evil.txt', /unsafe path/);
    });

    test('a symbolic link entry', async () => {
      const files = await readZip(bundle.file);
      const file = hostile();
      await writeRawZip(file, [
        ...[...files].map(([name, data]) => ({ name, data })),
        { name: `items/${sender.pngItemId}/link`, data: Buffer.from('/etc/passwd'), mode: 0o120777 },
      ]);
      await expectRefused(file, `items/${sender.pngItemId}/link`, /symbolic link/);
    });

    test('two entries with the same name, and names that differ only by case', async () => {
      const files = await readZip(bundle.file);
      const file = hostile();
      const png = `items/${sender.pngItemId}/original.png`;
      await writeRawZip(file, [
        ...[...files].map(([name, data]) => ({ name, data })),
        { name: png, data: Buffer.from('second copy') },
        { name: 'VERIFY.TXT', data: Buffer.from('shadow') },
      ]);
      await expectRefused(file, png, /appears twice/);
      expect((await verifyBundle(file)).problems).toContainEqual({
        path: 'VERIFY.TXT',
        problem: 'differs from VERIFY.txt only by letter case or Unicode form',
      });
    });

    test('a local header that names another file than the central directory', async () => {
      const file = await tamper(bundle.file, hostile(), (files) =>
        files.set('notes-aaaa.txt', Buffer.from('hidden')),
      );
      patchBytes(file, 'notes-aaaa.txt', 'notes-bbbb.txt', 'first');
      await expectRefused(file, 'notes-aaaa.txt', /local header and the central directory disagree \(name/);
    });

    test('more than 100,000 entries', async () => {
      const file = hostile();
      writeManyEmptyEntries(file, 100_001);
      await expectRefused(file, '(zip)', /100001 entries, more than the limit of 100000/);
    });

    test('a zip bomb: an entry that inflates a thousandfold', async () => {
      const file = hostile();
      const zeros = function* () {
        for (let i = 0; i < 256; i++) yield Buffer.alloc(1024 * 1024);
      };
      await writeRawZip(file, [{ name: 'manifest.json', stream: Readable.from(zeros()) }]);
      await expectRefused(file, 'manifest.json', /compression ratio \d+:1 is over the limit/);
    }, 120_000);

    test('a truncated bundle and random bytes are not bundles at all (bad input, exit 2)', async () => {
      const truncated = hostile();
      const whole = fs.readFileSync(bundle.file);
      fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
      const random = hostile();
      fs.writeFileSync(random, crypto.randomBytes(50_000));
      const plainZip = hostile();
      await writeZip(plainZip, new Map([['holiday.jpg', Buffer.from('not evidence')]]));
      const before = await snapshot(receiver);
      for (const file of [truncated, random]) {
        await expect(withStore(receiver, (store) => receiveBundle(store, file))).rejects.toMatchObject({
          kind: 'bad-input',
          message: expect.stringMatching(
            /is not a Custos bundle: it is not a readable ZIP archive.*truncated, damaged or another kind of file/,
          ),
        });
      }
      await expect(withStore(receiver, (store) => receiveBundle(store, plainZip))).rejects.toMatchObject({
        kind: 'bad-input',
        message: expect.stringMatching(/a ZIP archive but not a Custos bundle/),
      });
      expect(await snapshot(receiver)).toEqual(before);
    });

    test('a tampered bundle (one artifact byte) is refused whole', async () => {
      const png = `items/${sender.pngItemId}/original.png`;
      const file = await tamper(bundle.file, hostile(), (files) => {
        const data = Buffer.from(files.get(png)!);
        data.writeUInt8(data.readUInt8(100) ^ 0xff, 100);
        files.set(png, data);
      });
      await expectRefused(file, png, /differs from the signed manifest/);
    });
  });

  describe('a valid bundle', () => {
    test('is taken in with its items, a custody-transfer entry and the sender history, and audits clean', async () => {
      const result = await withStore(receiver, (store) =>
        receiveBundle(store, bundle.file, { expectSigner: bundle.signer }),
      );
      expect(result.alreadyReceived).toBe(false);
      expect(result.signer).toBe(bundle.signer);
      expect(result.fileSha256).toBe(bundle.sha256);
      expect(result.items.map((i) => i.status)).toEqual(['imported', 'imported']);
      const store = receiver.openForReading();
      try {
        const items = store.listItems(result.case.id);
        expect(items.map((i) => i.id).sort()).toEqual([sender.pngItemId, sender.textItemId].sort());
        const png = store.getItem(sender.pngItemId);
        expect(fs.readFileSync(store.blobs.pathOf(png.artifacts[0]!.sha256)).equals(sender.png)).toBe(true);
        const transfer = store.ledger().find((e) => e.action === 'bundle.receive')!;
        expect(transfer.seq).toBe(result.ledgerSeq);
        expect(transfer.details).toMatchObject({
          sha256: bundle.sha256,
          signer: bundle.signer,
          exporter: { name: 'Ana Ruiz', agency: 'Test Unit' },
          receivedBy: { name: 'Paula Fiscal' },
        });
        expect(png.custody.map((e) => e.action)).toEqual(['item.receive']);
        const kept = store.db
          .prepare('SELECT count(*) AS n, sum(entry IS NULL) AS stubs FROM received_custody')
          .get() as { n: number; stubs: number };
        const sent = (await readZip(bundle.file)).get('custody.jsonl')!.toString('utf8').trim().split('\n');
        expect(kept.n).toBe(sent.length);
        expect(kept.stubs).toBe(sent.filter((l) => l.includes('"omitted":true')).length);
        const audit = await runAudit(store);
        expect(audit.problems).toEqual([]);
      } finally {
        store.close();
      }
    });

    test('received twice changes nothing', async () => {
      const before = await snapshot(receiver);
      const again = await withStore(receiver, (store) => receiveBundle(store, bundle.file));
      expect(again.alreadyReceived).toBe(true);
      expect(await snapshot(receiver)).toEqual(before);
    });

    test("re-exported by the receiver, it verifies under the receiver's key with the same item digests", async () => {
      const out = path.join(receiver.base, 'forwarded.zip');
      const store = receiver.open();
      const { exportBundle } = await import('../../../electron/core/bundle/export-bundle.js');
      let forwarded: ExportResult;
      try {
        forwarded = await exportBundle(store, { caseRef: 'BE-1', out });
      } finally {
        store.close();
      }
      const report = await verifyBundle(out, { expectSigner: forwarded.signer });
      expect(report.problems).toEqual([]);
      const original = await verifyBundle(bundle.file);
      expect(report.items.map((i) => i.digest).sort()).toEqual(original.items.map((i) => i.digest).sort());
    });
  });
});
