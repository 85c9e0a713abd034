import { afterEach, describe, expect, it } from 'vitest';
import { writeSearchDocument } from '../../../electron/core/search/search-deriver.js';
import { selectorHits } from '../../../electron/core/selectors/selector-hits.js';
import { addSelector } from '../../../electron/core/selectors/selector-service.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('word selector hits across cases', () => {
  let temp: TempStore | undefined;
  let store: EvidenceStore | undefined;
  afterEach(() => {
    store?.close();
    temp?.remove();
  });

  /** A store with case NEW-1 (`temp.caseId`). */
  function open(): EvidenceStore {
    temp = makeTempStore({ caseNumber: 'NEW-1' });
    store = temp.open();
    return store;
  }

  /** `count` items of the case, captured a minute apart from `from`, each page saying the word; their ids. */
  function capture(s: EvidenceStore, caseId: string, from: string, count: number) {
    return s.transaction((db) =>
      Array.from({ length: count }, (_, i) => {
        const item = s.addItem({
          caseId,
          kind: 'import',
          source: `ad-${caseId}-${i}.txt`,
          metadata: {},
          artifacts: [],
          capturedAt: new Date(Date.parse(from) + i * 60_000),
        });
        writeSearchDocument(db, item.id, caseId, {
          title: '',
          url: '',
          body: `zarzis crossing ${i}`,
          notes: '',
          tags: '',
        });
        return item;
      }),
    );
  }

  it("past the 1,000 items a word selector is looked for in, the newest captured are kept, whichever case's block their documents are in", () => {
    const s = open();
    const newer = temp?.caseId ?? '';
    const older = s.createCase({ number: 'OLD-2', title: 'Pages captured earlier' }).id;
    // the newer case's documents written first (its block the first), the older case's after them
    const newest = capture(s, newer, '2024-03-01T00:00:00Z', 700).map((item) => item.capturedAt);
    const oldest = capture(s, older, '2024-01-01T00:00:00Z', 700).map((item) => item.capturedAt);
    addSelector(s, { value: 'zarzis' });
    const hits = selectorHits(s.db);
    expect(hits).toHaveLength(1000);
    expect(hits.map((hit) => hit.capturedAt)).toEqual([...newest, ...oldest].sort().reverse().slice(0, 1000));
    expect(hits.filter((hit) => hit.caseId === newer)).toHaveLength(700);
  });

  it('shows the newest captured first across three cases, a case captured earlier than the newest 1,000 adding none', () => {
    const s = open();
    const middle = temp?.caseId ?? '';
    const oldest = s.createCase({ number: 'OLD-2', title: 'Pages captured first' }).id;
    const newest = s.createCase({ number: 'NEW-3', title: 'Pages captured last' }).id;
    const captured = [
      ...capture(s, middle, '2024-02-01T00:00:00Z', 600),
      ...capture(s, oldest, '2024-01-01T00:00:00Z', 300),
      ...capture(s, newest, '2024-03-01T00:00:00Z', 600),
    ].map((item) => item.capturedAt);
    addSelector(s, { value: 'zarzis' });
    const hits = selectorHits(s.db);
    expect(hits.map((hit) => hit.capturedAt)).toEqual(captured.sort().reverse().slice(0, 1000));
    expect(hits.some((hit) => hit.caseId === oldest)).toBe(false);
  });

  it("finds a just-committed item's word even when more than 1,000 newer items hold it", () => {
    const s = open();
    const caseId = temp?.caseId ?? '';
    const [old] = capture(s, caseId, '2020-01-01T00:00:00Z', 1);
    capture(s, caseId, '2024-01-01T00:00:00Z', 1100);
    addSelector(s, { value: 'zarzis' });
    const hits = selectorHits(s.db, { itemIds: [old?.id ?? ''] });
    expect(hits.map((hit) => [hit.itemId, hit.match])).toEqual([[old?.id, 'word']]);
    expect(selectorHits(s.db, { itemIds: [old?.id ?? ''], caseId: 'no-such-case' })).toEqual([]);
  });
});
