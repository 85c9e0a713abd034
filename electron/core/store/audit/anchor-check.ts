import type { Problem } from '../../../../shared/domain.js';
import type { NextStep } from '../../errors.js';
import type { ReadableDB } from '../database.js';
import * as q from '../queries.js';
import { type PendingRestore, pendingRestoreState } from '../restore-pending.js';
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
    // Checked as well, not instead: a database put in place with a marker beside it is still named.
    const marker = pendingRestoreState(layout, next);
    const found = anchorFindings(
      db,
      layout,
      anchorBeforeSnapshot(),
      marker && 'pending' in marker ? (anchored) => pendingRestoreDifference(marker, anchored, next) : null,
    );
    if (marker === null) return found;
    const subject = 'restore-pending.json';
    if ('pending' in marker) {
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

/**
 * The anchor's difference, in words that say why, when the database in place is the backup an
 * interrupted restore was putting in place (or that backup with the restore recorded, store.json
 * not yet rewritten): the generic words ("replaced by an older copy or truncated", "its history
 * was replaced") read as tampering, where the store is as a kill midway through `custos restore`
 * (or through the write that was settling it) leaves it, and the next write settles it. Null for
 * any other database in place: its difference is named as it is.
 */
function pendingRestoreDifference(
  marker: PendingRestore,
  anchoredCount: number,
  next: NextStep,
): string | null {
  const before = `store.json still records the ${anchoredCount} custody entries from before the restore`;
  if (marker.pending === 'backup')
    return `the database in place is the backup a \`custos restore\` was putting in place (its custody ledger ends at entry ${marker.count}, as restore-pending.json records), and the restore was stopped before it recorded that, so ${before}; ${next.settleRestore}, then ${next.audit} again`;
  if (marker.pending === 'recorded')
    return `the database in place is the backup a \`custos restore\` put in place, with the restore recorded as custody entry ${marker.count}, but the restore was stopped before it rewrote store.json for that entry, so ${before}; ${next.settleRestore}, then ${next.audit} again`;
  return null;
}

function anchorFindings(
  db: ReadableDB,
  layout: StoreLayout,
  read: ReturnType<typeof readAnchor>,
  restoreDifference: ((anchoredCount: number) => string | null) | null,
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
  if (difference) problems.push({ subject, problem: restoreDifference?.(anchor.ledger.count) ?? difference });
  const workstation = q.getSetting(db, 'workstation.investigator');
  const investigator = workstation === undefined ? undefined : q.getInvestigator(db, workstation);
  if (investigator && investigator.keyFingerprint !== anchor.keyFingerprint)
    problems.push({
      subject,
      problem: `signed by key ${anchor.keyFingerprint}, not by this workstation's key ${investigator.keyFingerprint}`,
    });
  return { problems };
}
