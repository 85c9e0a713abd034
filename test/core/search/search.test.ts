import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveMissing } from '../../../electron/core/derive/derive-items.js';
import { CustosError } from '../../../electron/core/errors.js';
import { searchItems } from '../../../electron/core/search/search-queries.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { SearchPage } from '../../../shared/api.js';
import { importAds } from '../../support/ad-fixtures.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('full-text search over imported ads (Arabic, Persian, English, French, Italian, Tigrinya)', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  let ads: Record<string, string>;
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    store = temp.open();
    ads = await importAds(store, temp.caseId ?? '');
    await deriveMissing(store);
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  const search = (query: string, caseId?: string): SearchPage => searchItems(store.db, { query, caseId });
  const found = (query: string): string[] => search(query).hits.map((hit) => hit.id);
  const file = (name: string): string => ads[name] ?? '';

  it('a word that is in no item finds nothing', () => {
    expect(search('Zanzibar')).toMatchObject({ total: 0, hits: [] });
    expect(found('قطار')).toEqual([]);
  });

  it('finds an Arabic word whatever its diacritics, on either side', () => {
    // the ad writes رِحْلَاتٌ (with harakat) and إِيطَالِيَا; the queries with and without them
    expect(found('رحلات')).toEqual([file('ar-libya-italy.txt')]);
    expect(found('رِحْلَاتٌ')).toEqual([file('ar-libya-italy.txt')]);
    expect(found('ايطاليا')).toEqual([file('ar-libya-italy.txt')]);
    // the other ad has سفرة without any diacritics; a query with them still finds it
    expect(found('سَفْرَةٌ')).toEqual([file('ar-turkey-greece.txt')]);
    // tatweel in the page (الـــرحـــلة) and alef variants in the query
    expect(found('الرحلة')).toContain(file('ar-libya-italy.txt'));
    expect(found('أيطاليا')).toEqual([file('ar-libya-italy.txt')]);
  });

  it('finds Persian words across yeh, kaf, half-space and digit variants', () => {
    const persian = file('fa-iran-turkey.txt');
    expect(found('كشتي')).toEqual([persian]); // Arabic kaf and yeh for کشتی
    expect(found('میخواهید')).toEqual([persian]); // the page has می‌خواهید with a ZWNJ
    expect(found('4500')).toEqual([persian]); // the page has ۴۵۰۰
    expect(found('۰۹۱۲۳۴۵۶۷۸۹')).toEqual([persian]);
  });

  it('finds French and Italian words without their accents, and with them', () => {
    expect(found('traversee')).toEqual([file('fr-passage-espagne.txt')]);
    expect(found('TRAVERSÉE')).toEqual([file('fr-passage-espagne.txt')]);
    expect(found('perche citta')).toEqual([file('it-viaggio-lampedusa.txt')]);
  });

  it('finds Tigrinya words split at Ethiopic punctuation', () => {
    expect(found('ሊብያ')).toEqual([file('ti-sudan-libya.txt')]);
    expect(found('ዶላር')).toEqual([file('ti-sudan-libya.txt')]);
  });

  it('a phrase in quotes matches those words together, in that order', () => {
    expect(found('"barca grande"')).toEqual([file('it-viaggio-lampedusa.txt')]);
    expect(found('"grande barca"')).toEqual([]);
  });

  it('a word matches as a prefix (from 3 characters, or ending in *); a quoted word only whole', () => {
    expect(found('Lampedu')).toEqual([file('it-viaggio-lampedusa.txt')]);
    expect(found('Lampedu*')).toEqual([file('it-viaggio-lampedusa.txt')]);
    expect(found('tari')).toEqual([file('fr-passage-espagne.txt')]); // Tarif and Tarifa
    expect(found('"tari"')).toEqual([]);
    expect(found('"passage garan"*')).toEqual([file('fr-passage-espagne.txt')]);
  });

  it('finds imported HTML by its visible text, not by its scripts', () => {
    expect(found('ألمانيا')).toEqual([file('ar-listing.html')]);
    expect(found('10000')).toEqual([file('ar-listing.html')]); // &#1633;&#1632;… decoded, digits folded
    expect(found('tracking')).toEqual([]);
  });

  it('a snippet shows the original text with the matched words marked', () => {
    const [hit] = search('رحلات').hits;
    expect(hit?.snippet?.field).toBe('body');
    const marked = (hit?.snippet?.marks ?? []).map(([s, e]) => hit?.snippet?.text.slice(s, e));
    expect(marked).toEqual(['رِحْلَاتٌ']);
    const [persian] = search('4500').hits;
    expect((persian?.snippet?.marks ?? []).map(([s, e]) => persian?.snippet?.text.slice(s, e))).toEqual([
      '۴۵۰۰',
    ]);
  });

  it('finds a word in a note and in a tag once the next write has indexed them', async () => {
    const english = file('en-channel-crossing.txt');
    expect(found('Gravelines')).toEqual([]);
    store.addNote(english, 'Same guarantor as the Gravelines camp post');
    store.addTag(english, 'guarantor-network');
    await deriveMissing(store);
    const [note] = search('gravelines').hits;
    expect(note).toMatchObject({ id: english, snippet: { field: 'notes' } });
    expect(found('guarantor-network')).toEqual([english]);
  });

  it('limits results to one case when asked', async () => {
    const other = store.createCase({ number: 'BE-2', title: 'Other case' });
    const { importFile } = await import('../../../electron/core/import/import-file.js');
    const extra = await importFile(
      store,
      other.id,
      temp.writeFile('lampedusa.txt', 'Lampedusa again, 2000 €'),
    );
    await deriveMissing(store);
    expect(found('Lampedusa').sort()).toEqual([extra.id, file('it-viaggio-lampedusa.txt')].sort());
    expect(search('Lampedusa', other.id).hits.map((h) => h.id)).toEqual([extra.id]);
    expect(search('Lampedusa', temp.caseId).hits.map((h) => h.id)).not.toContain(extra.id);
    // The cases' documents interleaved in the index (this case's indexed before and after the
    // other's): still only this case's.
    const later = await importFile(
      store,
      temp.caseId ?? '',
      temp.writeFile('lampedusa-2.txt', 'Lampedusa, Lampedusa: the boat of Thursday'),
    );
    await deriveMissing(store);
    expect(
      search('Lampedusa', temp.caseId)
        .hits.map((h) => h.id)
        .sort(),
    ).toEqual([later.id, file('it-viaggio-lampedusa.txt')].sort());
    expect(search('Lampedusa', other.id)).toMatchObject({ total: 1, hits: [{ id: extra.id }] });
  });

  it('finds a word with characters drawn as nothing inside it (a tag character, an invisible separator, a combining grapheme joiner, a soft hyphen)', async () => {
    const { importFile } = await import('../../../electron/core/import/import-file.js');
    // A file name with an invisible tag `A` (U+E0041) and a soft hyphen inside its words, a text
    // with U+2063 and U+034F inside its: each looks like the word, and is found by it.
    const hidden = await importFile(
      store,
      temp.caseId ?? '',
      temp.writeFile(
        'Sab\u{E0041}ratha Qara\u00ADbulli.txt',
        'Boat: ask for Abdel\u2063salam or Ham\u034Fdan',
      ),
    );
    await deriveMissing(store);
    for (const word of ['Sabratha', 'Qarabulli', 'Abdelsalam', 'Hamdan'])
      expect(found(word)).toEqual([hidden.id]);
    // The same characters in the query are removed too.
    expect(found('Sab\u{E0041}ratha Abdel\u2063salam')).toEqual([hidden.id]);
  });

  it('a word in more items than the cap: counting stops there, and the hits are the best-ranked of all matches, the oldest among them', async () => {
    const { importFile } = await import('../../../electron/core/import/import-file.js');
    const add = async (name: string, text: string) =>
      (await importFile(store, temp.caseId ?? '', temp.writeFile(name, text))).id;
    // The oldest mentions Zarzis most (the best BM25 score of all); the five after it once each,
    // more of them than the cap: a cap that kept the newest matches dropped the best one.
    const oldest = await add('zarzis-0.txt', 'Zarzis Zarzis Zarzis Zarzis, departure from Zarzis');
    for (let i = 1; i <= 5; i++) {
      await add(
        `zarzis-${i}.txt`,
        `leaving Zarzis on day ${i}, children half price, life jackets, weather permitting`,
      );
    }
    await deriveMissing(store);

    const uncapped = searchItems(store.db, { query: 'Zarzis' });
    expect(uncapped).toMatchObject({ total: 6, totalCapped: false });
    expect(uncapped.hits[0]?.id).toBe(oldest);

    for (const caseId of [undefined, temp.caseId]) {
      const capped = searchItems(store.db, { query: 'Zarzis', caseId, cap: 3 });
      expect(capped).toMatchObject({ total: 3, totalCapped: true });
      // the same three, in the same order, as the best three of the uncapped ranking
      expect(capped.hits.map((h) => h.id)).toEqual(uncapped.hits.slice(0, 3).map((h) => h.id));
      expect(capped.hits[0]?.id).toBe(oldest);
      expect(capped.hits.map((h) => h.rank)).toEqual([1, 2, 3]);
      // every hit is a real match, its snippet marks the word
      for (const hit of capped.hits) {
        expect(hit.snippet?.marks.map(([s, e]) => hit.snippet?.text.slice(s, e))).toContain('Zarzis');
      }
      // a page past the cap lists nothing more: the cap is where the list ends
      expect(
        searchItems(store.db, { query: 'Zarzis', caseId, cap: 3, offset: 2, limit: 5 }).hits,
      ).toHaveLength(1);
    }
  });

  it('never hands FTS5 syntax to SQLite: operators and stray quotes are plain text', () => {
    for (const query of [
      'AND',
      'OR barca',
      'NEAR(barca',
      'title:barca',
      '"barca',
      'barca"',
      '(',
      'barca AND',
      '-barca',
      '^barca',
    ]) {
      expect(() => search(query), query).not.toThrow(/syntax|fts5/i);
    }
    expect(found('"barca')).toEqual([file('it-viaggio-lampedusa.txt')]);
  });

  it('a query with nothing to search for is bad input with a message, not an SQL error', () => {
    for (const query of ['', '   ', '*', '"', '""', '***', '!?']) {
      let error: unknown;
      try {
        search(query);
      } catch (e) {
        error = e;
      }
      expect(error, query).toBeInstanceOf(CustosError);
      expect((error as CustosError).kind).toBe('bad-input');
    }
  });
});
