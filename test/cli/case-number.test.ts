import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseFileStem } from '../../shared/file-names.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

describe('case numbers written with slashes (BE/2026/0457)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let temp: TempStore;
  beforeAll(() => {
    temp = makeTempStore();
  });
  afterAll(() => temp?.remove());

  const custos = (...args: string[]) => runCustos(args, { store: temp.dir });

  it('are accepted by `custos case create` and name the case everywhere a case is named', async () => {
    const created = await custos('case', 'create', '--number', 'BE/2026/0457', '--title', 'Crossings');
    expect(created.status, created.stderr).toBe(0);
    expect((await custos('case', 'show', 'BE/2026/0457')).stdout).toContain('Case BE/2026/0457: Crossings');
    const imported = await runCustosJson<ItemsJson>(
      ['import', temp.writeFile('ad.txt', 'crossing'), '--case', 'BE/2026/0457'],
      { store: temp.dir },
    );
    expect(imported.status, imported.stderr).toBe(0);
    const out = `${temp.base}/${caseFileStem('BE/2026/0457')}.zip`;
    const exported = await custos('export', '--case', 'BE/2026/0457', '--out', out);
    expect(exported.status, exported.stderr).toBe(0);
    expect((await custos('verify', out)).status).toBe(0);
  });

  it('a space or a backslash is still refused with what to write instead, and nothing is written', async () => {
    for (const number of ['BE 2026', 'BE\\2026']) {
      const refused = await custos('case', 'create', '--number', number, '--title', 'x');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('e.g. BE/2026/0457');
    }
  });

  it('become safe file names: no folder, no separator', () => {
    expect(caseFileStem('BE/2026/0457')).toBe('BE-2026-0457');
    expect(caseFileStem('../../etc')).toBe('etc');
    expect(caseFileStem('///')).toBe('case');
  });
});
