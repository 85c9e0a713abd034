import { cachedStatement, type ReadableDB, type WritableDB } from '../store/database.js';
import type { Deriver } from './deriver.js';

/** The condition for "this deriver has not processed item i as it stands" (d: its state row). */
function needsCondition(deriver: Deriver): string {
  const stale = deriver.readsAnnotations
    ? ' OR EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id AND a.id > d.annotations_upto)'
    : '';
  const applies = deriver.appliesTo ? ` AND ${deriver.appliesTo}` : '';
  return `(d.item_id IS NULL OR d.version <> @version${stale})${applies}`;
}

/** Items (oldest first) that a deriver has not processed at its current version. */
export function itemsNeeding(db: ReadableDB, deriver: Deriver, limit: number): string[] {
  return (
    cachedStatement(
      db,
      `SELECT i.id FROM items i
         LEFT JOIN derived_state d ON d.item_id = i.id AND d.deriver = @name
         WHERE ${needsCondition(deriver)}
         ORDER BY i.rowid LIMIT @limit`,
    ).all({ name: deriver.name, version: deriver.version, limit }) as { id: string }[]
  ).map((row) => row.id);
}

/** How many items a deriver has not processed at its current version. */
export function countNeeding(db: ReadableDB, deriver: Deriver): number {
  return (
    cachedStatement(
      db,
      `SELECT count(*) AS n FROM items i
         LEFT JOIN derived_state d ON d.item_id = i.id AND d.deriver = @name
         WHERE ${needsCondition(deriver)}`,
    ).get({ name: deriver.name, version: deriver.version }) as { n: number }
  ).n;
}

/** The newest annotation id of an item (0 when it has none). */
export function lastAnnotationId(db: ReadableDB, itemId: string): number {
  return (
    cachedStatement(db, 'SELECT coalesce(max(id), 0) AS id FROM annotations WHERE item_id = ?').get(
      itemId,
    ) as {
      id: number;
    }
  ).id;
}

/** Records that a deriver processed an item as it stood (with the error, when it failed). */
export function markDerived(
  db: WritableDB,
  itemId: string,
  deriver: Deriver,
  annotationsUpto: number,
  error: string | null,
): void {
  cachedStatement(
    db,
    `INSERT INTO derived_state (item_id, deriver, version, derived_at, error, annotations_upto)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(item_id, deriver) DO UPDATE SET version = excluded.version,
       derived_at = excluded.derived_at, error = excluded.error, annotations_upto = excluded.annotations_upto`,
  ).run(itemId, deriver.name, deriver.version, new Date().toISOString(), error, annotationsUpto);
}

/** Forgets everything derived by these derivers (a rebuild). */
export function clearDerivedState(db: WritableDB, derivers: readonly Deriver[]): void {
  const forget = db.prepare('DELETE FROM derived_state WHERE deriver = ?');
  for (const deriver of derivers) forget.run(deriver.name);
}

/** Items whose derivation failed, with the deriver and its message. */
export function derivationErrors(db: ReadableDB): { itemId: string; deriver: string; error: string }[] {
  return db
    .prepare(
      'SELECT item_id AS itemId, deriver, error FROM derived_state WHERE error IS NOT NULL ORDER BY item_id',
    )
    .all() as { itemId: string; deriver: string; error: string }[];
}

/** Makes a deriver process an item again (its input, another deriver's rows, changed). */
export function forgetDerived(db: WritableDB, itemId: string, deriverName: string): void {
  db.prepare('DELETE FROM derived_state WHERE item_id = ? AND deriver = ?').run(itemId, deriverName);
}
