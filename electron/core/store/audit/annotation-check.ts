import type { Problem } from '../../../../shared/domain.js';
import { getLedgerEntry } from '../ledger.js';
import * as q from '../queries.js';
import type { AuditCheck } from './audit-check.js';

/** Every note and tag matches the signed custody entry that recorded it. */
export const annotationCheck: AuditCheck = {
  name: 'annotations',
  run: ({ db }) => {
    const problems: Problem[] = [];
    for (const annotation of q.iterateAnnotations(db)) {
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
