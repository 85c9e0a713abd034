/**
 * The API's verifyBundle and verifyWacz answer what `custos verify` answers, from the same core: a
 * bundle stamped by a real local RFC 3161 authority (OpenSSL behind HTTP on 127.0.0.1) is verified
 * through the API service with and without the recipient's root file and expected key, and a root
 * file that holds no certificate is bad input with the CLI's words before anything is verified.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../../../electron/core/api/api-service.js';
import type { ExportResult } from '../../../../electron/core/bundle/export-bundle.js';
import { verifyBundle } from '../../../../electron/core/bundle/verify-bundle.js';
import type { ApiResult, BundleVerification } from '../../../../shared/api.js';
import { localTsaForTests } from '../../../support/local-tsa.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';
import { type CaseFixture, stampedCaseBundle } from '../../bundle/bundle-fixtures.js';

const localTsa = localTsaForTests();
let fixture: CaseFixture;
let bundle: ExportResult;
let dir: string;
let api: ApiService;

beforeAll(async () => {
  ({ fixture, bundle } = await stampedCaseBundle(localTsa()));
  // The recipient's workstation: a store of its own, which verifying never opens.
  dir = makeTempDir();
  api = createApiService({ storeDir: path.join(dir, 'store'), exportDir: path.join(dir, 'exports') });
}, 120_000);

afterAll(() => {
  api?.close();
  if (dir) removeTempDir(dir);
  fixture?.temp.remove();
});

function value(result: ApiResult<unknown>): BundleVerification {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.kind}: ${result.error.message}`);
  return result.value as BundleVerification;
}

describe('verifyBundle through the API', () => {
  it('without roots or key: valid as signed, signer not checked, tokens trusted only by the investigator, no trusted time', async () => {
    const report = value(await api.call('verifyBundle', { path: bundle.file }));
    expect(report.valid).toBe(true);
    expect(report.signerChecked).toBe(false);
    expect(report.signer).toBe(bundle.signer);
    expect(report.timestamps.map((t) => t.trust)).toEqual([
      'investigator-root',
      'investigator-root',
      'investigator-root',
    ]);
    expect(report.items.map((item) => item.trustedTime)).toEqual([null, null]);
    expect(report.warnings.length).toBeGreaterThan(0);
    expect(report.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('with the root file and the expected key: the same report as the core gives the CLI, every item timed', async () => {
    const input = { path: bundle.file, expectSigner: bundle.signer, tsaRoots: [localTsa().caFile] };
    const report = value(await api.call('verifyBundle', input));
    expect(report).toEqual(
      await verifyBundle(bundle.file, { expectSigner: bundle.signer, tsaRootsPem: [localTsa().caPem] }),
    );
    expect(report.signerChecked).toBe(true);
    expect(report.timestamps.every((t) => t.trust === 'recipient-root')).toBe(true);
    expect(report.items.every((item) => item.trustedTime !== null)).toBe(true);
    expect(report.warnings).toEqual([]);
  }, 60_000);

  it('refuses a root file with no certificate, or missing, as bad input naming it, before verifying', async () => {
    const notes = fixture.temp.writeFile('notes.txt', 'not a certificate\n');
    for (const method of ['verifyBundle', 'verifyWacz'] as const) {
      const result = await api.call(method, { path: bundle.file, tsaRoots: [notes] });
      expect(result).toEqual({
        ok: false,
        error: {
          kind: 'bad-input',
          message: `the TSA root file ${notes} holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the root certificate of an authority you trust, in PEM; nothing was verified`,
        },
      });
    }
    const missing = path.join(dir, 'nope.pem');
    const result = await api.call('verifyBundle', { path: bundle.file, tsaRoots: [missing] });
    expect(!result.ok && result.error).toEqual({
      kind: 'bad-input',
      message: `the TSA root file ${missing} cannot be read (ENOENT); nothing was verified`,
    });
  });
});
