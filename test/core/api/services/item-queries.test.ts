import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryItemPage } from '../../../../electron/core/api/services/item-queries.js';
import { deriveMissing } from '../../../../electron/core/derive/derive-items.js';
import { importFile } from '../../../../electron/core/import/import-file.js';
import { extendCommonWords } from '../../../../electron/core/search/impact-lists.js';
import { bestByImpact } from '../../../../electron/core/search/impact-ranking.js';
import { searchItems } from '../../../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../../../electron/core/search/search-query.js';
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
    // The oldest names it most (it matches best); the newer ones once, among more words.
    for (let i = 0; i < 5; i++) {
      const text =
        i === 0
          ? 'Zarzis, Zarzis, Zarzis: boat 0 leaving Zarzis'
          : `boat ${i} leaving Zarzis, 2500 € a person, children half price, life jackets for all`;
      ids.push((await importFile(store, temp.caseId ?? '', temp.writeFile(`zarzis-${i}.txt`, text))).id);
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
      { matchCap },
    );

  it('lists every match, each with its snippet, while they are fewer than the cap', () => {
    const page = list('zarzis', 5);
    expect(page.total).toBe(5);
    expect(page.matchCap).toBeUndefined();
    expect(page.rows.map((r) => r.id)).toEqual(ids);
    for (const row of page.rows) {
      const marked = row.snippet?.marks.map(([s, e]) => row.snippet?.text.slice(s, e));
      expect(new Set(marked)).toEqual(new Set(['Zarzis']));
    }
  });

  it('past the cap, holds the best-ranked matches (the oldest, which matches best, among them) in the chosen order and says the cap', () => {
    const page = list('zarzis', 3);
    expect(page.matchCap).toBe(3);
    expect(page.total).toBe(3);
    // the three the search ranks best, listed by title; a cap that kept the newest dropped ids[0]
    const best = searchItems(store.db, { query: 'zarzis', caseId: temp.caseId }).hits.slice(0, 3);
    expect(best[0]?.id).toBe(ids[0]);
    const kept = ids.filter((id) => best.some((hit) => hit.id === id));
    expect(page.rows.map((r) => r.id)).toEqual(kept);
    const reversed = list('zarzis', 3, { descending: true, offset: 1, limit: 1 });
    expect(reversed.rows.map((r) => r.id)).toEqual([kept[1]]);
  });

  it('past the cap, a word with an impact list keeps the same matches as ranking every one, and the same count', () => {
    const ranked = list('zarzis', 3);
    const parsed = parseSearchQuery('zarzis');
    expect(bestByImpact(store.db, parsed.terms, null, 3)).toBeNull();
    store.transaction((db) => extendCommonWords(db, 5));
    // the list now comes from the word's impact list (the test would pass without it otherwise)
    expect(bestByImpact(store.db, parsed.terms, null, 3)).toHaveLength(3);
    for (const cap of [1, 2, 3, 4]) {
      const fromList = list('zarzis', cap);
      expect(fromList.matchCap).toBe(cap);
      const best = searchItems(store.db, { query: 'zarzis', caseId: temp.caseId }).hits.slice(0, cap);
      expect(fromList.rows.map((r) => r.id)).toEqual(ids.filter((id) => best.some((hit) => hit.id === id)));
    }
    expect(list('zarzis', 3)).toEqual(ranked);
  });

  it('a later block of the same search is the same list, and a change to the case is seen at once', async () => {
    const first = list('zarzis', 3, { limit: 2 });
    const second = list('zarzis', 3, { offset: 2, limit: 2 });
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(list('zarzis', 3).rows.map((r) => r.id));
    // a new item that matches best of all, imported and indexed through the same connection
    const best = await importFile(
      store,
      temp.caseId ?? '',
      temp.writeFile('zarzis-best.txt', 'Zarzis Zarzis Zarzis Zarzis Zarzis'),
    );
    await deriveMissing(store);
    expect(list('zarzis', 3).rows.map((r) => r.id)).toContain(best.id);
  });

  it('still finds an item by a digest or id prefix pasted from a report, besides index matches', () => {
    const item = store.getItem(ids[1] ?? '');
    expect(list(item.digest.slice(0, 10)).rows.map((r) => r.id)).toEqual([item.id]);
    expect(list(item.id.slice(0, 8)).rows.map((r) => r.id)).toEqual([item.id]);
    // a short or non-hex word is never read as a prefix
    expect(list(item.digest.slice(0, 4)).total).toBe(0);
  });

  it('a search with no letters or digits in it lists nothing (no error), and the list without it lists every item', () => {
    for (const search of ['"', '* -', '()']) {
      expect(list(search)).toMatchObject({ total: 0, rows: [] });
    }
    expect(list('').total).toBe(6);
  });
});
