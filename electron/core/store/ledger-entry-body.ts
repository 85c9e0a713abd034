/**
 * A ledger entry's body: what its hash and signature cover. Apart from ledger.ts so that verify,
 * which checks bundled entries with no store, does not load the database.
 */
import type { LedgerEntry, LedgerEntryBody } from '../../../shared/domain.js';
import { canonicalJson } from './canonical-json.js';

/** Splits an entry into the body that was hashed and signed. */
export function ledgerEntryBody(entry: LedgerEntry): LedgerEntryBody {
  const { hash: _hash, signature: _signature, ...body } = entry;
  return body;
}

/**
 * The canonical text an entry's hash and signature cover, or why there is none: canonical JSON
 * cannot encode a number beyond a double's range (1e400 read back is Infinity) or a lone
 * surrogate. Custos never writes one, so such an entry was changed after it was signed; a checker
 * files the problem for that entry (naming its seq) instead of failing on it.
 */
export function canonicalEntryBody(
  entry: LedgerEntry,
): { readonly canonical: string } | { readonly problem: string } {
  try {
    return { canonical: canonicalJson(ledgerEntryBody(entry)) };
  } catch (error) {
    return {
      problem: `entry ${entry.seq} cannot be encoded as canonical JSON (${(error as Error).message}): the entry was changed`,
    };
  }
}
