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

  it("past the 1,000 items a word selector is looked for in, the newest captured are kept, whichever case's block their documents are in", () => {
    temp = makeTempStore({ caseNumber: 'NEW-1' });
    store = temp.open();
    const s = store;
    const newer = temp.caseId ?? '';
    const older = s.createCase({ number: 'OLD-2', title: 'Pages captured earlier' }).id;
    /** 700 items of the case, captured a minute apart from `from`, each page saying the word. */
    const capture = (caseId: string, from: string) =>
      s.transaction((db) =>
        Array.from({ length: 700 }, (_, i) => {
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
          return item.capturedAt;
        }),
      );
    // the newer case's documents written first (its block the first), the older case's after them
    const newest = capture(newer, '2024-03-01T00:00:00Z');
    const oldest = capture(older, '2024-01-01T00:00:00Z');
    addSelector(s, { value: 'zarzis' });
    const hits = selectorHits(s.db);
    expect(hits).toHaveLength(1000);
    expect(hits.map((hit) => hit.capturedAt)).toEqual([...newest, ...oldest].sort().reverse().slice(0, 1000));
    expect(hits.filter((hit) => hit.caseId === newer)).toHaveLength(700);
  });
});
