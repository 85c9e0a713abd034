// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { bundleChecks, waczChecks } from '../../renderer/src/screens/verify-checks.js';
import type { BundleVerification, WaczVerification } from '../../shared/api.js';

const report = (problems: BundleVerification['problems']): BundleVerification => ({
  valid: problems.length === 0,
  signer: 'a'.repeat(64),
  signerChecked: false,
  items: [],
  timestamps: [],
  problems,
  warnings: [],
  case: null,
  exporter: null,
  exportedAt: null,
  files: 10,
  sealed: false,
  formatVersion: 2,
  evidenceSha256: null,
});

describe('bundle checks on the verify screen', () => {
  it('shows every check green for a valid bundle', () => {
    const checks = bundleChecks(report([]));
    expect(checks.map((c) => c.id)).toEqual([
      'structure',
      'signature',
      'files',
      'checksums',
      'manifest',
      'items',
      'custody',
      'timestamps',
    ]);
    expect(checks.every((c) => c.problems.length === 0)).toBe(true);
  });

  it('puts each problem under the check a recipient would look at', () => {
    const changed = { path: 'items/1/screenshot.png', problem: 'does not match SHA256SUMS: it hashes to …' };
    const digest = { path: 'items/1/screenshot.png', problem: 'content differs from the signed manifest' };
    const signature = { path: 'manifest.sig', problem: 'does not verify with signer.pem' };
    const listSignature = {
      path: 'SHA256SUMS.sig',
      problem: 'does not verify with signer.pem: SHA256SUMS was changed after signing',
    };
    const bodies = { path: 'custody-bodies.jsonl', problem: 'is not, line by line, the signed bodies' };
    const extra = { path: 'notes.txt', problem: 'is not listed in the signed manifest: a file was added' };
    const custody = { path: 'custody.jsonl', problem: 'line 3: hash chain broken' };
    const odd = { path: 'report.pdf', problem: 'cannot be read: bad zip entry' };
    const byId = Object.fromEntries(
      bundleChecks(report([changed, digest, signature, listSignature, extra, custody, bodies, odd])).map(
        (c) => [c.id, c.problems],
      ),
    );
    expect(byId.checksums).toEqual([changed]);
    expect(byId.items).toEqual([digest]);
    expect(byId.signature).toEqual([signature, listSignature]);
    expect(byId.custody).toEqual([custody, bodies]);
    expect(byId.files).toEqual([extra]);
    expect(byId.other).toEqual([odd]);
  });
});

const waczReport = (problems: WaczVerification['problems']): WaczVerification => ({
  valid: problems.length === 0,
  format: 'wacz',
  waczVersion: '1.1.1',
  signer: 'a'.repeat(64),
  signerChecked: false,
  publicKey: null,
  created: null,
  software: null,
  datapackageSha256: null,
  case: null,
  pages: 1,
  resources: 14,
  timestamp: null,
  problems,
  warnings: [],
});

describe('WACZ checks on the verify screen', () => {
  it('puts each problem custos verify FILE.wacz names under the check it breaks, nothing under other', () => {
    const warc = 'archive/3e5a.warc.gz';
    const checks = waczChecks(
      waczReport([
        {
          path: warc,
          problem:
            'content differs from datapackage.json: it hashes to sha256:1, datapackage.json says sha256:2',
        },
        { path: warc, problem: "hashes to 1, item 3e5a's capture record says 2" },
        { path: 'extra.txt', problem: 'is not listed in datapackage.json: a file was added' },
        { path: 'datapackage.json', problem: 'does not match its digest: it hashes to 1' },
        { path: 'datapackage-digest.json', problem: 'signature does not verify' },
        { path: 'custos/signer.json', problem: 'names another signing key than signedData.publicKey' },
      ]),
    );
    const failed = Object.fromEntries(checks.map((c) => [c.id, c.problems.map((p) => p.path)]));
    expect(failed).toEqual({
      structure: [],
      files: ['extra.txt'],
      resources: [warc],
      datapackage: ['datapackage.json'],
      timestamps: [],
      signature: ['datapackage-digest.json', 'custos/signer.json'],
      pages: [warc],
    });
  });
});
