import type { Problem } from '../../../../shared/domain.js';
import * as q from '../queries.js';
import { investigatorDifferences, keyFileDifference } from '../store-identity.js';
import type { AuditCheck } from './audit-check.js';

/**
 * Every investigator row against the signed `store.init` entry that introduced it (an edited name,
 * agency, badge or key would otherwise sign bundles as someone else), every such entry's
 * investigator still held, and the workstation's private key file against the recorded key.
 */
export const identityCheck: AuditCheck = {
  name: 'investigators',
  run: ({ db, layout }) => {
    const problems: Problem[] = [];
    const held = new Set<string>();
    for (const investigator of q.listInvestigators(db)) {
      held.add(investigator.id);
      const subject = `investigator ${investigator.name} (${investigator.id})`;
      for (const problem of investigatorDifferences(db, investigator)) problems.push({ subject, problem });
      const key = keyFileDifference(layout.keys, investigator);
      if (key) problems.push({ subject, problem: key });
    }
    const introduced = db
      .prepare("SELECT seq, subject FROM ledger WHERE action = 'store.init' ORDER BY seq")
      .all() as { seq: number; subject: string }[];
    for (const entry of introduced) {
      if (!held.has(entry.subject)) {
        problems.push({
          subject: `investigator ${entry.subject}`,
          problem: `missing: custody entry ${entry.seq} (store.init) introduces it, but the store no longer holds it`,
        });
      }
    }
    return { problems };
  },
};
