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

/**
 * The detail of an entry worth a glance: the note's text, the tag, the bundle's file; a watch's
 * address and interval, or the state a check found and why; a selector's value; a number confirmed
 * from a picture, as written, as read and as confirmed; else the digest.
 */
export function entrySummary(entry: LedgerEntry): string {
  const d = entry.details as Record<string, unknown>;
  if (entry.action === 'watch.check' && typeof d.state === 'string') {
    const reasons = Array.isArray(d.reasons) ? d.reasons.filter((r) => typeof r === 'string') : [];
    const state =
      typeof d.previousState === 'string' && d.previousState !== d.state
        ? `${d.previousState} → ${d.state}`
        : d.state;
    return [state, ...reasons].join(': ');
  }
  if (
    (entry.action === 'entity.confirm' || entry.action === 'entity.dismiss') &&
    typeof d.original === 'string'
  ) {
    return entry.action === 'entity.confirm'
      ? `${d.original} (read ${String(d.read)}) → ${String(d.value)}`
      : `${d.original} (read ${String(d.read)})`;
  }
  if (
    (entry.action === 'selector.add' || entry.action === 'selector.remove') &&
    typeof d.value === 'string'
  ) {
    return typeof d.label === 'string' ? `${d.value} (${d.label})` : d.value;
  }
  if (entry.action === 'watch.add' && typeof d.url === 'string') {
    return typeof d.every === 'string' ? `${d.url} (${d.every})` : d.url;
  }
  for (const key of ['text', 'tag', 'title', 'source', 'file', 'number', 'url']) {
    const value = d[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  if (Array.isArray(d.authorities)) return d.authorities.join(', ');
  if (typeof d.digest === 'string') return d.digest;
  return '';
}
