import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { SCHEMA_VERSION } from '../../../electron/core/store/migrations/index.js';
import { apiForStore } from '../../support/api-for-store.js';
import { backToSchemaVersion16, schemaVersionOf } from '../../support/older-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('the app opens a store an older Custos wrote', () => {
  let temp: TempStore;
  let api: ApiService | undefined;
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'OLD-1' });
    const store = temp.open();
    try {
      await importFile(store, temp.caseId ?? '', temp.writeFile('ad.txt', 'crossing 3000 EUR'));
    } finally {
      store.close();
    }
    backToSchemaVersion16(temp.dir);
  });
  afterEach(() => {
    api?.close();
    temp.remove();
  });

  it('upgrades it on the first read and lists its cases and items, then lets the writer lock go', async () => {
    // Before, every read answered "run any write command (such as `custos init`) once to upgrade
    // it": a command the app's user never types, and the evidence list stayed empty.
    api = apiForStore(temp);
    const cases = await api.call('listCases', {});
    expect(cases.ok, JSON.stringify(cases)).toBe(true);
    expect(cases.ok && (cases.value as { number: string; itemCount: number }[])).toEqual([
      expect.objectContaining({ number: 'OLD-1', itemCount: 1 }),
    ]);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
    temp.open().close(); // the writer lock is free again: the `custos` command can write
  });
});
