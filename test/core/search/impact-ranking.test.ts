import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveMissing, rebuildDerived } from '../../../electron/core/derive/derive-items.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import {
  COMMON_WORD_DOCS,
  extendCommonWords,
  extendsAt,
} from '../../../electron/core/search/impact-lists.js';
import { bestByImpact, type SeveralWordsWay } from '../../../electron/core/search/impact-ranking.js';
import { BM25_WEIGHTS } from '../../../electron/core/search/search-columns.js';
import { type SearchDocument, writeSearchDocument } from '../../../electron/core/search/search-deriver.js';
import {
  bestMatchesSubquery,
  rankedMatches,
  searchItems,
} from '../../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../../electron/core/search/search-query.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import {
  ALL,
  addBareItem,
  fullRanking,
  makeDocuments,
  random,
  rewrite,
  twoCases,
  WORDS,
} from '../../support/search-corpus.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const fromImpacts = (store: EvidenceStore, query: string, caseId: string | null, limit: number) =>
  bestByImpact(store.db, parseSearchQuery(query).terms, caseId, limit);
const fromImpactsBy = (
  store: EvidenceStore,
  query: string,
  caseId: string | null,
  limit: number,
  way: SeveralWordsWay,
) => bestByImpact(store.db, parseSearchQuery(query).terms, caseId, limit, way);

describe('ranking a common word from its impact list', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  let items: { id: string; caseId: string }[];
  let scopes: Record<'first' | 'second' | 'all', string | null>;

  const write = (index: number, doc: SearchDocument) => rewrite(store, items[index], doc);
  const documentOf = (index: number) =>
    store.db
      .prepare('SELECT d.id FROM search_documents d WHERE d.item_id = ?')
      .pluck()
      .get(items[index]?.id) as number;

  beforeEach(() => {
    ({ temp, store, items, scopes } = twoCases(makeDocuments(300, 7), (i) => i >= 200));
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  /** Every common word, whole and as a prefix, in each case and all, at limits that cut through ties. */
  const expectSameAsFullRanking = () => {
    for (const query of ['boat', 'sea', 'harbour', 'harb', 'chil*', '"night"', 'coast']) {
      for (const caseId of Object.values(scopes)) {
        for (const limit of [1, 2, 5, 17, 40, 123, 400]) {
          const expected = fullRanking(store, query, caseId, limit);
          expect(fromImpacts(store, query, caseId, limit), `${query} in ${caseId}, ${limit}`).toEqual(
            expected,
          );
        }
      }
    }
  };

  it('gives the same documents in the same order as FTS5 ranking every match, ties included, for a word on every page', () => {
    const ties = fullRanking(store, 'boat', ALL, 300);
    // the corpus holds tied pages (the same text): the lists must order them by rowid as FTS5 does
    const scores = store.db
      .prepare(
        `SELECT bm25(search_index, ${BM25_WEIGHTS}) FROM search_index WHERE search_index MATCH 'boat' ORDER BY rowid`,
      )
      .pluck()
      .all() as number[];
    expect(new Set(scores).size).toBeLessThan(scores.length);
    expect(ties).toHaveLength(300);
    expectSameAsFullRanking();
  });

  it('keeps the lists in step when a word is added to pages and removed from others', () => {
    // item 0 loses every word but `boat`; item 5 gains `sea` in its title; item 210 holds `sea` only
    write(0, { title: '', url: '', body: 'boat', notes: '', tags: '' });
    write(5, {
      title: 'sea sea',
      url: 'https://example.org/ads/5',
      body: 'boat sea',
      notes: 'harbour',
      tags: '',
    });
    write(210, { title: '', url: 'https://example.org/ads/210', body: 'sea', notes: '', tags: 'coast' });
    expectSameAsFullRanking();
    // every listed word's list holds exactly the documents FTS5 finds it in
    const listed = store.db
      .prepare(
        `SELECT t.term, count(*) AS docs FROM search_impacts i JOIN search_impact_lists l ON l.id = i.list JOIN search_impact_terms t ON t.id = l.term
         GROUP BY t.term ORDER BY t.term`,
      )
      .all() as { term: string; docs: number }[];
    expect(listed.length).toBeGreaterThan(5);
    for (const { term, docs } of listed) {
      expect(store.db.prepare('SELECT doc FROM search_vocabulary WHERE term = ?').pluck().get(term)).toBe(
        docs,
      );
    }
    expect(
      store.db.prepare('SELECT count(*) FROM search_impacts WHERE doc = ?').pluck().get(documentOf(0)),
    ).toBe(1); // only `boat` is left on it
  });

  it('a write rolled back leaves the lists as they were, and the next write on that connection keeps them', () => {
    // a new connection: its scratch table is first made inside the write that is rolled back
    store.close();
    store = temp.open();
    const before = store.db.prepare('SELECT count(*) FROM search_impacts').pluck().get();
    const failing = { title: 'boat', url: '', body: 'boat sea harbour', notes: '', tags: '' };
    expect(() =>
      store.transaction((db) => {
        writeSearchDocument(db, items[1]?.id ?? '', temp.caseId ?? '', failing);
        throw new Error('the write fails after the index');
      }),
    ).toThrow('the write fails after the index');
    expect(store.db.prepare('SELECT count(*) FROM search_impacts').pluck().get()).toBe(before);
    expectSameAsFullRanking();
    write(1, failing);
    expectSameAsFullRanking();
  });

  it('Search all cases and a case search list the same hits with the same scores, to the last bit, as FTS5 ranking every match, for a word with a list', () => {
    write(250, { title: 'boat', url: '', body: 'boat sea harbour', notes: 'boat', tags: '' });
    write(120, { title: '', url: '', body: 'boat sea', notes: '', tags: 'harbour' });
    for (const query of ['boat', 'sea', 'harb']) {
      const parsed = parseSearchQuery(query);
      for (const caseId of Object.values(scopes)) {
        // the word has a list that ranks it here (else the test would compare the full ranking with itself)
        expect(fromImpacts(store, query, caseId, 60), `${query} in ${caseId}`).not.toBeNull();
        for (const [offset, limit] of [
          [0, 20],
          [0, 1],
          [17, 25],
          [40, 20],
        ] as const) {
          const page = searchItems(store.db, { query, caseId, offset, limit });
          const every = rankedMatches(store.db, parsed.match, caseId, { offset, limit });
          const docs = every.map(({ doc }) =>
            store.db.prepare('SELECT item_id FROM search_documents WHERE id = ?').pluck().get(doc),
          );
          expect(
            page.hits.map((hit) => [hit.id, hit.score]),
            `${query} in ${caseId}, ${offset}+${limit}`,
          ).toEqual(every.map(({ score }, i) => [docs[i], score]));
        }
      }
    }
  });

  it('Search all cases sees one state of the index while the custos command commits between its statements', () => {
    // Another connection (the app's reader) searches; the writer commits a page that would rank
    // first just after the reader has counted the matches, before it reads the impact lists.
    const reader = temp.openForReading();
    try {
      const before = searchItems(reader.db, { query: 'boat', limit: 5 });
      let committed = false;
      const commitBeforeLists = new Proxy(reader.db, {
        get(target, property) {
          if (property === 'prepare') {
            return (sql: string) => {
              if (!committed && sql.includes('search_impact_terms')) {
                committed = true;
                write(250, { title: 'boat boat boat', url: '', body: 'boat boat', notes: '', tags: 'boat' });
              }
              return target.prepare(sql);
            };
          }
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const during = searchItems(commitBeforeLists, { query: 'boat', limit: 5 });
      expect(committed).toBe(true);
      expect(during).toEqual(before);
      // the next search sees the commit: the new page ranks first
      const after = searchItems(reader.db, { query: 'boat', limit: 5 });
      expect(after.hits[0]?.id).toBe(items[250]?.id);
      expect(after.hits[0]?.id).not.toBe(before.hits[0]?.id);
    } finally {
      reader.close();
    }
  });

  it('a listed word with no list in any case is ranked the full way, not taken for a word found nowhere', () => {
    // the word is listed but its lists are gone (as migration 018 leaves a word of 017 whose
    // documents were all removed), while FTS5 still finds it on every page
    store.db.exec(`
      DELETE FROM search_impacts WHERE list IN (SELECT l.id FROM search_impact_lists l
        JOIN search_impact_terms t ON t.id = l.term WHERE t.term = 'boat');
      DELETE FROM search_impact_lists WHERE term = (SELECT id FROM search_impact_terms WHERE term = 'boat');
    `);
    expect(fromImpacts(store, 'boat', ALL, 10)).toBeNull();
    const page = searchItems(store.db, { query: 'boat', limit: 10 });
    expect(page.hits).toHaveLength(10);
    expect(page.hits.map((hit) => hit.score)).toEqual(
      rankedMatches(store.db, parseSearchQuery('boat').match, ALL, { offset: 0, limit: 10 }).map(
        (m) => m.score,
      ),
    );
  });

  it('leaves to the full ranking what the lists cannot rank: phrases, a prefix of several words, a word with no list, an identifier', () => {
    write(7, { title: '', url: '', body: 'boat boats boatyard', notes: '', tags: '' });
    for (const query of [
      '"boat sea"',
      'boat sea',
      'boa',
      'zanzibar',
      '+218912345678',
      'sea zanzibar',
      '"sea harbour" night',
      'boa sea',
      'sea +218912345678',
    ]) {
      expect(fromImpacts(store, query, ALL, 10), query).toBeNull();
    }
    expect(fromImpacts(store, '"boat"', ALL, 10)).toEqual(fullRanking(store, '"boat"', ALL, 10));
  });

  it("ranks a case from its own lists after old items of both cases are written again (a note added: each document goes to the end of its case's block), the same as FTS5", () => {
    for (const index of [3, 60, 150, 199]) write(index, makeDocuments(200, 13)[index] as SearchDocument);
    write(250, { title: 'boat', url: '', body: 'boat sea harbour', notes: 'boat', tags: '' });
    write(120, { title: '', url: '', body: 'boat sea', notes: '', tags: 'harbour' });
    // each written again past its case's other documents, never among the other case's
    const lastOf = (caseId: string | null) =>
      store.db
        .prepare('SELECT item_id FROM search_documents WHERE case_id = ? ORDER BY id DESC LIMIT 1')
        .pluck()
        .get(caseId);
    expect([lastOf(items[120]?.caseId ?? ''), lastOf(items[250]?.caseId ?? '')]).toEqual([
      items[120]?.id,
      items[250]?.id,
    ]);
    expectSameAsFullRanking();
    for (const caseId of [scopes.first ?? '', scopes.second ?? '']) {
      for (const limit of [1, 17, 123]) {
        const best = bestMatchesSubquery(store.db, parseSearchQuery('boat'), caseId, limit);
        // the lists were read (the full ranking reports 'every-match'), and gave FTS5's documents
        expect(best.ranking).toBe('impact-lists');
        const docs = store.db.prepare(`SELECT doc FROM (${best.sql})`).pluck().all(best.params);
        expect(docs).toEqual(fullRanking(store, 'boat', caseId, limit));
      }
    }
  });
});

/** A wider vocabulary, picked unevenly: words in fewer than half the pages, each in its own number of them. */
const SEVERAL = [
  ...WORDS,
  ...'beach nets ferry guide lorry papers port rescue storm tide visa wave camp cash dawn fuel'.split(' '),
];

describe('ranking several words from their lists', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  let items: { id: string; caseId: string }[];
  let scopes: Record<'first' | 'second' | 'all', string | null>;
  const write = (index: number, doc: SearchDocument) => rewrite(store, items[index], doc);

  beforeEach(() => {
    ({ temp, store, items, scopes } = twoCases(makeDocuments(600, 5, SEVERAL, 1.6), (i) => i % 3 === 2));
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  it('ranks several words from their lists as FTS5 ranks every match: the same documents in the same order, ties and repeated words included, each way', () => {
    // the corpus's pages share most words and repeat one another word for word (tied scores)
    const queries = [
      'sea harbour',
      'harbour sea',
      'boat sea',
      'sea harbour night',
      'chil* border driver',
      'sea sea harbour',
      '"price" coast',
      'harb jackets',
    ];
    // Two documents with different numbers whose scores come within 1e-12 (here: words of equal
    // document counts, one's frequencies swapped for the other's) make the lists give up for the
    // full ranking, which then runs: never a different order.
    const compared = { cheaper: 0, threshold: 0 };
    let gaveUp = 0;
    for (const query of queries) {
      const terms = parseSearchQuery(query).terms;
      for (const caseId of Object.values(scopes)) {
        for (const limit of [1, 2, 5, 17, 40, 123, 400]) {
          const expected = fullRanking(store, query, caseId, limit);
          for (const way of ['cheaper', 'threshold'] as const) {
            const found = bestByImpact(store.db, terms, caseId, limit, way);
            if (found === null) gaveUp += way === 'threshold' ? 1 : 0;
            else {
              expect(found, `${query} in ${caseId}, ${limit}, ${way}`).toEqual(expected);
              compared[way] += expected.length;
            }
          }
        }
      }
    }
    // (the cheaper way leaves three words and long pages to FTS5; the threshold algorithm alone
    // gives up only for words seldom found together and near ties)
    expect(compared.cheaper).toBeGreaterThan(100);
    expect(compared.threshold).toBeGreaterThan(2_000);
    expect(gaveUp).toBeLessThan((queries.length * 3 * 7) / 4);
    // a word added to pages and removed from others: the lists follow, and so does the ranking
    write(5, { title: 'sea harbour', url: '', body: 'boat sea harbour night', notes: 'night', tags: '' });
    write(6, { title: '', url: '', body: 'boat', notes: '', tags: '' });
    let after = 0;
    for (const caseId of Object.values(scopes)) {
      for (const query of ['sea harbour', 'boat sea', 'harbour sea night']) {
        const found = fromImpactsBy(store, query, caseId, 17, 'threshold');
        if (found) after++;
        if (found) expect(found, `${query} in ${caseId}`).toEqual(fullRanking(store, query, caseId, 17));
      }
    }
    expect(after).toBeGreaterThan(5);
  });

  it('Search all cases lists the same hits with the same scores, to the last bit, for several words as FTS5 ranking every match', () => {
    for (const query of ['sea harbour', 'harbour sea']) {
      const parsed = parseSearchQuery(query);
      expect(bestByImpact(store.db, parsed.terms, ALL, 10)).not.toBeNull();
      for (const [offset, caseId] of [
        [0, ALL],
        [17, ALL],
        [0, scopes.first],
        [5, scopes.second],
      ] as const) {
        const page = searchItems(store.db, { query, caseId, offset, limit: 10 });
        const expected = rankedMatches(store.db, parsed.match, caseId, { offset, limit: 10 });
        expect(page.hits.map((hit) => hit.score)).toEqual(expected.map((m) => m.score));
        expect(page.hits.length).toBe(10);
      }
    }
  });
});

describe('Two words searched in a small case of a large index', () => {
  it("ranks every match of a small case when the words' documents elsewhere made the lists look cheap (the case's own matches are fewer than the seeks), with the same hits", () => {
    const documents = makeDocuments(1_060, 11, SEVERAL, 1.6).map((doc) => ({
      ...doc,
      body: `${doc.body} sea harbour`,
    }));
    // the small case's 60 pages written after the large case's 1,000: its own range of rowids
    const { temp, store, scopes } = twoCases(documents, (i) => i >= 1_000);
    try {
      const parsed = parseSearchQuery('sea harbour');
      // the best 10 of its 60 matches cost ~30 seeks, each worth about 10 matches weighed by FTS5
      expect(bestMatchesSubquery(store.db, parsed, scopes.second, 10).ranking).toBe('every-match');
      // (the threshold algorithm is exact there: it only costs more)
      expect(fromImpactsBy(store, 'sea harbour', scopes.second, 10, 'threshold')).toEqual(
        fullRanking(store, 'sea harbour', scopes.second, 10),
      );
      // the large case still goes through its lists
      expect(bestMatchesSubquery(store.db, parsed, scopes.first, 10).ranking).toBe('impact-lists');
    } finally {
      store.close();
      temp.remove();
    }
  });
});

describe('impact lists and custos reindex', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    store = temp.open();
    const docs = makeDocuments(30, 11);
    for (const [i, doc] of docs.entries()) {
      const text = `${doc.title}\n${doc.body}\n${doc.notes}`;
      await importFile(store, temp.caseId ?? '', temp.writeFile(`ad-${i}.txt`, text));
    }
    await deriveMissing(store);
    store.transaction((db) => extendCommonWords(db, 5));
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  it('reindex writes every list again as it writes each document, ranked as FTS5 ranks them', async () => {
    const rows = () => store.db.prepare('SELECT count(*) FROM search_impacts').pluck().get() as number;
    const before = rows();
    expect(before).toBeGreaterThan(30);
    await rebuildDerived(store);
    expect(rows()).toBe(before);
    for (const query of ['boat', 'sea', 'harbour']) {
      const ranked = fromImpacts(store, query, ALL, 12);
      expect(ranked).not.toBeNull();
      expect(ranked).toEqual(fullRanking(store, query, ALL, 12));
    }
  });
});

describe('impact lists as the index grows', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    store = temp.open();
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  it('a word becomes common as pages are written: its list is built at the next extension, inside the write, and kept after', () => {
    const docs = makeDocuments(1_100, 5);
    const caseId = temp.caseId ?? '';
    // every write in one transaction, as an import's indexing pass: the extension at the
    // 1,024th document reads FTS5's vocabulary with the transaction's own documents in it
    store.transaction((db) => {
      docs.forEach((doc, i) => {
        const item = addBareItem(store, caseId, i);
        writeSearchDocument(db, item.id, caseId, doc);
      });
    });
    expect(extendsAt(1_024)).toBe(true);
    expect(store.db.prepare('SELECT term FROM search_impact_terms').pluck().all()).toContain('boat');
    expect(
      store.db
        .prepare(
          'SELECT count(*) FROM search_impacts i JOIN search_impact_lists l ON l.id = i.list JOIN search_impact_terms t ON t.id = l.term WHERE t.term = ?',
        )
        .pluck()
        .get('boat'),
    ).toBe(1_100);
    expect(COMMON_WORD_DOCS).toBeLessThanOrEqual(1_024);
    for (const limit of [1, 30, 1_000]) {
      expect(fromImpacts(store, 'boat', ALL, limit)).toEqual(fullRanking(store, 'boat', ALL, limit));
    }
  });

  it('extends about each tenth of growth, so the vocabulary scan stays a few µs a document', () => {
    const extensions = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => from + i).filter(extendsAt).length;
    expect(extensions(1, 1_024)).toBe(0);
    expect(extensions(1_024, 8_192)).toBe(7);
    // from 100,000 to 200,000 documents: every 8,192 then every 16,384 (6 to 12% of growth)
    expect(extensions(100_000, 200_000)).toBe(8);
    expect(extensions(1_000_000, 1_100_000)).toBe(1);
  });
});

describe('Search all cases in a store of many small cases', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'MC-0' });
    store = temp.open();
    const next = random(3);
    store.transaction((db) => {
      for (let c = 0; c < 300; c++) {
        const caseId =
          c === 0 ? (temp.caseId ?? '') : store.createCase({ number: `MC-${c}`, title: 'A case' }).id;
        for (let p = 0; p < 3; p++) {
          const item = addBareItem(store, caseId, c * 3 + p);
          writeSearchDocument(db, item.id, caseId, {
            title: next() < 0.3 ? 'boat' : '',
            url: '',
            body: `${'boat '.repeat(1 + Math.floor(next() * 3))}${'sea '.repeat(Math.floor(next() * 12))}harbour`,
            notes: '',
            tags: next() < 0.2 ? 'boat' : '',
          });
        }
      }
      extendCommonWords(db, 40);
    });
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  it('ranks every match when the word has a list in each of hundreds of cases (merging them would cost more), with the same hits and scores', () => {
    const lists = store.db
      .prepare(
        "SELECT count(*) FROM search_impact_lists l JOIN search_impact_terms t ON t.id = l.term WHERE t.term = 'boat'",
      )
      .pluck()
      .get();
    expect(lists).toBe(300);
    const parsed = parseSearchQuery('boat');
    for (const [offset, limit] of [
      [0, 20],
      [880, 20],
    ] as const) {
      expect(bestMatchesSubquery(store.db, parsed, ALL, offset + limit).ranking).toBe('every-match');
      const page = searchItems(store.db, { query: 'boat', offset, limit });
      const every = rankedMatches(store.db, parsed.match, ALL, { offset, limit });
      const item = store.db.prepare('SELECT item_id FROM search_documents WHERE id = ?').pluck();
      expect(page.hits.map((hit) => [hit.id, hit.score])).toEqual(
        every.map(({ doc, score }) => [item.get(doc), score]),
      );
      expect(page.hits).toHaveLength(20);
    }
    // one case is still one list, read as before
    const best = bestMatchesSubquery(store.db, parsed, temp.caseId ?? '', 3);
    expect(best.ranking).toBe('impact-lists');
    expect(store.db.prepare(`SELECT doc FROM (${best.sql})`).pluck().all(best.params)).toEqual(
      fullRanking(store, 'boat', temp.caseId ?? '', 3),
    );
  });
});

describe('A case search for a word said at many different frequencies', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  let chats: string;
  let ads: string;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'CHATS' });
    store = temp.open();
    chats = temp.caseId ?? '';
    ads = store.createCase({ number: 'ADS', title: 'Short ads' }).id;
    const next = random(5);
    store.transaction((db) => {
      // Chat exports: `boat` said 1 to 250 times a page, so the case's list holds some 190
      // frequencies for its 400 pages; every seventh page repeats the one before it (a tie).
      let previous: SearchDocument | undefined;
      for (let p = 0; p < 400; p++) {
        const page: SearchDocument =
          p % 7 === 3 && previous
            ? previous
            : {
                title: next() < 0.2 ? 'boat' : '',
                url: '',
                body: `${'boat '.repeat(1 + Math.floor(next() * 250))}${'sea '.repeat(Math.floor(next() * 20))}harbour`,
                notes: next() < 0.1 ? 'boat' : '',
                tags: next() < 0.1 ? 'boat' : '',
              };
        writeSearchDocument(db, addBareItem(store, chats, p).id, chats, page);
        previous = page;
      }
      // Short ads: `boat` once to three times a page, a few frequencies.
      for (let p = 0; p < 300; p++) {
        writeSearchDocument(db, addBareItem(store, ads, 400 + p).id, ads, {
          title: next() < 0.2 ? 'boat' : '',
          url: '',
          body: `${'boat '.repeat(1 + Math.floor(next() * 3))}${'sea '.repeat(Math.floor(next() * 12))}harbour`,
          notes: '',
          tags: '',
        });
      }
      extendCommonWords(db, 40);
    });
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  /** How many lists of one frequency `boat` has in the case (what the merge would start). */
  const frequencyLists = (caseId: string) =>
    store.db
      .prepare(
        `SELECT count(DISTINCT i.freq) FROM search_impacts i
         JOIN search_impact_lists l ON l.id = i.list JOIN search_impact_terms t ON t.id = l.term
         WHERE t.term = 'boat' AND l.case_id = ?`,
      )
      .pluck()
      .get(caseId) as number;

  it('ranks every match in a case whose list holds more frequencies than its pages warrant, with the same hits and scores, to the last bit', () => {
    // More than the 64 lists merged whatever the documents, and than one per 50 of its 400 pages.
    expect(frequencyLists(chats)).toBeGreaterThan(150);
    const parsed = parseSearchQuery('boat');
    const item = store.db.prepare('SELECT item_id FROM search_documents WHERE id = ?').pluck();
    for (const [caseId, ranking] of [
      [chats, 'every-match'],
      [ads, 'impact-lists'], // a case with a few frequencies is still merged from its list
    ] as const) {
      for (const [offset, limit] of [
        [0, 20],
        [0, 1],
        [17, 25],
        [280, 20],
      ] as const) {
        expect(bestMatchesSubquery(store.db, parsed, caseId, offset + limit).ranking, caseId).toBe(ranking);
        const page = searchItems(store.db, { query: 'boat', caseId, offset, limit });
        const every = rankedMatches(store.db, parsed.match, caseId, { offset, limit });
        expect(page.hits.map((hit) => [hit.id, hit.score])).toEqual(
          every.map(({ doc, score }) => [item.get(doc), score]),
        );
        expect(page.hits).toHaveLength(limit);
      }
    }
  });
});
