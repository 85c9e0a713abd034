import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryItemPage } from '../../../electron/core/api/services/item-queries.js';
import { phoneTokens } from '../../../electron/core/search/identifiers.js';
import { extendCommonWords } from '../../../electron/core/search/impact-lists.js';
import { type SearchDocument, writeSearchDocument } from '../../../electron/core/search/search-deriver.js';
import { searchItems } from '../../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../../electron/core/search/search-query.js';
import { withWholeWords } from '../../../electron/core/search/whole-words.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/** Whether searches ask FTS5 for whole words (`rewrite.on`) or for the prefixes as typed. */
const rewrite = vi.hoisted(() => ({ on: true }));
vi.mock('../../../electron/core/search/whole-words.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../electron/core/search/whole-words.js')>();
  return {
    ...real,
    withWholeWords: (...args: Parameters<typeof real.withWholeWords>) =>
      rewrite.on ? real.withWholeWords(...args) : args[1],
  };
});

/** A small deterministic random generator, so that the pages are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Words of the pages: `bambini` the only word starting with `bambin`, `barca` a prefix of
 * `barcarola`, `tanger` and `tango` two words starting with `tan`, `grande` the only one with
 * `gra`, accented, Arabic (with and without diacritics) and Persian (with a ZWNJ) words.
 */
const WORDS =
  'barca barcarola grande bambini Sfax tanger tango città perché Lampedusa رحلة رِحْلَة می‌خواهید notte mare'.split(
    ' ',
  );
const PHONE = '+218912345678';

function pages(count: number, seed: number): SearchDocument[] {
  const next = random(seed);
  const pick = () => WORDS[Math.floor(next() * WORDS.length)] ?? 'mare';
  return Array.from({ length: count }, (_, i) => ({
    title: next() < 0.3 ? `${pick()} ${pick()}` : '',
    url: i % 9 === 0 ? `https://example.org/IMG_2024-06-${10 + (i % 20)}.jpg` : `https://example.org/ad/${i}`,
    body: Array.from({ length: 4 + Math.floor(next() * 20) }, pick).join(' '),
    notes: next() < 0.1 ? pick() : '',
    tags: next() < 0.1 ? pick() : '',
  }));
}

/**
 * The queries: each with the MATCH text FTS5 is asked (the prefixes only one word starts with
 * asked as that word, the others as typed).
 */
const QUERIES: readonly (readonly [string, string])[] = [
  ['bambini', '"bambini"'],
  ['bambin', '"bambini"'],
  ['bambini*', '"bambini"'],
  ['Sfax bambini', '"sfax" AND "bambini"'],
  ['tan', '"tan" *'],
  ['barca', '"barca" *'],
  ['barcar', '"barcarola"'],
  ['barca tan', '"barca" * AND "tan" *'],
  ['CITTÀ', '"citta"'],
  ['citta Perche', '"citta" AND "perche"'],
  ['رِحْلَةٌ', '"رحله"'],
  ['می‌خواهید', '"ميخواهيد"'],
  ['"barca gra"*', '"barca grande"'],
  ['"barca bar"*', '"barca bar" *'],
  ['"barca grande"', '"barca grande"'],
  ['IMG_2024', '"img 2024"'],
  [PHONE, '("218912345678" OR "0912345678")'],
  [`${PHONE} bambin`, '("218912345678" OR "0912345678") AND "bambini"'],
];

describe('A prefix only one word starts with, searched as that word', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  let second: string;
  let items: { id: string; caseId: string }[];
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    store = temp.open();
    second = store.createCase({ number: 'BE-2', title: 'A second case' }).id;
    items = [];
    const docs = pages(160, 7);
    store.transaction((db) => {
      docs.forEach((doc, i) => {
        const caseId = i % 5 === 4 ? second : (temp.caseId ?? '');
        const item = store.addItem({
          caseId,
          kind: 'import',
          source: `ad-${i}.txt`,
          metadata: {},
          artifacts: [],
        });
        items.push({ id: item.id, caseId });
        writeSearchDocument(db, item.id, caseId, doc, i % 11 === 0 ? phoneTokens(PHONE).join('\n') : '');
      });
      // the common words' impact lists, so that one- and two-word searches take that way too
      extendCommonWords(db, 40);
    });
  });
  afterEach(() => {
    rewrite.on = true;
    store.close();
    temp.remove();
  });

  const caseId = () => temp.caseId ?? '';
  /** What each way of searching shows for a query: Search all cases, a case, the evidence list. */
  const everything = (query: string) => ({
    all: searchItems(store.db, { query, limit: 7 }),
    allCapped: searchItems(store.db, { query, limit: 7, offset: 2, cap: 9 }),
    inCase: searchItems(store.db, { query, caseId: second, limit: 7 }),
    list: listed(query),
    listCapped: listed(query, 6),
  });
  const listed = (search: string, matchCap?: number) =>
    queryItemPage(
      store.db,
      caseId(),
      { caseRef: caseId(), search, sort: 'capturedAt', descending: false, offset: 0, limit: 50 },
      { reuse: false, matchCap },
    );
  const asTyped = <T>(search: () => T): T => {
    rewrite.on = false;
    try {
      return search();
    } finally {
      rewrite.on = true;
    }
  };
  /** Each query is asked for as expected and finds the same as its prefixes do: documents, order, scores, snippets. */
  const expectSameResults = (queries: readonly (readonly [string, string])[]) => {
    for (const [query, match] of queries) {
      expect(withWholeWords(store.db, parseSearchQuery(query)).match, query).toBe(match);
      const found = everything(query);
      expect(found.all.total, query).toBeGreaterThan(0);
      expect(found, query).toEqual(asTyped(() => everything(query)));
    }
  };

  it('lists the same items, in the same order, with the same scores and snippets as the prefixes typed', () => {
    expectSameResults(QUERIES);
  });

  it('sees pages written again: a prefix that becomes two words is asked as typed, one that becomes a single word as that word', () => {
    expectSameResults([
      ['bambin', '"bambini"'],
      ['tan', '"tan" *'],
    ]);
    store.transaction((db) => {
      // a page now says `bambino` (and `bambin` starts two words), no page says `tango` any more
      writeSearchDocument(db, items[3]?.id ?? '', items[3]?.caseId ?? '', {
        title: 'bambino',
        url: '',
        body: 'bambino barca tanger',
        notes: '',
        tags: '',
      });
      for (const [i, doc] of pages(160, 7).entries()) {
        if (i === 3 || !`${doc.title} ${doc.body} ${doc.notes} ${doc.tags}`.includes('tango')) continue;
        const item = items[i];
        const without = (text: string) => text.replaceAll('tango', 'mare');
        writeSearchDocument(db, item?.id ?? '', item?.caseId ?? '', {
          ...doc,
          title: without(doc.title),
          body: without(doc.body),
          notes: without(doc.notes),
          tags: without(doc.tags),
        });
      }
    });
    expectSameResults([
      ['bambin', '"bambin" *'],
      ['bambini', '"bambini"'],
      ['tan', '"tanger"'],
      ['barca tan', '"barca" * AND "tanger"'],
    ]);
    expect(everything('bambin').all.hits.map((hit) => hit.id)).toContain(items[3]?.id);
  });
});
