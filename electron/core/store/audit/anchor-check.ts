import type { Problem } from '../../../../shared/domain.js';
import type { ReadableDB } from '../database.js';
import * as q from '../queries.js';
import { pendingRestoreState } from '../restore-pending.js';
import { anchorDifference, ledgerFacts, type readAnchor } from '../store-anchor.js';
import { settlerNow } from '../store-folder.js';
import type { StoreLayout } from '../store-layout.js';
import type { AuditCheck, AuditFindings } from './audit-check.js';

/**
 * The database against `store.json`, the signed anchor outside it: the anchor verifies, names
 * this store and the workstation's key, and the ledger still holds the head it records (a
 * rolled-back or replaced database is named here even when it is consistent in itself).
 */
export const anchorCheck: AuditCheck = {
  name: 'store anchor',
  run: ({ db, layout, next, anchorBeforeSnapshot }) => {
    const found = anchorFindings(db, layout, anchorBeforeSnapshot());
    // Checked as well, not instead: a database put in place with a marker beside it is still named.
    const marker = pendingRestoreState(layout, next);
    if (marker === null) return found;
    const subject = 'restore-pending.json';
    if (marker === 'pending') {
      // Said when the reader's wait (`untilRestoreSettled`) ended with another process still holding the lock.
      const settler = settlerNow(layout, next);
      return {
        ...found,
        notices: [
          ...(found.notices ?? []),
          {
            subject,
            problem: `a \`custos restore\` was interrupted before it was recorded in the custody ledger (its marker is signed with this store's key); ${next.settleRestore}, then ${next.audit} again${settler && `.${settler}`}`,
          },
        ],
      };
    }
    return { ...found, problems: [...(found.problems ?? []), { subject, problem: marker.problem }] };
  },
};

function anchorFindings(
  db: ReadableDB,
  layout: StoreLayout,
  read: ReturnType<typeof readAnchor>,
): AuditFindings {
  const subject = 'store anchor store.json';
  if (read === null) {
    if (ledgerFacts(db).anchored)
      return {
        problems: [{ subject, problem: 'missing, though the database records that it was written' }],
      };
    return {
      notices: [
        { subject, problem: 'not written yet (a store from before anchors); the next write creates it' },
      ],
    };
  }
  if ('problem' in read) return { problems: [{ subject, problem: read.problem }] };
  const problems: Problem[] = [];
  const { anchor } = read;
  const difference = anchorDifference(anchor, ledgerFacts(db, anchor.ledger.count), layout.database);
  if (difference) problems.push({ subject, problem: difference });
  const workstation = q.getSetting(db, 'workstation.investigator');
  const investigator = workstation === undefined ? undefined : q.getInvestigator(db, workstation);
  if (investigator && investigator.keyFingerprint !== anchor.keyFingerprint)
    problems.push({
      subject,
      problem: `signed by key ${anchor.keyFingerprint}, not by this workstation's key ${investigator.keyFingerprint}`,
    });
  return { problems };
}
