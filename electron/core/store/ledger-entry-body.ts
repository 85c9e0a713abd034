/**
 * A ledger entry's body: what its hash and signature cover. Apart from ledger.ts so that verify,
 * which checks bundled entries with no store, does not load the database.
 */
import type { LedgerEntry, LedgerEntryBody } from '../../../shared/domain.js';

/** Splits an entry into the body that was hashed and signed. */
export function ledgerEntryBody(entry: LedgerEntry): LedgerEntryBody {
  const { hash: _hash, signature: _signature, ...body } = entry;
  return body;
}
