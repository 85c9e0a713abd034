/**
 * Bundles of format 1 (before SHA256SUMS was signed and custody-bodies.jsonl existed) stay readable:
 * a format 1 bundle, rebuilt here from a fresh export by format 1's rules and signed with the same
 * key, verifies; tampering with it is still found.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import {
  type CaseFixture,
  editManifest,
  makeCaseFixture,
  readZip,
  remadeChecksums,
  writeZip,
} from './bundle-fixtures.js';

describe('verify reads bundle format 1', { timeout: 120_000 }, () => {
  let fixture: CaseFixture;
  let formatOne: string;
  let signer: string;
  beforeAll(async () => {
    fixture = await makeCaseFixture();
    const exported = await fixture.exportTo('BE-1.zip');
    signer = exported.signer;
    const files = await readZip(exported.file);
    files.delete('SHA256SUMS.sig');
    files.delete('custody-bodies.jsonl');
    files.delete('item-records.jsonl');
    editManifest(files, (m) => {
      m.formatVersion = 1;
      m.files = m.files.filter(
        (f: { path: string }) => f.path !== 'custody-bodies.jsonl' && f.path !== 'item-records.jsonl',
      );
    });
    const store = fixture.temp.open();
    try {
      files.set('manifest.sig', store.signer().sign(files.get('manifest.json')!));
    } finally {
      store.close();
    }
    files.set('SHA256SUMS', remadeChecksums(files));
    formatOne = path.join(fixture.temp.base, 'format-1.zip');
    await writeZip(formatOne, files);
  });
  afterAll(() => fixture.temp.remove());

  test('a format 1 bundle verifies, with its format and the expected signer', async () => {
    const report = await verifyBundle(formatOne, { expectSigner: signer });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ valid: true, formatVersion: 1, signerChecked: true });
  });

  test('a changed artifact in a format 1 bundle is still found', async () => {
    const files = await readZip(formatOne);
    const name = [...files.keys()].find((n) => n.endsWith('original.txt'))!;
    files.set(name, Buffer.from('changed'));
    const changed = path.join(fixture.temp.base, 'format-1-changed.zip');
    await writeZip(changed, files);
    const report = await verifyBundle(changed);
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => p.path)).toContain(name);
  });
});
