import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../../electron/core/api/api-service.js';
import { runAudit } from '../../../../electron/core/audit/run-audit.js';
import { deriveMissing, rebuildDerived } from '../../../../electron/core/derive/derive-items.js';
import { importFile } from '../../../../electron/core/import/import-file.js';
import type { ApiResult } from '../../../../shared/api.js';
import type { CandidateView, CaseEntity } from '../../../../shared/entities.js';
import type { ItemSelectorMarks, Selector, SelectorHit } from '../../../../shared/selectors.js';
import { apiForStore } from '../../../support/api-for-store.js';
import { adPicture, importAdWithReading } from '../../../support/picture-reading.js';
import { openRawDatabase } from '../../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';

function value<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

const CHAT = 'Omar: the boat leaves Friday, call +218 91 234 5678 for a place';

let temp: TempStore;
let api: ApiService;
let adId: string;
let pictureSha: string;
let chatId: string;
/** A second post of the same picture, whose reading is dismissed. */
let repostId: string;

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'LY-1' });
  const store = temp.open();
  try {
    ({ itemId: adId, sha256: pictureSha } = await importAdWithReading(
      store,
      'LY-1',
      temp.writeFile('boat.png', await adPicture()),
    ));
    chatId = (await importFile(store, 'LY-1', temp.writeFile('chat.txt', CHAT))).id;
    ({ itemId: repostId } = await importAdWithReading(
      store,
      'LY-1',
      temp.writeFile('repost.png', await adPicture()),
    ));
    await deriveMissing(store);
  } finally {
    store.close();
  }
  api = apiForStore(temp);
}, 60_000);

afterAll(() => {
  api?.close();
  temp?.remove();
});

describe('selectors through the API', () => {
  let phone: Selector;

  it('adds selectors as custody entries, normalised as entities are, and refuses an empty one with nothing written', async () => {
    const empty = await api.call('addSelector', { value: '  ' });
    expect(!empty.ok && empty.error.kind).toBe('bad-input');
    phone = value<Selector>(
      await api.call('addSelector', { value: '00218 91 234 5678', label: 'broker', caseRef: 'LY-1' }),
    );
    expect(phone).toMatchObject({
      type: 'phone',
      value: '+218912345678',
      label: 'broker',
      caseNumber: 'LY-1',
    });
    value(await api.call('addSelector', { value: '+98 912 345 6789', label: 'Tehran contact' }));
    value(await api.call('addSelector', { value: 'boat leaves' }));
    const ledger = value<{ action: string; subject: string }[]>(await api.call('getLedger', {}));
    expect(ledger.filter((e) => e.action === 'selector.add')).toHaveLength(3);
    const listed = value<Selector[]>(await api.call('listSelectors', { caseRef: 'LY-1' }));
    expect(listed.map((s) => s.value)).toEqual(['+218912345678', '+989123456789', 'boat leaves']);
  });

  it('lists hits from the page text, from the picture (as an entity) and, one digit away, from a Persian-digit reading (possible)', async () => {
    const hits = value<SelectorHit[]>(await api.call('listSelectorHits', { caseRef: 'LY-1' }));
    const seen = hits.map((h) => [
      h.selector.value,
      h.match,
      h.itemId === adId ? 'ad' : 'chat',
      h.sources.join(),
    ]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['+218912345678', 'entity', 'ad', 'picture'],
        ['+218912345678', 'entity', 'chat', 'original'],
        ['+989123456789', 'possible', 'ad', 'picture'],
        ['boat leaves', 'word', 'chat', ''],
      ]),
    );
    expect(
      hits
        .filter((h) => h.itemId === repostId)
        .map((h) => h.match)
        .sort(),
    ).toEqual(['entity', 'possible']);
    expect(hits).toHaveLength(6);
  });

  it('says where in an item its hits are: a range of its text, boxes on its picture', async () => {
    const chat = value<ItemSelectorMarks>(await api.call('getItemSelectorMarks', { itemId: chatId }));
    const start = CHAT.indexOf('+218');
    expect(chat.text).toEqual([
      { source: 'original', start, end: start + '+218 91 234 5678'.length, selectorId: phone.id },
    ]);
    const ad = value<ItemSelectorMarks>(await api.call('getItemSelectorMarks', { itemId: adId }));
    const byHeight = [...ad.pictures].sort((a, b) => a.box.y0 - b.box.y0);
    expect(byHeight.map((p) => [p.sha256 === pictureSha, p.match, p.box.y0])).toEqual([
      [true, 'entity', 55],
      [true, 'possible', 165],
    ]);
  });

  it('removes a selector as a custody entry; its hits go, its history stays', async () => {
    const removed = value<Selector>(await api.call('removeSelector', { selectorId: phone.id }));
    expect(removed.removedAt).not.toBeNull();
    const hits = value<SelectorHit[]>(await api.call('listSelectorHits', {}));
    expect(hits.some((h) => h.selector.id === phone.id)).toBe(false);
    const all = value<Selector[]>(await api.call('listSelectors', { includeRemoved: true }));
    expect(all.find((s) => s.id === phone.id)?.removedAt).toBe(removed.removedAt);
    value(await api.call('addSelector', { value: '+218 91 234 5678', label: 'broker', caseRef: 'LY-1' }));
  });
});

describe('OCR candidates through the API', () => {
  const read = '+989123456780';
  /** The candidate of an item: the Persian-digit number as read in the ad's picture. */
  const candidateOf = (itemId: string) => ({
    itemId,
    type: 'phone' as const,
    read,
    pictureSha256: pictureSha,
  });

  it('shows a Persian-digit number as a candidate with its confidence and the selector one digit away, never as an entity', async () => {
    const [candidate, ...more] = value<CandidateView[]>(
      await api.call('getItemCandidates', { itemId: adId }),
    );
    expect(more).toEqual([]);
    expect(candidate).toMatchObject({
      type: 'phone',
      value: read,
      original: '۰۹۱۲۳۴۵۶۷۸۰',
      confidence: 64,
      picture: { sha256: pictureSha, role: 'original', box: { y0: 165 } },
      possibleMatches: [
        { kind: 'selector', value: '+989123456789', digitsDifferent: 1, label: 'Tehran contact' },
      ],
      decision: null,
    });
    const entities = value<CaseEntity[]>(await api.call('listCaseEntities', { caseRef: 'LY-1' }));
    expect(entities.map((e) => e.value)).not.toContain(read);
  });

  it('refuses a confirmation of another type or of a candidate the item does not have, writing nothing', async () => {
    const before = value<unknown[]>(await api.call('getLedger', {})).length;
    const wrongType = await api.call('confirmCandidate', { ...candidateOf(adId), value: 'lampedusa' });
    expect(!wrongType.ok && wrongType.error.message).toMatch(/is not a phone value/);
    const none = await api.call('dismissCandidate', {
      itemId: adId,
      type: 'phone',
      read: '+989000000000',
      pictureSha256: pictureSha,
    });
    expect(!none.ok && none.error.message).toMatch(/has no candidate/);
    expect(value<unknown[]>(await api.call('getLedger', {}))).toHaveLength(before);
  });

  it('confirms a candidate as the corrected number: a custody entry naming the reading, and an entity of the item that a reindex keeps', async () => {
    const confirmed = value<CandidateView>(
      await api.call('confirmCandidate', { ...candidateOf(adId), value: '+98 912 345 6789' }),
    );
    expect(confirmed.decision).toMatchObject({
      decision: 'confirmed',
      value: '+989123456789',
      investigator: 'Ana Ruiz',
    });
    const ledger = value<
      { seq: number; action: string; subject: string; details: Record<string, unknown> }[]
    >(await api.call('getLedger', {}));
    const entry = ledger.find((e) => e.action === 'entity.confirm');
    expect(entry).toMatchObject({
      seq: confirmed.decision?.seq,
      subject: adId,
      details: {
        type: 'phone',
        read,
        original: '۰۹۱۲۳۴۵۶۷۸۰',
        confidence: 64,
        value: '+989123456789',
        picture: { sha256: pictureSha },
      },
    });
    const again = await api.call('dismissCandidate', candidateOf(adId));
    expect(!again.ok && again.error.message).toMatch(/already confirmed by Ana Ruiz/);

    const entities = value<CaseEntity[]>(await api.call('getItemEntities', { itemId: adId }));
    const tehran = entities.find((e) => e.value === '+989123456789');
    expect(tehran?.items[0]?.occurrences).toEqual([
      {
        source: 'confirmed',
        offset: entry?.seq,
        original: '۰۹۱۲۳۴۵۶۷۸۰',
        picture: expect.objectContaining({ sha256: pictureSha }),
      },
    ]);

    api.close();
    const store = temp.open();
    try {
      await rebuildDerived(store);
    } finally {
      store.close();
    }
    api = apiForStore(temp);
    const rebuilt = value<CaseEntity[]>(await api.call('getItemEntities', { itemId: adId }));
    expect(rebuilt.map((e) => e.value)).toContain('+989123456789');
    const [candidate] = value<CandidateView[]>(await api.call('getItemCandidates', { itemId: adId }));
    expect(candidate?.decision?.decision).toBe('confirmed');
    // Confirmed, the number is an entity hit of the selector, no longer a possible one.
    const hits = value<SelectorHit[]>(await api.call('listSelectorHits', {}));
    expect(
      hits.filter((h) => h.itemId === adId && h.selector.value === '+989123456789').map((h) => h.match),
    ).toEqual(['entity']);
  });

  it('dismisses a candidate as a custody entry: no entity, and no longer a possible hit or mark', async () => {
    const dismissed = value<CandidateView>(await api.call('dismissCandidate', candidateOf(repostId)));
    expect(dismissed.decision).toMatchObject({
      decision: 'dismissed',
      value: null,
      investigator: 'Ana Ruiz',
    });
    const ledger = value<{ action: string; subject: string; details: Record<string, unknown> }[]>(
      await api.call('getLedger', {}),
    );
    expect(ledger.filter((e) => e.action === 'entity.dismiss')).toEqual([
      expect.objectContaining({
        subject: repostId,
        details: expect.objectContaining({ read, confidence: 64 }),
      }),
    ]);
    const entities = value<CaseEntity[]>(await api.call('getItemEntities', { itemId: repostId }));
    expect(entities.map((e) => e.value)).not.toContain('+989123456789');
    const hits = value<SelectorHit[]>(await api.call('listSelectorHits', {}));
    expect(hits.filter((h) => h.itemId === repostId).map((h) => h.match)).toEqual(['entity']);
    const marks = value<ItemSelectorMarks>(await api.call('getItemSelectorMarks', { itemId: repostId }));
    expect(marks.pictures.map((p) => p.match)).toEqual(['entity']);
  });
});

describe('the audit of selectors', () => {
  async function auditProblems() {
    const store = temp.openForReading();
    try {
      return (await runAudit(store)).problems;
    } finally {
      store.close();
    }
  }

  it('finds selectors, removals and confirmations as recorded clean', async () => {
    api.close();
    expect(await auditProblems()).toEqual([]);
  });

  it('names a selector whose value was edited behind Custos (triggers dropped) against its signed entry', async () => {
    const db = openRawDatabase(temp.dir);
    try {
      db.exec(
        "DROP TRIGGER selectors_no_update; UPDATE selectors SET value = '+218999999999', label = NULL WHERE label = 'Tehran contact'",
      );
    } finally {
      db.close();
    }
    const problems = await auditProblems();
    expect(problems.map((p) => p.problem)).toEqual([
      // The dropped trigger is named by the schema check, the edit against its signed entry.
      'the trigger selectors_no_update is missing: the table selectors could be edited',
      expect.stringMatching(
        /^value is "\+218999999999", its signed custody entry \d+ says "\+989123456789"$/,
      ),
      expect.stringMatching(/^label is null, its signed custody entry \d+ says "Tehran contact"$/),
    ]);
    expect(problems[0]?.subject).toBe('database schema');
    expect(problems[1]?.subject).toMatch(/^selector [0-9a-f-]{36}$/);
  });
});
