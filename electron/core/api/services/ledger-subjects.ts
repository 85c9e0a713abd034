/**
 * What each custody entry of a page concerns, in words a person recognises: the item's title (or
 * address, or file name) instead of its id, the watched address instead of the watch's id, the
 * selector's value (and label) instead of its id, the case's number; and the item to open from the entry (a check's capture, for a watch check).
 */
import type { LedgerRow } from '../../../../shared/api.js';
import type { LedgerEntry } from '../../../../shared/domain.js';
import type { ReadableDB } from '../../store/database.js';

/** The entries with their subject's label and the item each one opens. */
export function withSubjects(db: ReadableDB, entries: readonly LedgerEntry[]): LedgerRow[] {
  const item = db.prepare('SELECT coalesce(title, url, source) FROM items WHERE id = ?').pluck();
  const watch = db.prepare('SELECT url FROM watches WHERE id = ?').pluck();
  const selector = db
    .prepare("SELECT value || coalesce(' (' || label || ')', '') FROM selectors WHERE id = ?")
    .pluck();
  const caseNumber = db.prepare('SELECT number FROM cases WHERE id = ?').pluck();
  return entries.map((entry) => {
    const itemLabel = item.get(entry.subject) as string | undefined;
    const checkedItem = entry.action === 'watch.check' ? entry.details.itemId : undefined;
    const subjectLabel =
      itemLabel ??
      (watch.get(entry.subject) as string | undefined) ??
      (selector.get(entry.subject) as string | undefined) ??
      (caseNumber.get(entry.subject) as string | undefined) ??
      null;
    const itemId =
      itemLabel !== undefined ? entry.subject : typeof checkedItem === 'string' ? checkedItem : null;
    return { ...entry, subjectLabel, itemId };
  });
}
