import { CUSTODY_ACTION_NAMES, custodyActionName } from '../../../shared/custody-actions.js';
import type { LedgerEntry } from '../../../shared/domain.js';

/** A custody action in words ("Page captured", "Note added"); unknown actions show their own name. */
export function actionLabel(action: string): string {
  return custodyActionName(action);
}

/** The actions whose words contain `text` (case-insensitive), for a filter that reads as shown. */
export function actionsLabelled(text: string): string[] {
  const wanted = text.toLowerCase();
  return Object.keys(CUSTODY_ACTION_NAMES).filter((action) =>
    custodyActionName(action).toLowerCase().includes(wanted),
  );
}

/** The detail of an entry worth a glance: the note's text, the tag, the bundle's hash. */
export function entrySummary(entry: LedgerEntry): string {
  const d = entry.details as Record<string, unknown>;
  for (const key of ['text', 'tag', 'title', 'source', 'file', 'number']) {
    const value = d[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  if (typeof d.digest === 'string') return d.digest;
  return '';
}
