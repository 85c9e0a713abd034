import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExportResult } from '../../../electron/core/bundle/export-bundle.js';
import { type VerifyReport, verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import {
  type CaseFixture,
  editManifest,
  makeCaseFixture,
  otherKey,
  remadeChecksums,
  resignManifestText,
  tamper,
  UNENCODABLE_RECORD_EDITS,
} from './bundle-fixtures.js';

/** The tamper catalogue: every change to a bundle fails verification and is named by the file it touched. */
describe('verify names every way a bundle can be tampered with', () => {
  let fixture: CaseFixture;
  let bundle: ExportResult;
  let pngPath: string;
  let counter = 0;
  beforeAll(async () => {
    fixture = await makeCaseFixture();
    bundle = await fixture.exportTo('BE-1.zip');
    pngPath = `items/${fixture.pngItemId}/original.png`;
  });
  afterAll(() => fixture.temp.remove());

  const tampered = (edit: Parameters<typeof tamper>[2]) =>
    tamper(bundle.file, path.join(fixture.temp.base, `tampered-${++counter}.zip`), edit);
  const problemsOf = (report: VerifyReport, file: string) =>
    report.problems.filter((p) => p.path === file).map((p) => p.problem);

  test('the untouched bundle verifies, signed by the exporter', async () => {
    const report = await verifyBundle(bundle.file, { expectSigner: bundle.signer });
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.signer).toBe(bundle.signer);
    expect(report.items.map((i) => i.id).sort()).toEqual([fixture.pngItemId, fixture.textItemId].sort());
    expect(report.items.every((i) => i.valid)).toBe(true);
  });

  test('an artifact with one byte changed is named against both the manifest and SHA256SUMS', async () => {
    const file = await tampered((files) => {
      const data = Buffer.from(files.get(pngPath)!);
      data.writeUInt8(data.readUInt8(data.length - 20) ^ 0x01, data.length - 20);
      files.set(pngPath, data);
    });
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    expect(problemsOf(report, pngPath).join('\n')).toMatch(/differs from the signed manifest/);
    expect(problemsOf(report, pngPath).join('\n')).toMatch(/does not match SHA256SUMS/);
    expect(report.items.find((i) => i.id === fixture.pngItemId)?.valid).toBe(false);
    expect(report.items.find((i) => i.id === fixture.textItemId)?.valid).toBe(true);
  });

  test('an added file is named as not listed in the signed manifest', async () => {
    const added = `items/${fixture.pngItemId}/planted.txt`;
    const file = await tampered((files) => files.set(added, Buffer.from('planted evidence')));
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    expect(problemsOf(report, added).join('\n')).toMatch(
      /not listed in the signed manifest: a file was added/,
    );
  });

  test('a removed artifact is named as missing', async () => {
    const file = await tampered((files) => files.delete(pngPath));
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    expect(problemsOf(report, pngPath).join('\n')).toMatch(/missing from the bundle/);
  });

  test('an edited manifest breaks the signature', async () => {
    const file = await tampered((files) =>
      editManifest(files, (m) => {
        m.items[0].sourceUrl = 'elsewhere.png';
      }),
    );
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    expect(problemsOf(report, 'manifest.sig').join('\n')).toMatch(/does not verify with signer.pem/);
    expect(problemsOf(report, 'manifest.json').join('\n')).toMatch(/does not match SHA256SUMS/);
  });

  test('SHA256SUMS remade after changing an artifact still fails against the signed manifest', async () => {
    const file = await tampered((files) => {
      files.set(pngPath, Buffer.concat([files.get(pngPath)!, Buffer.from('x')]));
      files.set('SHA256SUMS', remadeChecksums(files));
    });
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    expect(problemsOf(report, pngPath).join('\n')).toMatch(/differs from the signed manifest/);
    expect(problemsOf(report, 'SHA256SUMS.sig').join('\n')).toMatch(/SHA256SUMS was changed after signing/);
    expect(report.problems.some((p) => /does not match SHA256SUMS/.test(p.problem))).toBe(false);
  });

  test('SHA256SUMS remade after editing the report still fails against the signed manifest', async () => {
    const file = await tampered((files) => {
      files.set(
        'report.html',
        Buffer.from(files.get('report.html')!.toString('utf8').replace('Evidence report', 'Edited report')),
      );
      files.set('SHA256SUMS', remadeChecksums(files));
    });
    const report = await verifyBundle(file);
    expect(problemsOf(report, 'report.html').join('\n')).toMatch(/differs from the signed manifest/);
  });

  test('a dropped custody line breaks the chain', async () => {
    const file = await tampered((files) => {
      const lines = files.get('custody.jsonl')!.toString('utf8').split('\n');
      lines.splice(1, 1);
      files.set('custody.jsonl', Buffer.from(lines.join('\n')));
      files.set('SHA256SUMS', remadeChecksums(files));
    });
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    const custody = problemsOf(report, 'custody.jsonl').join('\n');
    expect(custody).toMatch(/line 2: sequence \d+ does not follow \d+/);
    expect(custody).toMatch(/chain broken/);
    expect(custody).toMatch(/does not match the signed manifest/);
  });

  test('reordered custody lines break the chain', async () => {
    const file = await tampered((files) => {
      const lines = files.get('custody.jsonl')!.toString('utf8').trimEnd().split('\n');
      const last = lines.length - 1;
      [lines[last - 1], lines[last]] = [lines[last]!, lines[last - 1]!];
      files.set('custody.jsonl', Buffer.from(`${lines.join('\n')}\n`));
    });
    const report = await verifyBundle(file);
    expect(problemsOf(report, 'custody.jsonl').join('\n')).toMatch(/lines were removed, added or reordered/);
  });

  test('an edited custody entry no longer hashes to its recorded hash', async () => {
    const file = await tampered((files) => {
      const text = files.get('custody.jsonl')!.toString('utf8');
      files.set(
        'custody.jsonl',
        Buffer.from(text.replace('received from the victim by e-mail', 'found on a bench')),
      );
    });
    const report = await verifyBundle(file);
    expect(problemsOf(report, 'custody.jsonl').join('\n')).toMatch(
      /entry \d+ was changed: its body hashes to/,
    );
  });

  test.each([
    { name: 'a number too large for a double (1e400)', value: '1e400', reason: 'Infinity is not allowed' },
    { name: 'a lone surrogate', value: '"\\ud800"', reason: 'Lone surrogate is not allowed' },
  ])(
    'a custody entry edited to hold $name is named on its line, and the lines after it are still checked',
    async ({ value, reason }) => {
      let edited = 0;
      let editedSeq = 0;
      let later = 0;
      const file = await tampered((files) => {
        const lines = files.get('custody.jsonl')!.toString('utf8').trimEnd().split('\n');
        const full = lines.flatMap((line, index) => ('omitted' in JSON.parse(line) ? [] : [index]));
        // One entry's details get a value canonical JSON cannot encode (written as text: JSON.stringify cannot) …
        edited = full[1]!;
        editedSeq = JSON.parse(lines[edited]!).seq;
        lines[edited] = lines[edited]!.replace('"details":{', `"details":{"x":${value},`);
        // … and a later one has its time edited: its own change must still be named.
        later = full[full.length - 1]!;
        const entry = JSON.parse(lines[later]!);
        entry.time = '2020-01-01T00:00:00.000Z';
        lines[later] = JSON.stringify(entry);
        files.set('custody.jsonl', Buffer.from(`${lines.join('\n')}\n`));
      });
      const report = await verifyBundle(file);
      expect(report.valid).toBe(false);
      const custody = problemsOf(report, 'custody.jsonl');
      expect(custody).toContainEqual(
        `line ${edited + 1}: entry ${editedSeq} cannot be encoded as canonical JSON (${reason}): the entry was changed`,
      );
      expect(custody).toContainEqual(
        expect.stringMatching(new RegExp(`^line ${later + 1}: entry \\d+ was changed: its body hashes to`)),
      );
      expect(custody.join('\n')).not.toMatch(/cannot be read/);
    },
  );

  test("a signature made by another key is refused by the exporter's key", async () => {
    const key = otherKey();
    const file = await tampered((files) => files.set('manifest.sig', key.sign(files.get('manifest.json')!)));
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    expect(problemsOf(report, 'manifest.sig').join('\n')).toMatch(/does not verify/);
  });

  test('a bundle re-signed whole with another key verifies on its own, and --expect-signer catches it', async () => {
    const key = otherKey();
    const file = await tampered((files) => {
      const originalPem = files.get('signer.pem')!.toString('utf8');
      editManifest(files, (m) => {
        m.keys.push({ keyFingerprint: m.exporter.keyFingerprint, publicKeyPem: originalPem });
        m.exporter.keyFingerprint = key.fingerprint;
        m.exporter.name = 'Someone Else';
      });
      files.set('signer.pem', Buffer.from(key.publicKeyPem));
      files.set('manifest.sig', key.sign(files.get('manifest.json')!));
      files.set('SHA256SUMS', remadeChecksums(files));
      files.set('SHA256SUMS.sig', key.sign(files.get('SHA256SUMS')!));
    });
    expect((await verifyBundle(file)).valid).toBe(true);
    const report = await verifyBundle(file, { expectSigner: bundle.signer });
    expect(report.valid).toBe(false);
    expect(report.signer).toBe(key.fingerprint);
    expect(problemsOf(report, 'signer.pem').join('\n')).toMatch(/re-signed by someone else/);
  });

  test('a capture record edited and re-signed no longer matches its digest nor the custody entry', async () => {
    const key = otherKey();
    const file = await tampered((files) => {
      const originalPem = files.get('signer.pem')!.toString('utf8');
      editManifest(files, (m) => {
        const item = m.items.find((i: { id: string }) => i.id === fixture.textItemId);
        item.record.metadata.originalName = 'innocent.txt';
        m.keys.push({ keyFingerprint: m.exporter.keyFingerprint, publicKeyPem: originalPem });
        m.exporter.keyFingerprint = key.fingerprint;
      });
      files.set('signer.pem', Buffer.from(key.publicKeyPem));
      files.set('manifest.sig', key.sign(files.get('manifest.json')!));
      files.set('SHA256SUMS', remadeChecksums(files));
      files.set('SHA256SUMS.sig', key.sign(files.get('SHA256SUMS')!));
    });
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    expect(problemsOf(report, `items/${fixture.textItemId}/`).join('\n')).toMatch(
      /hashes to [0-9a-f]{64}, not its digest/,
    );
  });

  test.each(UNENCODABLE_RECORD_EDITS)(
    'a capture record re-signed with $name is named as changed, not a crash',
    async ({ edit, reason }) => {
      const file = await tampered((files) => resignManifestText(files, otherKey(), edit));
      const report = await verifyBundle(file);
      expect(report.valid).toBe(false);
      const first = report.items[0]!;
      const itemProblems = problemsOf(report, `items/${first.id}/`).join('\n');
      expect(itemProblems).toMatch(
        /its capture record cannot be encoded as canonical JSON \(.+\): the record was changed/,
      );
      expect(itemProblems).toMatch(reason);
      expect(problemsOf(report, 'item-records.jsonl').join('\n')).toMatch(
        /cannot be encoded as canonical JSON/,
      );
      expect(first.valid).toBe(false);
    },
  );

  test('a timestamp listed in the index but absent is named', async () => {
    const file = await tampered((files) => {
      const digest = JSON.parse(files.get('manifest.json')!.toString('utf8')).items[0].digest as string;
      files.set(
        'timestamps/index.json',
        Buffer.from(
          JSON.stringify([
            { file: 'timestamps/1.tsr', sha256: digest, covers: fixture.pngItemId, tsa: 'x', time: '' },
          ]),
        ),
      );
    });
    const report = await verifyBundle(file);
    expect(report.valid).toBe(false);
    expect(problemsOf(report, 'timestamps/1.tsr').join('\n')).toMatch(/missing from the bundle/);
    expect(problemsOf(report, 'timestamps/index.json').join('\n')).toMatch(
      /differs from the signed manifest/,
    );
  });
});
