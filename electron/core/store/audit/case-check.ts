import type { Problem } from '../../../../shared/domain.js';
import { iterateLedger } from '../ledger.js';
import * as q from '../queries.js';
import type { AuditCheck } from './audit-check.js';

/**
 * Each case must match the signed `case.create` entry that made it (number, title, description),
 * and each case an entry made must still be held: a renamed, renumbered or deleted case is named.
 */
export const caseCheck: AuditCheck = {
  name: 'cases',
  run: ({ db }) => {
    const problems: Problem[] = [];
    const created = new Map<string, { seq: number; details: Readonly<Record<string, unknown>> }>();
    for (const entry of iterateLedger(db)) {
      if (entry.action === 'case.create' && !created.has(entry.subject)) {
        created.set(entry.subject, { seq: entry.seq, details: entry.details });
      }
    }
    for (const row of q.listCases(db)) {
      const entry = created.get(row.id);
      const subject = `case ${row.number} (${row.id})`;
      if (!entry) {
        problems.push({ subject, problem: 'no custody entry records its creation' });
        continue;
      }
      created.delete(row.id);
      for (const field of ['number', 'title', 'description'] as const) {
        const signed = entry.details[field] ?? null;
        if (signed !== row[field]) {
          problems.push({
            subject,
            problem: `${field} is ${JSON.stringify(row[field])}, but custody entry ${entry.seq} signed ${JSON.stringify(signed)}`,
          });
        }
      }
    }
    for (const [caseId, entry] of created) {
      problems.push({
        subject: `case ${caseId}`,
        problem: `missing: custody entry ${entry.seq} records its creation, but the store no longer holds it`,
      });
    }
    return { problems };
  },
};
