/**
 * Plain queries over the watch tables (migration 009): the database first, writable handles told
 * apart by type, no rules here (watch-service.ts has them).
 */
import type { StoredWatch, WatchCheck, WatchState } from '../../../shared/watch.js';
import type { ReadableDB, WritableDB } from '../store/database.js';

interface WatchRow {
  id: string;
  case_id: string;
  case_number: string;
  url: string;
  interval_seconds: number;
  created_at: string;
  ledger_seq: number;
  removed_at: string | null;
}

interface CheckRow {
  checked_at: string;
  state: WatchState;
  item_id: string | null;
  baseline_item_id: string | null;
  signals: string;
  error: string | null;
  ledger_seq: number;
}

const WATCH_SELECT = `
  SELECT w.id, w.case_id, c.number AS case_number, w.url, w.interval_seconds, w.created_at, w.ledger_seq,
         r.removed_at
  FROM watches w JOIN cases c ON c.id = w.case_id LEFT JOIN watch_removals r ON r.watch_id = w.id`;

const toWatch = (row: WatchRow): StoredWatch => ({
  id: row.id,
  caseId: row.case_id,
  caseNumber: row.case_number,
  url: row.url,
  intervalSeconds: row.interval_seconds,
  createdAt: row.created_at,
  createdSeq: row.ledger_seq,
  removedAt: row.removed_at,
});

const toCheck = (row: CheckRow): WatchCheck => {
  const signals = JSON.parse(row.signals) as { reasons?: string[] } & Record<string, unknown>;
  const { reasons = [], ...rest } = signals;
  return {
    checkedAt: row.checked_at,
    state: row.state,
    itemId: row.item_id,
    baselineItemId: row.baseline_item_id,
    reasons,
    signals: rest,
    error: row.error,
    ledgerSeq: row.ledger_seq,
  };
};

/** Adds a watch. */
export function insertWatch(
  db: WritableDB,
  watch: Omit<StoredWatch, 'caseNumber' | 'removedAt'> & { readonly createdBy: string },
): void {
  db.prepare(
    `INSERT INTO watches (id, case_id, url, interval_seconds, created_at, created_by, ledger_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    watch.id,
    watch.caseId,
    watch.url,
    watch.intervalSeconds,
    watch.createdAt,
    watch.createdBy,
    watch.createdSeq,
  );
}

/** Records a watch's removal (the watch and its history stay). */
export function insertRemoval(
  db: WritableDB,
  removal: { watchId: string; removedAt: string; investigatorId: string; ledgerSeq: number },
): void {
  db.prepare(
    'INSERT INTO watch_removals (watch_id, removed_at, investigator_id, ledger_seq) VALUES (?, ?, ?, ?)',
  ).run(removal.watchId, removal.removedAt, removal.investigatorId, removal.ledgerSeq);
}

/** Appends one check to a watch's history. */
export function insertCheck(db: WritableDB, watchId: string, check: WatchCheck): void {
  db.prepare(
    `INSERT INTO watch_checks (watch_id, checked_at, state, item_id, baseline_item_id, signals, error, ledger_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    watchId,
    check.checkedAt,
    check.state,
    check.itemId,
    check.baselineItemId,
    JSON.stringify({ ...check.signals, reasons: check.reasons }),
    check.error,
    check.ledgerSeq,
  );
}

/** Watches, all or of one case, oldest first; removed ones only when asked. */
export function listWatches(
  db: ReadableDB,
  options: { readonly caseId?: string; readonly includeRemoved?: boolean } = {},
): StoredWatch[] {
  const where: string[] = [];
  const params: string[] = [];
  if (options.caseId !== undefined) {
    where.push('w.case_id = ?');
    params.push(options.caseId);
  }
  if (!options.includeRemoved) where.push('r.watch_id IS NULL');
  const sql = `${WATCH_SELECT}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY w.created_at, w.id`;
  return (db.prepare(sql).all(...params) as WatchRow[]).map(toWatch);
}

/** A watch by id (or a unique id prefix of at least 8 characters). */
export function findWatchById(db: ReadableDB, ref: string): StoredWatch | undefined {
  const exact = db.prepare(`${WATCH_SELECT} WHERE w.id = ?`).get(ref) as WatchRow | undefined;
  if (exact) return toWatch(exact);
  if (ref.length < 8 || /[%_]/.test(ref)) return undefined;
  const rows = db.prepare(`${WATCH_SELECT} WHERE w.id LIKE ? LIMIT 2`).all(`${ref}%`) as WatchRow[];
  return rows.length === 1 && rows[0] ? toWatch(rows[0]) : undefined;
}

/** A watch's checks, oldest first. */
export function listChecks(db: ReadableDB, watchId: string): WatchCheck[] {
  return (
    db
      .prepare(
        `SELECT checked_at, state, item_id, baseline_item_id, signals, error, ledger_seq
         FROM watch_checks WHERE watch_id = ? ORDER BY id`,
      )
      .all(watchId) as CheckRow[]
  ).map(toCheck);
}

/** How many active watches of a case there are (for export: a case with watches gets watch.json). */
export function countWatches(db: ReadableDB, caseId: string): number {
  return (db.prepare('SELECT count(*) AS n FROM watches WHERE case_id = ?').get(caseId) as { n: number }).n;
}
