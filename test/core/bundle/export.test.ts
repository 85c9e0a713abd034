import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as yauzl from 'yauzl';
import type { ExportResult } from '../../../electron/core/bundle/export-bundle.js';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import { canonicalDigest } from '../../../electron/core/store/canonical-json.js';
import { type CaseFixture, makeCaseFixture, readZip } from './bundle-fixtures.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });

describe('custos export writes bundle format 2', () => {
  let fixture: CaseFixture;
  let bundle: ExportResult;
  let unpacked: string;
  let files: Map<string, Buffer>;
  beforeAll(async () => {
    fixture = await makeCaseFixture();
    bundle = await fixture.exportTo('BE-1.zip');
    unpacked = path.join(fixture.temp.base, 'unpacked');
    fs.mkdirSync(unpacked);
    run('unzip', ['-q', bundle.file, '-d', unpacked], fixture.temp.base);
    files = await readZip(bundle.file);
  });
  afterAll(() => fixture.temp.remove());

  test('passes unzip -t, sha256sum -c and openssl pkeyutl -verify -rawin, the tools a recipient uses', () => {
    expect(run('unzip', ['-t', bundle.file], fixture.temp.base)).toMatch(/No errors detected/);
    const sums = run('sha256sum', ['-c', 'SHA256SUMS'], unpacked);
    expect(
      sums
        .trim()
        .split('\n')
        .every((line) => line.endsWith(': OK')),
    ).toBe(true);
    expect(sums).toContain(`items/${fixture.pngItemId}/original.png: OK`);
    expect(
      run(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'signer.pem',
          '-rawin',
          '-in',
          'manifest.json',
          '-sigfile',
          'manifest.sig',
        ],
        unpacked,
      ),
    ).toMatch(/Signature Verified Successfully/);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', 'signer.pem', '-outform', 'DER'], {
      cwd: unpacked,
    });
    expect(sha256(der)).toBe(bundle.signer);
  });

  test('holds exactly the files of the format, with SHA256SUMS listing all but itself and its signature', () => {
    const names = [...files.keys()].sort();
    expect(names).toEqual(
      [
        'SHA256SUMS',
        'SHA256SUMS.sig',
        'VERIFY.txt',
        'custody.jsonl',
        'custody-bodies.jsonl',
        'item-records.jsonl',
        `items/${fixture.pngItemId}/original.png`,
        `items/${fixture.textItemId}/original.txt`,
        'manifest.json',
        'manifest.sig',
        'report.html',
        'report.pdf',
        'signer.pem',
        'timestamps/index.json',
      ].sort(),
    );
    const listed = files
      .get('SHA256SUMS')!
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => l.slice(66));
    expect(listed.sort()).toEqual(names.filter((n) => n !== 'SHA256SUMS' && n !== 'SHA256SUMS.sig'));
    expect(files.get('manifest.sig')!.length).toBe(64);
    expect(files.get('SHA256SUMS.sig')!.length).toBe(64);
    expect(JSON.parse(files.get('timestamps/index.json')!.toString('utf8'))).toEqual([]);
  });

  test('keeps every artifact byte for byte as imported', () => {
    expect(files.get(`items/${fixture.pngItemId}/original.png`)!.equals(fixture.png)).toBe(true);
    expect(files.get(`items/${fixture.textItemId}/original.txt`)!.equals(fixture.text)).toBe(true);
  });

  test('stores already-compressed media and report.pdf as they are (nothing to inflate on verify) and deflates text', async () => {
    const zip = await yauzl.openPromise(bundle.file);
    const methods = new Map<string, number>();
    for await (const entry of zip.eachEntry()) methods.set(entry.fileName, entry.compressionMethod);
    zip.close();
    expect(methods.get(`items/${fixture.pngItemId}/original.png`)).toBe(0);
    expect(methods.get(`items/${fixture.textItemId}/original.txt`)).toBe(8);
    expect(methods.get('manifest.json')).toBe(8);
    expect(methods.get('report.pdf')).toBe(0);
    expect(methods.get('report.html')).toBe(8);
  });

  test('the manifest names case, exporter, tool and each item with a digest recomputable from its record', () => {
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.formatVersion).toBe(2);
    expect(manifest.case).toMatchObject({ number: 'BE-1', title: 'Test case BE-1' });
    expect(manifest.exporter).toMatchObject({
      name: 'Ana Ruiz',
      agency: 'Test Unit',
      badge: '4411',
      keyFingerprint: bundle.signer,
    });
    expect(manifest.tool).toEqual({ name: 'Custos', version: expect.any(String) });
    for (const item of manifest.items) {
      expect(canonicalDigest(item.record)).toBe(item.digest);
      for (const artifact of item.artifacts) {
        expect(artifact).toEqual({
          path: expect.stringMatching(`^items/${item.id}/`),
          role: 'original',
          mediaType: expect.any(String),
          size: expect.any(Number),
          sha256: expect.any(String),
        });
      }
    }
    const png = manifest.items.find((i: { id: string }) => i.id === fixture.pngItemId);
    expect(png).toMatchObject({
      kind: 'import',
      sourceUrl: 'post.png',
      artifacts: [{ mediaType: 'image/png', size: fixture.png.length, sha256: sha256(fixture.png) }],
    });
  });

  test("custody.jsonl shows the case's entries in full and only stubs of another case's", () => {
    const lines = files
      .get('custody.jsonl')!
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const full = lines.filter((l) => !l.omitted);
    const stubs = lines.filter((l) => l.omitted);
    expect(full[0].action).toBe('case.create');
    expect(full.map((l) => l.action)).toEqual(['case.create', 'item.import', 'item.import', 'item.note']);
    expect(stubs.length).toBeGreaterThan(0);
    for (const stub of stubs) expect(Object.keys(stub).sort()).toEqual(['hash', 'omitted', 'seq']);
    expect(files.get('custody.jsonl')!.toString('utf8')).not.toContain('private to another case');
    expect(files.get('custody.jsonl')!.toString('utf8')).not.toContain(fixture.otherItemId);
    lines.slice(1).forEach((line, i) => {
      expect(line.seq).toBe(lines[i]!.seq + 1);
    });
  });

  test('report.html is self-contained, and report.pdf is its printed copy', () => {
    const html = files.get('report.html')!.toString('utf8');
    expect(html).toContain('Evidence report: case BE-1');
    expect(html).toContain('data:image/png;base64,');
    expect(html).toContain(bundle.signer);
    expect(html).toContain('received from the victim by e-mail');
    expect(html).not.toMatch(/(src|href)="(https?:|file:|\/\/)/);
    const pdf = files.get('report.pdf')!;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
    expect(text).toContain('Evidence report: case BE-1');
    expect(text).toContain(fixture.pngItemId);
  });

  test('VERIFY.txt spells out the coreutils and OpenSSL commands and the signer fingerprint', () => {
    const text = files.get('VERIFY.txt')!.toString('utf8');
    expect(text).toContain('$ if sha256sum --strict --quiet -c SHA256SUMS;');
    expect(text).toContain(
      'openssl pkeyutl -verify -pubin -inkey signer.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig',
    );
    expect(text).toContain(
      'openssl pkeyutl -verify -pubin -inkey signer.pem -rawin -in manifest.json -sigfile manifest.sig',
    );
    expect(text).toContain(bundle.signer);
  });

  test("appends a bundle.export custody entry with the bundle file's own SHA-256", () => {
    expect(sha256(fs.readFileSync(bundle.file))).toBe(bundle.sha256);
    expect(bundle.ledgerEntry.action).toBe('bundle.export');
    expect(bundle.ledgerEntry.details).toMatchObject({
      sha256: bundle.sha256,
      file: 'BE-1.zip',
      items: expect.arrayContaining([fixture.pngItemId]),
    });
    const store = fixture.temp.openForReading();
    try {
      expect(store.ledger().at(-1)).toEqual(bundle.ledgerEntry);
    } finally {
      store.close();
    }
  });

  test('a later export carries the earlier export entry, and exporting some items makes the others stubs', async () => {
    const part = await fixture.exportTo('part.zip', { itemRefs: [fixture.pngItemId] });
    const partFiles = await readZip(part.file);
    const manifest = JSON.parse(partFiles.get('manifest.json')!.toString('utf8'));
    expect(manifest.items.map((i: { id: string }) => i.id)).toEqual([fixture.pngItemId]);
    const custody = partFiles.get('custody.jsonl')!.toString('utf8');
    const full = custody
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => !l.omitted);
    expect(full.filter((l) => l.subject === fixture.textItemId)).toEqual([]);
    expect(custody).not.toContain('received from the victim');
    expect(custody).toContain(bundle.sha256);
    expect((await verifyBundle(part.file, { expectSigner: part.signer })).valid).toBe(true);
  });

  test('refuses to overwrite a file, an unknown item or an item of another case, writing nothing', async () => {
    const before = ledgerLength(fixture);
    await expect(fixture.exportTo('BE-1.zip')).rejects.toThrow(/already exists/);
    await expect(fixture.exportTo('x.zip', { itemRefs: ['no-such-item'] })).rejects.toThrow(
      /item no-such-item not found/,
    );
    await expect(fixture.exportTo('y.zip', { itemRefs: [fixture.otherItemId] })).rejects.toThrow(
      /belongs to another case/,
    );
    await expect(fixture.exportTo('missing-dir/z.zip')).rejects.toThrow(/does not exist/);
    expect(ledgerLength(fixture)).toBe(before);
    expect(fs.readdirSync(fixture.temp.base).filter((n) => /^(x|y)\.zip|partial/.test(n))).toEqual([]);
  });

  // 'grown': the export reads a file in chunks sized to the size the store recorded; bytes added
  // after that size must still be read, and caught.
  test.each([
    [
      'changed',
      (original: Buffer) =>
        Buffer.concat([original.subarray(0, 10), Buffer.from('X'), original.subarray(11)]),
    ],
    ['grown', (original: Buffer) => Buffer.concat([original, Buffer.from('appended later')])],
  ])('a blob %s on disk stops the export: no bundle, no custody entry', async (_how, edit) => {
    const store = fixture.temp.openForReading();
    const blob = store.blobs.pathOf(sha256(fixture.text));
    store.close();
    fs.chmodSync(blob, 0o644);
    const original = fs.readFileSync(blob);
    fs.writeFileSync(blob, edit(original));
    try {
      const before = ledgerLength(fixture);
      await expect(fixture.exportTo('bad.zip')).rejects.toThrow(/changed on disk.*custos audit/);
      expect(fs.existsSync(path.join(fixture.temp.base, 'bad.zip'))).toBe(false);
      expect(fs.readdirSync(fixture.temp.base).filter((n) => n.includes('partial'))).toEqual([]);
      expect(ledgerLength(fixture)).toBe(before);
    } finally {
      fs.writeFileSync(blob, original);
    }
  });
});

function ledgerLength(fixture: CaseFixture): number {
  const store = fixture.temp.openForReading();
  try {
    return store.ledger().length;
  } finally {
    store.close();
  }
}
