import type { Problem } from '../../../shared/domain.js';
import { entryDisagreements } from '../store/audit/entry-agreement.js';
import type { ReadableDB } from '../store/database.js';

interface WatchRow {
  id: string;
  url: string;
  interval_seconds: number;
  ledger_seq: number;
}

interface CheckRow {
  id: number;
  watch_id: string;
  state: string;
  item_id: string | null;
  baseline_item_id: string | null;
  error: string | null;
  ledger_seq: number;
}

/**
 * The audit's part for watches (migration 009): every watch, removal and check must match the
 * signed custody entry that recorded it (its action, subject, URL, interval, state, item and
 * error), so a history row edited behind Custos's back (triggers dropped) is named.
 */
export function auditWatches(db: ReadableDB): Problem[] {
  const problems: Problem[] = [];
  const expect = (
    row: string,
    seq: number,
    action: string,
    watchId: string,
    fields: Readonly<Record<string, unknown>>,
  ) =>
    problems.push(...entryDisagreements(db, { row, seq, action, subject: watchId, kind: 'watch', fields }));
  for (const w of db
    .prepare('SELECT id, url, interval_seconds, ledger_seq FROM watches')
    .all() as WatchRow[]) {
    expect(`watch ${w.id}`, w.ledger_seq, 'watch.add', w.id, {
      url: w.url,
      intervalSeconds: w.interval_seconds,
    });
  }
  for (const r of db.prepare('SELECT watch_id, ledger_seq FROM watch_removals').all() as {
    watch_id: string;
    ledger_seq: number;
  }[]) {
    expect(`removal of watch ${r.watch_id}`, r.ledger_seq, 'watch.remove', r.watch_id, {});
  }
  const checks = db
    .prepare('SELECT id, watch_id, state, item_id, baseline_item_id, error, ledger_seq FROM watch_checks')
    .all() as CheckRow[];
  for (const c of checks) {
    expect(`check ${c.id} of watch ${c.watch_id}`, c.ledger_seq, 'watch.check', c.watch_id, {
      state: c.state,
      itemId: c.item_id,
      baselineItemId: c.baseline_item_id,
      error: c.error,
    });
  }
  return problems;
}
