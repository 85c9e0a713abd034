// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { bundleChecks } from '../../renderer/src/screens/verify-checks.js';
import type { BundleVerification } from '../../shared/api.js';

const report = (problems: BundleVerification['problems']): BundleVerification => ({
  valid: problems.length === 0,
  signer: 'a'.repeat(64),
  items: [],
  timestamps: [],
  problems,
  case: null,
  exporter: null,
  exportedAt: null,
  files: 10,
  sealed: false,
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
