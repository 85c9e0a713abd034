import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { importFile, stageImport } from '../../../electron/core/import/import-file.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { appendLedgerEntry } from '../../../electron/core/store/ledger.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/** Row counts of every evidence table and the ledger head, read straight from the file. */
function snapshot(dir: string) {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      cases: count('cases'),
      items: count('items'),
      artifacts: count('artifacts'),
      annotations: count('annotations'),
      ledger: db.prepare('SELECT seq, action, subject FROM ledger ORDER BY seq').all() as {
        seq: number;
        action: string;
        subject: string;
      }[],
    };
  } finally {
    db.close();
  }
}

describe('EvidenceStore', () => {
  let temp: TempStore;
  let store: EvidenceStore;

  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'ES-1' });
    store = temp.open();
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  test('every action that touches evidence appends exactly one custody entry naming what it touched', async () => {
    const steps: { action: string; subject: string }[] = [];
    const before = snapshot(temp.dir).ledger;
    expect(before.map((e) => e.action)).toEqual(['store.init', 'case.create']);
    expect(before[1]?.subject).toBe(temp.caseId);

    const second = store.createCase({ number: 'ES-2', title: 'Second case' });
    steps.push({ action: 'case.create', subject: second.id });
    expect(snapshot(temp.dir).ledger).toHaveLength(3);

    const itemId = (await importFile(store, 'ES-1', temp.writeFile('ad.txt', 'crossing: 3000 EUR'))).id;
    steps.push({ action: 'item.import', subject: itemId });
    expect(snapshot(temp.dir).ledger).toHaveLength(4);

    store.addNote(itemId, 'posted by the seller account');
    steps.push({ action: 'item.note', subject: itemId });
    expect(snapshot(temp.dir).ledger).toHaveLength(5);

    store.addTag(itemId, 'price');
    steps.push({ action: 'item.tag', subject: itemId });

    const after = snapshot(temp.dir).ledger.slice(before.length);
    expect(after.map(({ action, subject }) => ({ action, subject }))).toEqual(steps);
  });

  test('init is safe to repeat: the same identity adds no key and no entry; another identity is refused', () => {
    const before = snapshot(temp.dir);
    const again = store.init({ name: 'Ana Ruiz', agency: 'Test Unit', badge: '4411' });
    expect(again.created).toBe(false);
    expect(() => store.init({ name: 'Someone Else', agency: null, badge: null })).toThrow(
      /already initialised for Ana Ruiz/,
    );
    expect(snapshot(temp.dir)).toEqual(before);
  });

  test('a refused action writes nothing: no row and no custody entry', async () => {
    const before = snapshot(temp.dir);
    expect(() => store.createCase({ number: 'ES-1', title: 'Duplicate number' })).toThrow(
      /a case numbered ES-1 already exists/,
    );
    expect(() => store.createCase({ number: 'ES-9', title: '   ' })).toThrow(/case title must not be empty/);
    expect(() => store.addNote('00000000-no-such-item', 'text')).toThrow(
      /item 00000000-no-such-item not found/,
    );
    await expect(importFile(store, 'NO-SUCH-CASE', temp.writeFile('x.txt', 'x'))).rejects.toThrow(
      /case NO-SUCH-CASE not found/,
    );
    expect(snapshot(temp.dir)).toEqual(before);
  });

  test('an item and its custody entry commit together: an artifact row failing after the entry was appended leaves neither', async () => {
    const blob = await store.blobs.putBuffer(Buffer.from('the blob exists, the artifact row will not'));
    const before = snapshot(temp.dir);
    // size -1 passes addItem's own checks and fails the artifacts table's CHECK, i.e. after the
    // ledger entry and the item row were written inside the transaction.
    expect(() =>
      store.addItem({
        caseId: 'ES-1',
        kind: 'import',
        source: 'bad.txt',
        metadata: {},
        artifacts: [
          { role: 'original', name: 'original.txt', mediaType: 'text/plain', size: -1, sha256: blob.sha256 },
        ],
      }),
    ).toThrow(/CHECK constraint failed/);
    expect(snapshot(temp.dir)).toEqual(before);
  });

  test('store.transaction rolls back an appended custody entry when its work fails afterwards (a duplicate item id)', async () => {
    const item = await importFile(store, 'ES-1', temp.writeFile('a.txt', 'first'));
    const before = snapshot(temp.dir);
    expect(() =>
      store.transaction((db) => {
        store.appendInTransaction(db, {
          action: 'item.import',
          caseId: item.caseId,
          subject: item.id,
          details: { digest: 'x' },
        });
        db.prepare(
          `INSERT INTO items (id, case_id, kind, source, captured_at, record, digest, created_seq)
           SELECT id, case_id, kind, source, captured_at, record, digest, created_seq FROM items WHERE id = ?`,
        ).run(item.id);
      }),
    ).toThrow(/UNIQUE constraint failed: items.id/);
    expect(() =>
      store.transaction((db) => {
        store.appendInTransaction(db, { action: 'case.note', caseId: null, subject: 'x', details: {} });
        throw new Error('the service failed after appending');
      }),
    ).toThrow('the service failed after appending');
    expect(snapshot(temp.dir)).toEqual(before);

    // The chain continues from the last committed entry, with no gap.
    const entry = store.addTag(item.id, 'after-rollback');
    const head = before.ledger.at(-1);
    expect(entry.seq).toBe((head?.seq ?? 0) + 1);
    expect(entry.prevHash).toBe(store.ledger().at(-2)?.hash);
  });

  test("store.addPersistedItems (an import's group) commits every item with its own custody entry, in order, as addItem would, and an item that fails leaves none of the group", async () => {
    const stage = (name: string) => stageImport(store, 'ES-1', temp.writeFile(name, `content of ${name}`));
    const group = [await stage('a.txt'), await stage('b.txt')];
    const before = snapshot(temp.dir);
    const added = store.addPersistedItems(group);
    expect(added.map((item) => item.source)).toEqual(group.map((item) => item.source));
    const after = snapshot(temp.dir);
    expect(after.items).toBe(before.items + 2);
    expect(after.ledger.slice(before.ledger.length)).toEqual(
      added.map((item, k) => ({
        seq: before.ledger.length + 1 + k,
        action: 'item.import',
        subject: item.id,
      })),
    );
    expect(store.getItemSummary(added[1]!.id)).toEqual(added[1]);

    const failing = [await stage('c.txt'), { ...(await stage('d.txt')), caseId: 'no-such-case' }];
    expect(() => store.addPersistedItems(failing)).toThrow(/no-such-case/);
    expect(snapshot(temp.dir)).toEqual(after);
  });

  test('a custody entry cannot be appended outside the transaction of its action', () => {
    const db = store.db as Parameters<typeof appendLedgerEntry>[0];
    expect(() =>
      appendLedgerEntry(db, store.signer(), { action: 'x', caseId: null, subject: 'x', details: {} }),
    ).toThrow(/must run inside the transaction of its action/);
  });

  test("an item's digest is the SHA-256 of its canonical capture record, which lists each artifact's role, type, size and hash", async () => {
    const item = await importFile(
      store,
      'ES-1',
      temp.writeFile('photo.png', Buffer.from('89504e470d0a1a0a', 'hex')),
    );
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      const row = db.prepare('SELECT record, digest, created_seq FROM items WHERE id = ?').get(item.id) as {
        record: string;
        digest: string;
        created_seq: number;
      };
      const record = JSON.parse(row.record) as { itemId: string; artifacts: unknown[] };
      expect(row.record).toBe(canonicalize(record));
      expect(createHash('sha256').update(row.record, 'utf8').digest('hex')).toBe(row.digest);
      expect(item.digest).toBe(row.digest);
      expect(record.itemId).toBe(item.id);
      const artifacts = db
        .prepare('SELECT role, media_type, size, sha256 FROM artifacts WHERE item_id = ? ORDER BY position')
        .all(item.id) as {
        role: string;
        media_type: string;
        size: number;
        sha256: string;
      }[];
      expect(record.artifacts).toEqual(
        artifacts.map((a) =>
          expect.objectContaining({ role: a.role, mediaType: a.media_type, size: a.size, sha256: a.sha256 }),
        ),
      );
      const entry = db.prepare('SELECT subject, details FROM ledger WHERE seq = ?').get(row.created_seq) as {
        subject: string;
        details: string;
      };
      expect(entry.subject).toBe(item.id);
      expect(JSON.parse(entry.details).digest).toBe(row.digest);
    } finally {
      db.close();
    }
  });
});
