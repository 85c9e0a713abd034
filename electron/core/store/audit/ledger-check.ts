import type { Problem } from '../../../../shared/domain.js';
import { iterateLedger, LedgerChainChecker } from '../ledger.js';
import * as q from '../queries.js';
import type { AuditCheck } from './audit-check.js';

/**
 * The custody ledger: every entry's sequence, link, hash and signature, and every item an entry
 * names still held (an item deleted from the tables leaves its entries behind).
 */
export const ledgerCheck: AuditCheck = {
  name: 'custody ledger',
  run: ({ db, counts }) => {
    const keys = new Map(q.listInvestigators(db).map((i) => [i.keyFingerprint, i.publicKeyPem]));
    const chain = new LedgerChainChecker((fingerprint) => keys.get(fingerprint));
    const itemsInLedger = new Map<string, number>(); // the first entry naming each item
    for (const entry of iterateLedger(db)) {
      chain.check(entry);
      if (entry.action.startsWith('item.') && !itemsInLedger.has(entry.subject))
        itemsInLedger.set(entry.subject, entry.seq);
    }
    counts.ledgerEntries = chain.count;
    const problems: Problem[] = [...chain.problems];
    const itemExists = db.prepare('SELECT 1 FROM items WHERE id = ?').pluck();
    for (const [itemId, seq] of itemsInLedger) {
      if (itemExists.get(itemId) === undefined) {
        problems.push({
          subject: `item ${itemId}`,
          problem: `missing: custody entry ${seq} records it, but the store no longer holds it`,
        });
      }
    }
    return { problems };
  },
};
