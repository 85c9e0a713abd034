import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryItemPage } from '../../../../electron/core/api/services/item-queries.js';
import { deriveMissing } from '../../../../electron/core/derive/derive-items.js';
import { importFile } from '../../../../electron/core/import/import-file.js';
import type { EvidenceStore } from '../../../../electron/core/store/evidence-store.js';
import type { ApiParsedInput } from '../../../../shared/api.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';

describe('the evidence list searched through the full-text index', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  let ids: string[];
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    store = temp.open();
    ids = [];
    // Five ads that all name Zarzis, imported (and indexed) in this order; a sixth that does not.
    for (let i = 0; i < 5; i++) {
      const file = temp.writeFile(`zarzis-${i}.txt`, `boat ${i} leaving Zarzis, 2500 € a person`);
      ids.push((await importFile(store, temp.caseId ?? '', file)).id);
    }
    await importFile(store, temp.caseId ?? '', temp.writeFile('other.txt', 'a car to the border'));
    await deriveMissing(store);
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  const list = (search: string, matchCap?: number, more: Partial<ApiParsedInput<'queryItems'>> = {}) =>
    queryItemPage(
      store.db,
      temp.caseId ?? '',
      {
        caseRef: temp.caseId ?? '',
        offset: 0,
        limit: 100,
        sort: 'title',
        descending: false,
        search,
        ...more,
      },
      matchCap,
    );

  it('lists every match, each with its snippet, while they are fewer than the cap', () => {
    const page = list('zarzis', 5);
    expect(page.total).toBe(5);
    expect(page.matchCap).toBeUndefined();
    expect(page.rows.map((r) => r.id)).toEqual(ids);
    for (const row of page.rows) {
      expect(row.snippet?.marks.map(([s, e]) => row.snippet?.text.slice(s, e))).toEqual(['Zarzis']);
    }
  });

  it('past the cap, holds the latest indexed matches in the chosen order and says the cap', () => {
    const page = list('zarzis', 3);
    expect(page.matchCap).toBe(3);
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.id)).toEqual(ids.slice(2));
    const reversed = list('zarzis', 3, { descending: true, offset: 1, limit: 1 });
    expect(reversed.rows.map((r) => r.id)).toEqual([ids[3]]);
  });

  it('still finds an item by a digest or id prefix pasted from a report, besides index matches', () => {
    const item = store.getItem(ids[1] ?? '');
    expect(list(item.digest.slice(0, 10)).rows.map((r) => r.id)).toEqual([item.id]);
    expect(list(item.id.slice(0, 8)).rows.map((r) => r.id)).toEqual([item.id]);
    // a short or non-hex word is never read as a prefix
    expect(list(item.digest.slice(0, 4)).total).toBe(0);
  });
});
