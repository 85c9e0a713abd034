import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveMissing } from '../../../electron/core/derive/derive-items.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { indexedIdentifiers } from '../../../electron/core/search/identifiers.js';
import { searchItems } from '../../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../../electron/core/search/search-query.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('search finds identifiers in any written form, and words by prefix', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  const ids: Record<string, string> = {};
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    store = temp.open();
    const files: Record<string, string> = {
      'post.txt': 'Boat to Lampedusa every Thursday. Call +218 91 234 5678 to book.',
      'local.txt': 'Zuwara office, Libya: call 091 765 4321 after noon.',
      'iban.txt': 'Pay the deposit to LY83 0020 4800 0020 1001 2036 1 before leaving.',
      'IMG_2024-06-03.txt': 'beach at dawn',
      'other.txt': 'A page with the date 2024 06 03 and no number in it.',
    };
    for (const [name, text] of Object.entries(files)) {
      ids[name] = (await importFile(store, temp.caseId ?? '', temp.writeFile(name, text))).id;
    }
    await deriveMissing(store);
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  const found = (query: string, caseId: string | null = null): string[] =>
    searchItems(store.db, { query, caseId })
      .hits.map((hit) => hit.id)
      .sort();

  it('a phone number with or without +, spaces or the national prefix finds the post that wrote it in groups', () => {
    for (const query of [
      '+218912345678',
      '218912345678',
      '00218912345678',
      '+218 91 234 5678',
      '0912345678',
    ]) {
      expect(found(query), query).toEqual([ids['post.txt']]);
    }
    expect(found('0912345678', temp.caseId ?? null)).toEqual([ids['post.txt']]);
  });

  it('a number written nationally in a Libyan post is found by its international form', () => {
    expect(found('+218917654321')).toEqual([ids['local.txt']]);
    expect(found('0917654321')).toEqual([ids['local.txt']]);
  });

  it('the snippet marks the number as the post wrote it', () => {
    const [hit] = searchItems(store.db, { query: '218912345678' }).hits;
    const marked = hit?.snippet?.marks.map(([s, e]) => hit.snippet?.text.slice(s, e));
    expect(marked).toEqual(['218 91 234 5678']);
  });

  it('an IBAN typed compact or in groups, in any case, finds the one written the other way', () => {
    expect(found('LY83002048000020100120361')).toEqual([ids['iban.txt']]);
    expect(found('ly83 0020 4800 0020 1001 2036 1')).toEqual([ids['iban.txt']]);
  });

  it('IMG_2024 finds IMG_2024-06-03 (the tokenizer splits at _ and -), and digit groups stay words', () => {
    expect(found('IMG_2024')).toEqual([ids['IMG_2024-06-03.txt']]);
    // Not read as one number 20240603: the date written in groups is found as a phrase.
    expect(found('"2024 06 03"')).toEqual([ids['IMG_2024-06-03.txt'], ids['other.txt']].sort());
  });

  it('a one- or two-letter word is not a prefix (bounded work), a longer one is', () => {
    expect(parseSearchQuery('to').terms[0]?.prefix).toBe(false);
    expect(parseSearchQuery('Lam').terms[0]?.prefix).toBe(true);
    expect(found('Lam')).toEqual([ids['post.txt']]);
  });
});

describe('identifiers indexed beside the text', () => {
  it('are the phone numbers (E.164 and national digits) and IBANs, never digits of a messenger link', async () => {
    const temp = makeTempStore({ caseNumber: 'BE-1' });
    const store = temp.open();
    try {
      const id = (
        await importFile(
          store,
          temp.caseId ?? '',
          temp.writeFile(
            'ad.txt',
            'WhatsApp +218 91 234 5678, group https://chat.whatsapp.com/AbCdEf1234567890XyZ, IBAN LY83 0020 4800 0020 1001 2036 1',
          ),
        )
      ).id;
      await deriveMissing(store);
      expect(indexedIdentifiers(store.db, id).split('\n').sort()).toEqual(
        ['0912345678', '218912345678', 'ly83002048000020100120361'].sort(),
      );
    } finally {
      store.close();
      temp.remove();
    }
  });
});
