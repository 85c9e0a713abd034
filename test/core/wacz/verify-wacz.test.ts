/**
 * `verifyWacz` on WACZ files made here as other tools make them (no custos/ folder), so that a
 * WACZ from ArchiveWeb.page or py-wacz is checked by the specification alone.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { verifyWacz } from '../../../electron/core/wacz/verify-wacz.js';
import type { WaczVerification } from '../../../shared/api.js';
import { apiForStore } from '../../support/api-for-store.js';
import { makeTempDir, makeTempStore } from '../../support/temp-store.js';
import { writeZip } from '../bundle/bundle-fixtures.js';
import { otherToolsWacz } from './wacz-fixtures.js';

const dir = makeTempDir('custos-wacz-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p256Spki = p256.publicKey.export({ type: 'spki', format: 'der' });
const anonymous = (hash: string) => ({
  hash,
  created: '2024-01-01T00:00:00Z',
  software: 'another tool',
  signature: sign('sha256', Buffer.from(hash), p256.privateKey).toString('base64'),
  publicKey: p256Spki.toString('base64'),
});

async function verified(name: string, files: Map<string, Buffer>, options = {}) {
  const file = path.join(dir, name);
  await writeZip(file, files);
  return verifyWacz(file, options);
}

describe("verify of another tool's WACZ", () => {
  test('an anonymous P-256 signature in DER verifies, and the signer is the SHA-256 of its key', async () => {
    const report = await verified('other.wacz', otherToolsWacz(anonymous));
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ valid: true, pages: 1, resources: 3, software: 'another tool' });
    expect(report.signer).toBe(createHash('sha256').update(p256Spki).digest('hex'));
    const expected = await verified('other-expected.wacz', otherToolsWacz(anonymous), {
      expectSigner: report.signer,
    });
    expect(expected).toMatchObject({ valid: true, signerChecked: true });
  });

  test('an unsigned WACZ is invalid, naming datapackage-digest.json', async () => {
    const report = await verified(
      'unsigned.wacz',
      otherToolsWacz(() => undefined),
    );
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      { path: 'datapackage-digest.json', problem: expect.stringMatching(/carries no signature/) },
    ]);
  });

  test('a signedData with a property the recommendation does not list, or a domain certificate, is a problem, never silently valid', async () => {
    const extra = await verified(
      'extra.wacz',
      otherToolsWacz((hash) => ({ ...anonymous(hash), note: 'x' })),
    );
    expect(extra.problems).toContainEqual({
      path: 'datapackage-digest.json',
      problem: expect.stringMatching(/note/),
    });
    const domain = await verified(
      'domain.wacz',
      otherToolsWacz((hash) => ({
        ...anonymous(hash),
        publicKey: undefined,
        domain: 'example.org',
        domainCert: 'PEM',
      })),
    );
    expect(domain.valid).toBe(false);
    expect(domain.problems).toContainEqual({
      path: 'datapackage-digest.json',
      problem: expect.stringMatching(/domain certificate/),
    });
  });

  test("a domain certificate, which Custos does not check, is named so through the app's API, and as `custos verify` by the command", async () => {
    const domainSigned = otherToolsWacz((hash) => ({
      ...anonymous(hash),
      publicKey: undefined,
      domain: 'example.org',
      domainCert: 'PEM',
    }));
    const cli = await verified('domain-cli.wacz', domainSigned);
    expect(cli.problems.map((p) => p.problem)).toContain(
      'is signed with a domain certificate (signedData.domain), which custos verify does not check; check it with a WACZ tool that does (py-wacz validate)',
    );
    const temp = makeTempStore();
    const api = apiForStore(temp);
    try {
      const file = path.join(dir, 'domain-window.wacz');
      await writeZip(file, domainSigned);
      const result = await api.call('verifyWacz', { path: file });
      if (!result.ok) throw new Error(result.error.message);
      expect((result.value as WaczVerification).problems.map((p) => p.problem)).toContain(
        'is signed with a domain certificate (signedData.domain), which Custos does not check; check it with a WACZ tool that does (py-wacz validate)',
      );
    } finally {
      api.close();
      temp.remove();
    }
  });
});
