import { createHash } from 'node:crypto';
import { openRawDatabase } from './sqlite.js';
import type { TempStore } from './temp-store.js';

const NOTES = ['seen on the seller page', 'سفر امن با قایق', 'رحلة بحرية', 'price list attached'];

/**
 * Appends `count` custody rows to the store's case (notes and tags on made-up subjects), written
 * straight into SQLite in one transaction: a case with a long custody log for paging tests, made
 * in a second. The rows are hash-chained but not signed, so such a store does not audit clean; it
 * is only for reading. Returns the head's sequence number.
 */
export function seedLedger(temp: TempStore, count: number): number {
  const caseId = temp.caseId;
  if (caseId === undefined)
    throw new Error('seedLedger needs a store made with makeTempStore({ caseNumber })');
  const db = openRawDatabase(temp.dir);
  try {
    const head = db.prepare('SELECT * FROM ledger ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
      investigator_id: string;
      key_fingerprint: string;
      time_zone: string;
    };
    const insert = db.prepare(
      `INSERT INTO ledger (seq, time, time_zone, investigator_id, key_fingerprint, action, case_id, subject, details, prev_hash, hash, signature)
       VALUES (@seq, @time, @timeZone, @investigator, @key, @action, @caseId, @subject, @details, @prev, @hash, 'unsigned-seed')`,
    );
    const start = Date.now();
    let prev = head.hash;
    let seq = head.seq;
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        seq++;
        const note = i % 5 !== 4;
        const details = JSON.stringify(
          note ? { text: `${NOTES[i % NOTES.length]} #${i}` } : { tag: `lot-${i % 97}` },
        );
        const hash = createHash('sha256').update(`${prev}${seq}${details}`).digest('hex');
        insert.run({
          seq,
          time: new Date(start + i * 1000).toISOString(),
          timeZone: head.time_zone,
          investigator: head.investigator_id,
          key: head.key_fingerprint,
          action: note ? 'item.note' : 'item.tag',
          caseId,
          subject: `seeded-item-${Math.floor(i / 10)}`,
          details,
          prev,
          hash,
        });
        prev = hash;
      }
    })();
    return seq;
  } finally {
    db.close();
  }
}
