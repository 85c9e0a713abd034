import { forgetDerived } from '../derive/derived-state-queries.js';
import type { Deriver } from '../derive/deriver.js';
import { confirmedOccurrences } from './candidates.js';
import { clearEntities, replaceItemEntities, type StoredOccurrence } from './entity-queries.js';
import { itemEntities } from './item-entities.js';

/** Extracted entities (migration 007): read from an item's originals, rebuilt by `custos reindex`. */
export const entityDeriver: Deriver<StoredOccurrence[]> = {
  name: 'entities',
  // 3: numbers an ad gives as WhatsApp or Signal contacts are also those accounts.
  version: 3,
  extract: itemEntities,
  write(db, item, occurrences) {
    // Values investigators confirmed from candidates are in the ledger, not in the originals.
    replaceItemEntities(db, item, [...occurrences, ...confirmedOccurrences(db, item.id)]);
    // The search index holds the item's phone numbers and IBANs (search/identifiers.ts): it is
    // brought up to date after this (derivers.ts runs search second), whenever entities change.
    forgetDerived(db, item.id, 'search');
  },
  clear: clearEntities,
};
