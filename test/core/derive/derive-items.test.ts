import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { deriveMissing, rebuildDerived } from '../../../electron/core/derive/derive-items.js';
import { derivationErrors } from '../../../electron/core/derive/derived-state-queries.js';
import type { DerivableItem, Deriver } from '../../../electron/core/derive/deriver.js';
import type { WritableDB } from '../../../electron/core/store/database.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { type SeededEvidence, seedStore } from '../../support/seed-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/**
 * A real deriver of the simplest kind (it stores each item's text length and its notes) with its
 * own table in the real store, so the framework is exercised exactly as the search and entity
 * derivers use it.
 */
function lengthDeriver(
  options: { version?: number; failOn?: string; failWriteOn?: string; readsAnnotations?: boolean } = {},
) {
  const seen: string[] = [];
  const deriver: Deriver<{ bytes: number; notes: number }> = {
    name: 'test-length',
    version: options.version ?? 1,
    readsAnnotations: options.readsAnnotations,
    async extract(item: DerivableItem) {
      seen.push(item.id);
      if (item.id === options.failOn) throw new Error('unreadable test input');
      const artifact = item.record.artifacts[0]!;
      return { bytes: (await item.readArtifact(artifact.sha256)).length, notes: 0 };
    },
    write(db: WritableDB, item: DerivableItem, data) {
      // A temporary table (this connection's own): a table added to the store's schema is an audit finding.
      db.exec(
        'CREATE TEMP TABLE IF NOT EXISTS test_length (item_id TEXT PRIMARY KEY, bytes INTEGER, notes INTEGER)',
      );
      const notes = (
        db
          .prepare("SELECT count(*) AS n FROM annotations WHERE item_id = ? AND kind = 'note'")
          .get(item.id) as { n: number }
      ).n;
      db.prepare('INSERT OR REPLACE INTO test_length VALUES (?, ?, ?)').run(item.id, data.bytes, notes);
      if (item.id === options.failWriteOn) throw new Error('the derived row does not fit');
    },
    clear(db: WritableDB) {
      db.exec('DROP TABLE IF EXISTS test_length');
    },
  };
  return { deriver, seen };
}

function rows(store: EvidenceStore): { item_id: string; bytes: number; notes: number }[] {
  return store.db.prepare('SELECT * FROM test_length ORDER BY item_id').all() as never;
}

describe('derived data (search, entities, image hashes) is computed from the originals', () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  let store: EvidenceStore;
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    seeded = await seedStore(temp, { files: 3 });
    store = temp.open();
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  it('derives every item once; a second pass has nothing to do', async () => {
    const { deriver, seen } = lengthDeriver();
    expect(await deriveMissing(store, { derivers: [deriver] })).toEqual({
      derived: 3,
      failed: 0,
      remaining: 0,
    });
    expect(
      rows(store)
        .map((r) => r.bytes)
        .sort(),
    ).toEqual(seeded.items.map((i) => i.size).sort());
    expect(await deriveMissing(store, { derivers: [deriver] })).toEqual({
      derived: 0,
      failed: 0,
      remaining: 0,
    });
    expect(seen).toHaveLength(3);
  });

  it('a deriver that fails on one item records why, derives the others, and never throws', async () => {
    const bad = seeded.items[1]!.id;
    const { deriver } = lengthDeriver({ failOn: bad });
    expect(await deriveMissing(store, { derivers: [deriver] })).toEqual({
      derived: 2,
      failed: 1,
      remaining: 0,
    });
    expect(derivationErrors(store.db)).toEqual([
      { itemId: bad, deriver: 'test-length', error: 'unreadable test input' },
    ]);
    const again = lengthDeriver({ failOn: bad });
    expect((await deriveMissing(store, { derivers: [again.deriver] })).derived).toBe(0);
    expect(again.seen).toEqual([]); // not retried on every write; a rebuild retries
  });

  it('derived rows commit without an fsync each (synchronous=NORMAL) and the next evidence commit waits for the disk again (FULL), also after a failed write', async () => {
    const levels: number[] = [];
    const { deriver } = lengthDeriver({ failWriteOn: seeded.items[1]!.id });
    const writing = deriver.write;
    deriver.write = (db, item, data) => {
      levels.push(db.pragma('synchronous', { simple: true }) as number);
      writing(db, item, data);
    };
    await deriveMissing(store, { derivers: [deriver] });

    expect(levels).toEqual([1, 1, 1]); // NORMAL
    // FULL again for the next evidence transaction.
    const level = () => store.transaction((db) => db.pragma('synchronous', { simple: true }));
    expect(level()).toBe(2);
    // Inside an evidence transaction a derived one is part of it: FULL.
    expect(
      store.transaction(() => store.derivedTransaction((db) => db.pragma('synchronous', { simple: true }))),
    ).toBe(2);
    expect(() =>
      store.derivedTransaction(() => {
        throw new Error('the derived row does not fit');
      }),
    ).toThrow('does not fit');
    expect(level()).toBe(2);
  });

  it('a write that fails on one item is undone alone: the others written in the same batch stay', async () => {
    const bad = seeded.items[2]!.id;
    const { deriver } = lengthDeriver({ failWriteOn: bad });
    expect(await deriveMissing(store, { derivers: [deriver] })).toEqual({
      derived: 2,
      failed: 1,
      remaining: 0,
    });
    expect(rows(store).map((r) => r.item_id)).toEqual(
      seeded.items
        .filter((i) => i.id !== bad)
        .map((i) => i.id)
        .sort(),
    );
    expect(derivationErrors(store.db)).toEqual([
      { itemId: bad, deriver: 'test-length', error: 'the derived row does not fit' },
    ]);
  });

  it('a new deriver version derives every item again', async () => {
    await deriveMissing(store, { derivers: [lengthDeriver().deriver] });
    const v2 = lengthDeriver({ version: 2 });
    expect((await deriveMissing(store, { derivers: [v2.deriver] })).derived).toBe(3);
  });

  it('a new note makes a deriver that reads annotations derive that item again, and only it', async () => {
    const reading = lengthDeriver({ readsAnnotations: true });
    const blind = lengthDeriver();
    blind.deriver = { ...blind.deriver, name: 'test-blind', write: () => undefined, clear: () => undefined };
    await deriveMissing(store, { derivers: [reading.deriver, blind.deriver] });
    const target = seeded.items[2]!.id;
    store.addNote(target, 'same boat as in case BE-7');
    reading.seen.length = 0;
    blind.seen.length = 0;
    await deriveMissing(store, { derivers: [reading.deriver, blind.deriver] });
    expect(reading.seen).toEqual([target]);
    expect(blind.seen).toEqual([]);
    expect(rows(store).find((r) => r.item_id === target)?.notes).toBe(1);
  });

  it('a bounded pass leaves the rest for later and says how many wait', async () => {
    const { deriver } = lengthDeriver();
    expect(await deriveMissing(store, { derivers: [deriver], limit: 2 })).toEqual({
      derived: 2,
      failed: 0,
      remaining: 1,
    });
    expect(await deriveMissing(store, { derivers: [deriver] })).toEqual({
      derived: 1,
      failed: 0,
      remaining: 0,
    });
  });

  it('a rebuild throws the derived rows away and derives everything again, failures included', async () => {
    const bad = seeded.items[0]!.id;
    await deriveMissing(store, { derivers: [lengthDeriver({ failOn: bad }).deriver] });
    store.transaction((db) => db.exec('UPDATE test_length SET bytes = -1'));
    const fixed = lengthDeriver();
    expect(await rebuildDerived(store, { derivers: [fixed.deriver] })).toEqual({
      derived: 3,
      failed: 0,
      remaining: 0,
    });
    expect(rows(store).every((r) => r.bytes > 0)).toBe(true);
    expect(derivationErrors(store.db)).toEqual([]);
  });

  it('deriving never touches evidence: the audit stays clean and the ledger gains no entry', async () => {
    const before = store.ledger().length;
    await deriveMissing(store, { derivers: [lengthDeriver().deriver] });
    await rebuildDerived(store, { derivers: [lengthDeriver().deriver] });
    expect(store.ledger()).toHaveLength(before);
    const report = await runAudit(store);
    expect(report.problems).toEqual([]);
    expect(report.clean).toBe(true);
  });
});
