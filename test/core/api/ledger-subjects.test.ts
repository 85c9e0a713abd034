/**
 * The custody log names what each entry concerns: an item by its title, a case by its number;
 * and the item an entry opens (the item itself, or the capture a watch check made).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../../electron/core/api/api-service.js';
import { withSubjects } from '../../../electron/core/api/services/ledger-subjects.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { addSelector } from '../../../electron/core/selectors/selector-service.js';
import type { LedgerPage } from '../../../shared/api.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('custody log subjects', () => {
  let temp: TempStore;
  let api: ApiService;
  let itemId: string;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    const store = temp.open();
    itemId = (await importFile(store, 'BE-1', temp.writeFile('boat-ad.txt', 'crossing'))).id;
    store.addTag(itemId, 'boat');
    addSelector(store, { value: '+218 91 234 5678', label: 'broker', caseRef: 'BE-1' });
    store.close();
    api = createApiService({ storeDir: temp.dir, exportDir: path.join(temp.base, 'exports') });
  });
  afterAll(() => {
    api?.close();
    temp?.remove();
  });

  it('shows an item by its title and opens it; the case by its number and a selector by its value, opening nothing', async () => {
    const result = await api.call('queryLedger', { caseRef: 'BE-1' });
    if (!result.ok) throw new Error(result.error.message);
    const rows = (result.value as LedgerPage).rows;
    expect(rows.map((r) => [r.action, r.subjectLabel, r.itemId])).toEqual([
      ['case.create', 'BE-1', null],
      ['item.import', 'boat-ad.txt', itemId],
      ['item.tag', 'boat-ad.txt', itemId],
      ['selector.add', '+218912345678 (broker)', null],
    ]);
  });

  it('a watch check opens the capture it made', () => {
    const store = temp.openForReading();
    try {
      const [entry] = store.ledger('BE-1');
      const check = { ...entry!, action: 'watch.check', subject: 'watch-1', details: { itemId } };
      expect(withSubjects(store.db, [check])[0]).toMatchObject({ itemId, subjectLabel: null });
    } finally {
      store.close();
    }
  });
});
