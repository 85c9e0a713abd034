import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { queryItemPage } from '../../../electron/core/api/services/item-queries.js';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { deriveMissing } from '../../../electron/core/derive/derive-items.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { searchItems } from '../../../electron/core/search/search-queries.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('tags: removal and bulk tagging', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  let ids: string[];
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'TG-1' });
    store = temp.open();
    ids = [];
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      ids.push((await importFile(store, 'TG-1', temp.writeFile(name, `ad ${name}`))).id);
    }
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  const tagsOf = (id: string) => store.getItemSummary(id).tags;
  const actions = () =>
    store.ledger('TG-1').map((e) => `${e.action} ${e.subject} ${e.details.tag ?? ''}`.trim());

  test('removing a tag takes it off the item, appends an item.untag entry, and the history keeps the tag', () => {
    const [id = ''] = ids;
    store.addTag(id, 'payment');
    store.addTag(id, 'boat');
    const entry = store.removeTag(id, 'payment');
    expect(entry).toMatchObject({ action: 'item.untag', subject: id, details: { tag: 'payment' } });
    expect(tagsOf(id)).toEqual(['boat']);
    expect(actions().slice(-3)).toEqual([
      `item.tag ${id} payment`,
      `item.tag ${id} boat`,
      `item.untag ${id} payment`,
    ]);
    store.addTag(id, 'payment');
    expect(tagsOf(id)).toEqual(['boat', 'payment']);
  });

  test('removing a tag the item does not have is bad input and writes nothing', () => {
    const [id = ''] = ids;
    store.addTag(id, 'boat');
    const before = store.ledger().length;
    expect(() => store.removeTag(id, 'payment')).toThrow(/has no tag "payment" \(its tags: boat\)/);
    expect(store.ledger()).toHaveLength(before);
  });

  test('the audit stays clean after a removal (each untag annotation matches its custody entry)', async () => {
    const [id = ''] = ids;
    store.addTag(id, 'boat');
    store.removeTag(id, 'boat');
    const report = await runAudit(store);
    expect(report.problems).toEqual([]);
  });

  test('tagging several items is one call with one custody entry per item, all or none', () => {
    const entries = store.tagItems(ids, 'same-seller');
    expect(entries.map((e) => [e.action, e.subject])).toEqual(ids.map((id) => ['item.tag', id]));
    for (const id of ids) expect(tagsOf(id)).toEqual(['same-seller']);
    const before = store.ledger().length;
    expect(() => store.tagItems([ids[0] ?? '', 'no-such-item'], 'x')).toThrow(/item no-such-item not found/);
    expect(store.ledger()).toHaveLength(before);
    store.tagItems(ids.slice(0, 2), 'same-seller', { remove: true });
    expect(ids.map(tagsOf)).toEqual([[], [], ['same-seller']]);
  });

  test('a removed tag no longer filters the list, is no longer among the case tags, and no longer finds the item', async () => {
    const [id = ''] = ids;
    store.addTag(id, 'zodiac');
    await deriveMissing(store);
    expect(searchItems(store.db, { query: 'zodiac' }).total).toBe(1);
    store.removeTag(id, 'zodiac');
    await deriveMissing(store);
    expect(searchItems(store.db, { query: 'zodiac' }).total).toBe(0);
    const caseId = temp.caseId ?? '';
    const page = queryItemPage(store.db, caseId, {
      caseRef: caseId,
      offset: 0,
      limit: 10,
      sort: 'capturedAt',
      descending: false,
      search: '',
      tag: 'zodiac',
    });
    expect(page.total).toBe(0);
  });
});
