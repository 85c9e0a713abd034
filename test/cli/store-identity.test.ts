import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey, privateKeyPath } from '../../electron/core/store/signing-key.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import type { AuditReport } from '../../shared/domain.js';
import { runCustos } from '../support/run-custos.js';
import { type SeededEvidence, seedStore } from '../support/seed-store.js';
import { dropAppendOnlyTriggers, sqliteShell } from '../support/sqlite.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { storeState } from './store-state.js';

describe('the store defends its identity', { timeout: 120_000 }, () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  let fingerprint: string;

  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'ID-1' });
    seeded = await seedStore(temp, { files: 2 });
    const store = temp.openForReading();
    fingerprint = store.requireInvestigator().keyFingerprint;
    store.close();
  });
  afterEach(() => temp.remove());

  /** Puts another Ed25519 private key where the store's own key file is, as an attacker or a bad restore would. */
  function replaceKeyFile(): string {
    const other = generateSigningKey();
    const file = privateKeyPath(storeLayout(temp.dir).keys, fingerprint);
    fs.chmodSync(file, 0o600);
    fs.writeFileSync(file, other.privateKeyPem);
    return other.fingerprint;
  }

  it('a replaced signing key is refused before any write: note, import and export exit 1, say which fingerprints differ, and write nothing', async () => {
    const otherFingerprint = replaceKeyFile();
    const before = storeState(temp.dir);
    const file = temp.writeFile('new-evidence.txt', 'must not be stored\n');
    const out = path.join(temp.base, 'bundle.zip');
    const item = seeded.items[0]?.id ?? '';
    for (const args of [
      ['note', item, 'signed with the wrong key?'],
      ['import', file, '--case', 'ID-1'],
      ['export', '--case', 'ID-1', '--out', out],
    ]) {
      const result = await runCustos(args, { store: temp.dir });
      expect(result.status, `${args[0]}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toContain(otherFingerprint);
      expect(result.stderr).toContain(fingerprint);
      expect(result.stderr).toMatch(/nothing was written/);
    }
    expect(storeState(temp.dir)).toEqual(before);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('audit names a replaced key file and exits 1', async () => {
    const otherFingerprint = replaceKeyFile();
    const result = await runCustos(['audit'], { store: temp.dir, json: true });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as AuditReport;
    expect(report.problems).toContainEqual({
      subject: expect.stringMatching(/^investigator Ana Ruiz /),
      problem: expect.stringContaining(`its public key's fingerprint is ${otherFingerprint}`),
    });
  });

  it('an investigator edited behind Custos (triggers dropped) fails the audit naming the row and the signed value, and is refused as exporter', async () => {
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('investigators')} UPDATE investigators SET name = 'Someone Else', badge = '9999';`,
    );
    const audit = await runCustos(['audit'], { store: temp.dir, json: true });
    expect(audit.status).toBe(1);
    const problems = (JSON.parse(audit.stdout) as AuditReport).problems;
    expect(problems).toContainEqual({
      subject: expect.stringMatching(/^investigator Someone Else /),
      problem: 'name is "Someone Else", custody entry 1 (store.init) signed "Ana Ruiz"',
    });
    expect(problems).toContainEqual({
      subject: expect.stringMatching(/^investigator Someone Else /),
      problem: 'badge is "9999", custody entry 1 (store.init) signed "4411"',
    });

    const out = path.join(temp.base, 'bundle.zip');
    const exported = await runCustos(['export', '--case', 'ID-1', '--out', out], { store: temp.dir });
    expect(exported.status).toBe(1);
    expect(exported.stderr).toContain('name is "Someone Else"');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('an untouched store audits clean and writes as before', async () => {
    expect(
      (await runCustos(['note', seeded.items[0]?.id ?? '', 'still fine'], { store: temp.dir })).status,
    ).toBe(0);
    expect((await runCustos(['audit'], { store: temp.dir })).status).toBe(0);
  });
});
