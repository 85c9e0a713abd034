import type { Problem } from '../../../../shared/domain.js';
import { getLedgerEntry } from '../ledger.js';
import * as q from '../queries.js';
import type { AuditCheck } from './audit-check.js';

/**
 * Every note and tag matches the signed custody entry that recorded it, and no two rows claim the
 * same entry (a copied row would show the note twice, vouched for by one signature).
 */
export const annotationCheck: AuditCheck = {
  name: 'annotations',
  run: ({ db }) => {
    const problems: Problem[] = [];
    const firstRowOfEntry = new Map<number, number>();
    for (const annotation of q.iterateAnnotations(db)) {
      const first = firstRowOfEntry.get(annotation.ledger_seq);
      if (first !== undefined) {
        problems.push({
          subject: `${annotation.kind} ${annotation.id} on item ${annotation.item_id}`,
          problem: `a second row for custody entry ${annotation.ledger_seq}, which recorded one ${annotation.kind} (row ${first}): a duplicated row`,
        });
        continue;
      }
      firstRowOfEntry.set(annotation.ledger_seq, annotation.id);
      const entry = getLedgerEntry(db, annotation.ledger_seq);
      const field = annotation.kind === 'note' ? 'text' : 'tag';
      if (
        !entry ||
        entry.subject !== annotation.item_id ||
        entry.action !== `item.${annotation.kind}` ||
        entry.details[field] !== annotation.text
      ) {
        problems.push({
          subject: `${annotation.kind} ${annotation.id} on item ${annotation.item_id}`,
          problem: `does not match its custody entry ${annotation.ledger_seq}`,
        });
      }
    }
    return { problems };
  },
};
