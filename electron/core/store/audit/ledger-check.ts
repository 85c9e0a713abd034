import type { Problem } from '../../../../shared/domain.js';
import type { ReadableDB } from '../database.js';
import { anchoredChainChecker, iterateLedger, LedgerChainChecker, singleKeyChainChecker } from '../ledger.js';
import { readAnchor } from '../store-anchor.js';
import { storeSigningKey } from '../store-identity.js';
import type { StoreLayout } from '../store-layout.js';
import type { AuditCheck } from './audit-check.js';

/**
 * The custody ledger: every entry's sequence, link, hash and signature, and every item an entry
 * names still held (an item deleted from the tables leaves its entries behind). Signatures are
 * verified with the key store.json anchors (`anchoredChainChecker`, as restore checks a backup),
 * never with keys the database lists, which whoever edits it can add: an entry signed by any
 * other key is named. A store with no valid anchor (one from before anchors, or whose store.json
 * is missing or the anchor check reports) is checked against its one signing key as the folder
 * and the ledger give it (`storeSigningKey`: the key file in keys/, else entry 1's key), still
 * never against the investigators table.
 */
export const ledgerCheck: AuditCheck = {
  name: 'custody ledger',
  run: ({ db, layout, counts }) => {
    const chain = chainChecker(db, layout);
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

function chainChecker(db: ReadableDB, layout: StoreLayout): LedgerChainChecker {
  const read = readAnchor(layout.anchor);
  if (read !== null && 'anchor' in read) return anchoredChainChecker(read.anchor);
  const key = storeSigningKey(db, layout.keys);
  if (key)
    return singleKeyChainChecker(
      { keyFingerprint: key.fingerprint, publicKeyPem: key.publicKeyPem },
      `${key.source}; no valid store.json anchors it`,
    );
  return new LedgerChainChecker(
    () => undefined,
    undefined,
    null,
    (fingerprint) =>
      `signed by key ${fingerprint.slice(0, 16)}…, but this store has no signing key file in ${layout.keys} and its ledger entry 1 introduces no key to check it with`,
  );
}
