import type { Problem } from '../../../shared/domain.js';
import { entryDisagreements } from '../store/audit/entry-agreement.js';
import type { ReadableDB } from '../store/database.js';

interface SelectorRow {
  id: string;
  case_id: string | null;
  type: string;
  value: string;
  raw: string;
  label: string | null;
  created_at: string;
  created_by: string;
  ledger_seq: number;
}

interface RemovalRow {
  selector_id: string;
  removed_at: string;
  investigator_id: string;
  ledger_seq: number;
  case_id: string | null;
  type: string;
  value: string;
  label: string | null;
}

/**
 * The audit's part for selectors (migration 013): every selector and every removal must match the
 * signed custody entry that recorded it (action, subject, case, time, investigator, and the type,
 * value, typed text and label), so a row edited behind Custos's back (triggers dropped) is named.
 * Confirmed and dismissed OCR candidates have no rows of their own: their custody entries are
 * their only record, which the ledger check verifies.
 */
export function auditSelectors(db: ReadableDB): Problem[] {
  const problems: Problem[] = [];
  for (const s of db.prepare('SELECT * FROM selectors ORDER BY ledger_seq').all() as SelectorRow[]) {
    problems.push(
      ...entryDisagreements(db, {
        row: `selector ${s.id}`,
        seq: s.ledger_seq,
        action: 'selector.add',
        subject: s.id,
        kind: 'selector',
        fields: { type: s.type, value: s.value, raw: s.raw, label: s.label },
        entry: { caseId: s.case_id, time: s.created_at, investigatorId: s.created_by },
      }),
    );
  }
  const removals = db
    .prepare(
      `SELECT r.selector_id, r.removed_at, r.investigator_id, r.ledger_seq, s.case_id, s.type, s.value, s.label
       FROM selector_removals r JOIN selectors s ON s.id = r.selector_id ORDER BY r.ledger_seq`,
    )
    .all() as RemovalRow[];
  for (const r of removals) {
    problems.push(
      ...entryDisagreements(db, {
        row: `removal of selector ${r.selector_id}`,
        seq: r.ledger_seq,
        action: 'selector.remove',
        subject: r.selector_id,
        kind: 'selector',
        fields: { type: r.type, value: r.value, label: r.label },
        entry: { caseId: r.case_id, time: r.removed_at, investigatorId: r.investigator_id },
      }),
    );
  }
  return problems;
}
